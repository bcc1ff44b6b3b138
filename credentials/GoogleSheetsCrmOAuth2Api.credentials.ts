import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Google OAuth2 for the Sales CRM sheet. Extends n8n's `googleOAuth2Api`, which holds Google's
 * authorization and token URLs; n8n runs the consent flow and refreshes the token.
 */
export class GoogleSheetsCrmOAuth2Api implements ICredentialType {
	name = 'googleSheetsCrmOAuth2Api';

	extends = ['googleOAuth2Api'];

	displayName = 'Google Sheets CRM OAuth2 API';

	icon: Icon = { light: 'file:googleSheetsCrm.svg', dark: 'file:googleSheetsCrm.dark.svg' };

	documentationUrl = 'https://github.com/solo-sales/n8n-nodes-solo-sales#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'https://www.googleapis.com/auth/spreadsheets',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://sheets.googleapis.com',
			description: 'Change only to reach the Sheets API through a proxy or a local test server',
		},
	];

	// A spreadsheet ID that cannot exist: a valid token gets 404 NOT_FOUND, a bad one 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBaseUrl || "https://sheets.googleapis.com"}}',
			url: '/v4/spreadsheets/n8n-credential-test?fields=spreadsheetId',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.status', value: 'UNAUTHENTICATED', message: 'Google rejected the access token: reconnect the credential' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.message',
					value: 'Request had insufficient authentication scopes.',
					message: 'The token lacks the Google Sheets scope: reconnect the credential and allow access to Sheets',
				},
			},
		],
	};
}
