/**
 * Template 2, daily follow-ups: every morning the leads whose stage has gone stale (no activity
 * for longer than the stage allows, Pipedrive's "rotting") get the next email of a short
 * sequence. The step is kept on the lead's row, the sequence restarts when the stage changes,
 * and it stops after N emails, when the lead has replied, or when they unsubscribed.
 */
import { PKG, stableId, WorkflowTemplate, type Parameters, crmFields } from './builder';
import { SHEETS_CRM, SMTP, SPREADSHEET } from './credentials';

export const fileName = 'daily-follow-ups.json';
export const DAILY_FOLLOW_UPS_ID = 'SoloSalesFollow1';

const SETTINGS = 'Follow-up settings';
const NEXT_STEP = 'Next follow-up step';
const RECORD_STEP = 'Record follow-up step';

/** A Filter / If condition (n8n's filter parameter, version 2). */
function condition(key: string, leftValue: string, type: string, operation: string, rightValue: unknown = ''): Parameters {
	const singleValue = ['empty', 'notEmpty', 'exists', 'notExists', 'true', 'false'].includes(operation);
	return { id: stableId(`daily-follow-ups/${key}`), leftValue, rightValue, operator: { type, operation, ...(singleValue ? { singleValue } : {}) } };
}

function assignment(name: string, value: unknown, type: 'string' | 'number' | 'boolean'): Parameters {
	return { id: stableId(`daily-follow-ups/${name}`), name, value, type };
}

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(DAILY_FOLLOW_UPS_ID, 'Solo Sales: daily follow-ups', ['solo-sales', 'follow-ups']);
	const crm = { credentials: SHEETS_CRM };

	t.add('Every morning', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 300], { rule: { interval: [{ field: 'days', triggerAtHour: 9 }] } });
	t.add(SETTINGS, 'n8n-nodes-base.set', 3.4, [220, 300], {
		assignments: {
			assignments: [
				assignment('maxFollowUps', 3, 'number'),
				assignment('fromEmail', 'Your Name <you@example.com>', 'string'),
				assignment('signature', 'Your Name', 'string'),
			],
		},
		options: {},
	});
	t.add('Get leads', `${PKG}.salesCrmSheet`, 1, [440, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		returnMode: 'all',
		options: {},
	}, crm);
	// Compute Only: the rows were just read, so the sheet need not be read again.
	t.add('Flag stale leads', `${PKG}.stageMover`, 1, [660, 300], {
		operation: 'flagStale',
		storage: 'computeOnly',
		keyField: 'email',
		stageField: 'stage',
		pipelineStages: {
			stage: [
				{ name: 'New', probability: 5, requiredFields: '', staleAfterDays: 3 },
				{ name: 'MQL', probability: 10, requiredFields: '', staleAfterDays: 4 },
				{ name: 'SQL', probability: 20, requiredFields: '', staleAfterDays: 5 },
				{ name: 'Proposal', probability: 50, requiredFields: 'amount', staleAfterDays: 5 },
				{ name: 'Negotiation', probability: 75, requiredFields: 'amount', staleAfterDays: 7 },
				{ name: 'Won', probability: 100, requiredFields: '', staleAfterDays: 0 },
				{ name: 'Lost', probability: 0, requiredFields: '', staleAfterDays: 0 },
			],
		},
		wonStage: 'Won',
		lostStage: 'Lost',
		options: { activityField: 'lastActivityAt' },
	});
	t.add(NEXT_STEP, 'n8n-nodes-base.set', 3.4, [880, 200], {
		assignments: {
			assignments: [
				// A new stage starts a new sequence; otherwise continue where the lead is.
				assignment('followUpStep', '={{ (String($json.followUpStage ?? "").trim().toLowerCase() === String($json.stage ?? "").trim().toLowerCase() ? Number($json.followUpStep || 0) : 0) + 1 }}', 'number'),
				assignment('followUpStage', '={{ $json.stage }}', 'string'),
				assignment('lastFollowUpAt', '={{ $now.toUTC().toISO() }}', 'string'),
			],
		},
		includeOtherFields: true,
		options: {},
	});
	t.add('Follow-up due?', 'n8n-nodes-base.filter', 2.2, [1100, 200], {
		conditions: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [
				condition('step', '={{ $json.followUpStep }}', 'number', 'lte', `={{ $('${SETTINGS}').first().json.maxFollowUps }}`),
				condition('replied', '={{ $json.repliedAt }}', 'string', 'empty'),
				condition('unsubscribed', '={{ String($json.unsubscribed ?? "") }}', 'string', 'notEquals', 'true'),
				condition('email', '={{ $json.email }}', 'string', 'notEmpty'),
			],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	});
	// The step is written BEFORE the email goes out: a failed write then sends nothing, so no
	// lead ever gets the same step twice. Unknown Fields = Error stops the run on the first
	// day if the Leads tab lacks the follow-up columns.
	t.add(RECORD_STEP, `${PKG}.salesCrmSheet`, 1, [1320, 200], {
		authentication: 'oAuth2',
		operation: 'upsert',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		dataMode: 'define',
		fieldValues: crmFields({
			email: '={{ $json.email }}',
			followUpStep: '={{ $json.followUpStep }}',
			followUpStage: '={{ $json.followUpStage }}',
			lastFollowUpAt: '={{ $json.lastFollowUpAt }}',
			lastActivityAt: '={{ $json.lastFollowUpAt }}',
		}),
		options: { unknownFields: 'error' },
	}, crm);
	t.add('Send follow-up email', 'n8n-nodes-base.emailSend', 2.1, [1540, 200], {
		fromEmail: `={{ $('${SETTINGS}').first().json.fromEmail }}`,
		toEmail: '={{ $json.email }}',
		subject:
			'={{ $json.followUpStep == 1 ? "Following up" + ($json.company ? " on " + $json.company : "") : $json.followUpStep == 2 ? "Any questions?" : "Should I close your file?" }}',
		emailFormat: 'text',
		text: `=Hi {{ ($json.name || "there").split(" ")[0] }},

{{ $json.followUpStep == 1 ? "I wanted to follow up on my last message. Is this still a priority for you?" : $json.followUpStep == 2 ? "Just checking whether any questions came up. Happy to help with a short call." : "I have not heard back, so I will close your file for now. Reply any time if things change." }}

Best,
{{ $('${SETTINGS}').first().json.signature }}`,
		options: { appendAttribution: false },
	}, { credentials: SMTP });
	t.add('Log follow-up', `${PKG}.salesCrmSheet`, 1, [1760, 200], {
		authentication: 'oAuth2',
		operation: 'appendActivity',
		spreadsheetId: SPREADSHEET,
		activityTab: 'Touchpoints',
		dataMode: 'define',
		fieldValues: crmFields({
			email: `={{ $('${RECORD_STEP}').item.json.email }}`,
			type: 'follow-up email',
			channel: 'email',
			campaign: `={{ $('${RECORD_STEP}').item.json.campaign }}`,
			subject: `=Follow-up {{ $('${RECORD_STEP}').item.json.followUpStep }} (stage {{ $('${RECORD_STEP}').item.json.followUpStage }})`,
			details: `={{ $('${RECORD_STEP}').item.json.staleCheck.daysInactive }} days without activity`,
		}),
		options: {},
	}, crm);
	t.chain('Every morning', SETTINGS, 'Get leads', 'Flag stale leads', NEXT_STEP, 'Follow-up due?', RECORD_STEP, 'Send follow-up email', 'Log follow-up');

	t.note(
		'setup',
		`## Daily follow-ups
Every morning at 9, leads whose stage went **stale** get the next email of a short sequence.

**Set up**
1. Credentials: pick your **Google Sheets CRM** credential on the three Sales CRM nodes and your **SMTP** credential on *Send follow-up email*.
2. Spreadsheet: set the n8n variable \`SOLO_SALES_SPREADSHEET\` to your CRM sheet's URL (or paste it into the Sales CRM nodes).
3. The **Leads** tab needs the columns \`followUpStep\`, \`followUpStage\`, \`lastFollowUpAt\`, \`repliedAt\`, \`unsubscribed\`: *Sales CRM → Set Up CRM Spreadsheet* creates them in a new CRM and lists them as missing in an older one.
4. Edit *${SETTINGS}*: how many follow-ups at most, your sender address and signature.`,
		[0, -60],
		[520, 320],
	);
	t.note(
		'rules',
		`## How the sequence works
- **Stale**: days without activity per stage are set in *Flag stale leads* (New 3, MQL 4, SQL 5, Proposal 5, Negotiation 7; Won and Lost never).
- Each email moves \`lastActivityAt\` to now, so the next one waits for the stage's days again.
- The step restarts at 1 when the lead changes stage.
- No email when \`repliedAt\` is filled, \`unsubscribed\` is true, or the lead already got *maxFollowUps* emails in this stage.
- The step is saved **before** sending: if the sheet write fails, nothing is sent twice.`,
		[880, -120],
		[560, 280],
		6,
	);
	return t;
}
