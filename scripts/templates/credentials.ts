/**
 * Credential references used by the templates: by type and a readable name, never with secrets.
 * On import n8n shows them as "needs set-up" until the user picks or creates their own; the
 * end-to-end tests import test credentials with these ids so the templates run as shipped.
 */
import { credential } from './builder';

export const SHEETS_CRM = credential('googleSheetsCrmOAuth2Api', 'Google Sheets CRM');
export const SMTP = credential('smtp', 'Outgoing mail (SMTP)');
export const IMAP = credential('imap', 'Leads inbox (IMAP)');
export const WEBHOOK_SECRET = credential('crypto', 'Lead webhook secret');
export const FACEBOOK_LEAD_ADS = credential('facebookLeadAdsOAuth2Api', 'Facebook Lead Ads');
export const X_ACCOUNT = credential('twitterOAuth2Api', 'X account');
export const LINKEDIN = credential('linkedInOAuth2Api', 'LinkedIn');
export const AI_MODEL = credential('openAiApi', 'AI model (optional)');

/** Placeholder the user replaces in each template (the sticky notes say so): the CRM spreadsheet's URL or ID. */
export const SPREADSHEET = 'PASTE-YOUR-SPREADSHEET-URL';
