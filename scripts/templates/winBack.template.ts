/**
 * Template 5, win-back by CLV segment: once a month the CLV Calculator fits BG/NBD + Gamma-Gamma
 * to the Orders tab; customers in the chosen segments (at risk, hibernating) whose predicted
 * CLV is above a threshold get a personal win-back email, logged as a touchpoint.
 */
import { PKG, stableId, WorkflowTemplate, type Parameters } from './builder';
import { SHEETS_CRM, SMTP, SPREADSHEET } from './credentials';

export const fileName = 'win-back.json';
export const WIN_BACK_ID = 'SoloSalesWinBack';

const SETTINGS = 'Win-back settings';
const AT_RISK = 'High-value customers at risk';
const EARLIER = 'Earlier win-back emails';
const OPT_OUTS = 'Leads (opt-outs)';

function condition(key: string, leftValue: string, type: string, operation: string, rightValue: unknown = ''): Parameters {
	const singleValue = ['empty', 'notEmpty', 'exists', 'notExists', 'true', 'false'].includes(operation);
	return { id: stableId(`win-back/${key}`), leftValue, rightValue, operator: { type, operation, ...(singleValue ? { singleValue } : {}) } };
}

function assignment(name: string, value: unknown, type: 'string' | 'number'): Parameters {
	return { id: stableId(`win-back/${name}`), name, value, type };
}

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(WIN_BACK_ID, 'Solo Sales: win-back by CLV segment', ['solo-sales', 'clv']);

	t.add('First of the month', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 300], {
		rule: { interval: [{ field: 'months', triggerAtDayOfMonth: 1, triggerAtHour: 9 }] },
	});
	t.add(SETTINGS, 'n8n-nodes-base.set', 3.4, [220, 300], {
		assignments: {
			assignments: [
				assignment('minClv', 200, 'number'),
				assignment('segments', 'at risk, hibernating', 'string'),
				assignment('cooldownDays', 90, 'number'),
				assignment('fromEmail', 'Your Name <you@example.com>', 'string'),
				assignment('signature', 'Your Name', 'string'),
				assignment('offer', 'As a thank-you for being a customer, here is 15% off your next order with the code WELCOMEBACK.', 'string'),
			],
		},
		options: {},
	});
	// Who got a win-back email lately: they are left alone for cooldownDays.
	t.add(EARLIER, `${PKG}.salesCrmSheet`, 1, [440, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'Touchpoints',
		keyField: 'id',
		returnMode: 'filter',
		filters: { conditions: [{ field: 'type', value: 'win-back email' }] },
		options: {},
	}, { credentials: SHEETS_CRM, alwaysOutputData: true });
	// Opt-outs: leads marked unsubscribed (e.g. by Inquiry auto-reply) never get a win-back email.
	t.add(OPT_OUTS, `${PKG}.salesCrmSheet`, 1, [660, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		returnMode: 'all',
		options: {},
	}, { credentials: SHEETS_CRM, alwaysOutputData: true });
	t.add('Get orders', `${PKG}.salesCrmSheet`, 1, [880, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'Orders',
		keyField: 'id',
		returnMode: 'all',
		options: {},
	}, { credentials: SHEETS_CRM });
	t.add('CLV Calculator', `${PKG}.clvCalculator`, 1, [1100, 300], {
		operation: 'fitAndPredict',
		customerIdField: 'customerEmail',
		dateField: 'date',
		amountField: 'amount',
		dateFormat: 'auto',
		unit: 'weeks',
		purchaseModel: 'bgNbd',
		options: { horizon: 12, discountRate: 0.01, output: 'customers' },
	});
	t.add(AT_RISK, 'n8n-nodes-base.filter', 2.2, [1320, 300], {
		conditions: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [
				condition(
					'segment',
					`={{ $('${SETTINGS}').first().json.segments.split(',').map(s => s.trim().toLowerCase()).includes(String($json.segment).toLowerCase()) }}`,
					'boolean',
					'true',
				),
				condition('clv', '={{ $json.clv }}', 'number', 'gte', `={{ $('${SETTINGS}').first().json.minClv }}`),
				condition(
					'cooldown',
					`={{ $('${EARLIER}').all().some(t => String(t.json.email ?? '').toLowerCase() === String($json.customerId).toLowerCase() && DateTime.fromISO(String(t.json.time ?? '')) > $now.minus({ days: $('${SETTINGS}').first().json.cooldownDays })) }}`,
					'boolean',
					'false',
				),
				condition(
					'unsubscribed',
					`={{ $('${OPT_OUTS}').all().some(l => String(l.json.email ?? '').toLowerCase() === String($json.customerId).toLowerCase() && String(l.json.unsubscribed ?? '').toLowerCase() === 'true') }}`,
					'boolean',
					'false',
				),
			],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	});
	t.add('Send win-back email', 'n8n-nodes-base.emailSend', 2.1, [1540, 300], {
		fromEmail: `={{ $('${SETTINGS}').first().json.fromEmail }}`,
		toEmail: '={{ $json.customerId }}',
		subject: 'It has been a while: a small thank-you',
		emailFormat: 'text',
		text: `=Hi,

I noticed your last order was on {{ $json.lastPurchase }}, and I wanted to say thank you for being a customer.

{{ $('${SETTINGS}').first().json.offer }}

If anything was not right last time, just reply: I read every message myself.

Best,
{{ $('${SETTINGS}').first().json.signature }}`,
		options: { appendAttribution: false },
	}, { credentials: SMTP });
	t.add('Log win-back email', `${PKG}.salesCrmSheet`, 1, [1760, 300], {
		authentication: 'oAuth2',
		operation: 'appendActivity',
		spreadsheetId: SPREADSHEET,
		activityTab: 'Touchpoints',
		dataMode: 'define',
		fieldValues: {
			values: [
				{ fieldName: 'email', fieldValue: `={{ $('${AT_RISK}').item.json.customerId }}` },
				{ fieldName: 'type', fieldValue: 'win-back email' },
				{ fieldName: 'channel', fieldValue: 'email' },
				{ fieldName: 'campaign', fieldValue: 'win-back' },
				{ fieldName: 'subject', fieldValue: 'It has been a while: a small thank-you' },
				{
					fieldName: 'details',
					fieldValue: `=segment {{ $('${AT_RISK}').item.json.segment }}, CLV {{ $('${AT_RISK}').item.json.clv.toFixed(2) }}, P(alive) {{ $('${AT_RISK}').item.json.pAlive.toFixed(2) }}`,
				},
			],
		},
		options: {},
	}, { credentials: SHEETS_CRM });
	t.chain('First of the month', SETTINGS, EARLIER, OPT_OUTS, 'Get orders', 'CLV Calculator', AT_RISK, 'Send win-back email', 'Log win-back email');

	t.note(
		'setup',
		`## Win-back by CLV segment
On the 1st of each month: fit customer lifetime value on the **Orders** tab, pick valuable customers who are drifting away, and send each a personal note.

**Set up**
1. Credentials: your **Google Sheets CRM** credential on *Get orders* and *Log win-back email*, your **SMTP** credential on *Send win-back email*.
2. Spreadsheet: set the n8n variable \`SOLO_SALES_SPREADSHEET\` (or paste the URL into the Sales CRM nodes).
3. Edit *${SETTINGS}*: the CLV threshold, the segments to contact, sender, signature and offer.`,
		[0, -40],
		[520, 300],
	);
	t.note(
		'segments',
		`## Who gets an email
*CLV Calculator* gives every customer (\`customerEmail\` in Orders) a P(alive), a 12-month CLV and a segment: champions, loyal, potential, **at risk** (good customers going quiet), **hibernating**, lost.
*${AT_RISK}* keeps customers whose segment is in \`segments\`, whose CLV is at least \`minClv\`, who got no win-back email in the last \`cooldownDays\` (from **Touchpoints**), and who are not marked \`unsubscribed\` in **Leads**.`,
		[880, -20],
		[520, 260],
		6,
	);
	return t;
}
