/**
 * Template 7 (inquiry auto-reply): structure checks, and the workflow run in-process from each
 * trigger (IMAP email items in n8n's "simple" format, Form Trigger items) against the local
 * Sheets API server and a real SMTP server. The intent of each inquiry is predicted by a
 * separate keyword classifier written here from the rules the template documents; the
 * template's Code node runs with n8n's own `$()` data proxy.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';
import * as template from '../../scripts/templates/inquiryAutoReply.template';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { startSmtpServer, type RunningSmtpServer } from '../servers/smtpServer';
import { committedTemplate, outputJson, registerNodeType, runTemplate, tabRecords, templateStructureTests, testCredentials } from './templates-support';

describe('inquiry auto-reply template: structure', () => {
	templateStructureTests(template);

	test('the AI Agent and its model ship disabled, the model connected as the agent\'s language model', () => {
		const json = committedTemplate(template);
		const agent = json.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.agent')!;
		const model = json.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')!;
		expect([agent.disabled, model.disabled]).toEqual([true, true]);
		expect(json.connections[model.name]).toEqual({ ai_languageModel: [[{ node: agent.name, type: 'ai_languageModel', index: 0 }]] });
	});
});

// The standard Leads tab has repliedAt and unsubscribed, which this template writes.
const LEAD_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Leads')!.headers;
const TOUCHPOINT_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Touchpoints')!.headers;
const RULES = [
	['intent', 'keywords'],
	['unsubscribe', 'unsubscribe, stop emailing, remove me'],
	['pricing', 'price, pricing, cost, quote'],
	['demo request', 'demo, trial, walkthrough'],
	['support', 'help, problem, error, not working'],
];
const FAQ = [
	['intent', 'subject', 'answer'],
	['pricing', 'Our prices', 'Plans start at 29 EUR a month: https://example.com/pricing'],
	['support', 'We are on it', 'Sorry about that! Please try the steps at https://example.com/help; if it persists, reply with a screenshot.'],
];

/** Reference classifier: the first rule (in tab order) with a keyword in the subject or message. */
function expectedIntent(subject: string, message: string): string {
	const text = `${subject} ${message}`.toLowerCase();
	for (const [intent, keywords] of RULES.slice(1)) {
		if (keywords.split(',').map((k) => k.trim()).some((k) => k !== '' && text.includes(k))) return intent;
	}
	return 'other';
}

interface Inquiry {
	email: string;
	name: string;
	subject: string;
	message: string;
}

const INQUIRIES: Inquiry[] = [
	{ email: 'ann@example.com', name: 'Ann Smith', subject: 'Pricing question', message: 'How much does the pro plan cost?' },
	{ email: 'bob@example.com', name: 'Bob', subject: 'Please remove me', message: 'Stop emailing me, and what was the price again anyway?' },
	{ email: 'cat@example.com', name: 'Cat', subject: 'Can I get a demo?', message: 'Would love a walkthrough next week.' },
	{ email: 'dan@example.com', name: 'Dan Brown', subject: 'Partnership', message: 'Let us collaborate on a webinar.' },
	{ email: 'eve@example.com', name: 'Eve', subject: 'Export', message: 'The CSV export is NOT WORKING since yesterday.' },
	{ email: 'new.person@example.com', name: '', subject: 'unsubscribe', message: '' },
];

/** How n8n's Email Trigger (IMAP, simple format) emits a message. */
function imapItem(inquiry: Inquiry) {
	const from = inquiry.name ? `"${inquiry.name}" <${inquiry.email.toUpperCase()}>` : inquiry.email;
	return { from, to: 'hello@mycompany.com', subject: inquiry.subject, date: 'Sat, 21 Nov 2026 10:00:00 +0000', textPlain: inquiry.message, textHtml: '', metadata: {}, attributes: { uid: 1 } };
}

let sheets: SheetsServer;
let smtp: RunningSmtpServer;

/** Answers like an AI Agent: `{ output }`, here a fixed label per item. */
class FakeAgent implements INodeType {
	static labels: string[] = [];
	description = {
		displayName: 'Fake agent',
		name: 'fakeAgent',
		group: ['transform'],
		version: 3.1,
		description: 'Test stand-in for the AI Agent',
		defaults: { name: 'Fake agent' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((_, i) => ({ json: { output: FakeAgent.labels[i] ?? '' }, pairedItem: { item: i } }))];
	}
}

beforeAll(async () => {
	sheets = await startSheetsServer();
	smtp = await startSmtpServer();
	registerNodeType('test.fakeAgent', new FakeAgent());
});
afterAll(async () => {
	await sheets.close();
	await smtp.close();
});

function crm(): string {
	return sheets.createSpreadsheet({
		Leads: [LEAD_HEADERS, ['bob@example.com', 'Bob', 'Bobco', '', 'website', '', 'MQL', 40]],
		IntentRules: RULES,
		FAQ,
		Touchpoints: [TOUCHPOINT_HEADERS],
	});
}

describe('inquiry auto-reply template: run', () => {
	test('emails: routine intents answered from the FAQ, unsubscribes written to Leads, the rest forwarded, all logged', async () => {
		const id = crm();
		smtp.clear();
		const startMs = Date.now();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'New email',
			triggerItems: INQUIRIES.map(imapItem),
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
		});
		expect(run.error).toBeUndefined();

		const intents = INQUIRIES.map((q) => expectedIntent(q.subject, q.message));
		expect(intents).toEqual(['pricing', 'unsubscribe', 'demo request', 'other', 'support', 'unsubscribe']);
		expect(outputJson(run, 'Match intent').map((item) => item.intent)).toEqual(intents);

		const faq = new Map(FAQ.slice(1).map(([intent, subject, answer]) => [intent, { subject, answer }]));
		const answered = INQUIRIES.filter((_, i) => faq.has(intents[i]));
		const forwarded = INQUIRIES.filter((_, i) => intents[i] !== 'unsubscribe' && !faq.has(intents[i]));
		const replies = smtp.messages.filter((m) => m.to[0] !== 'you@example.com');
		const founder = smtp.messages.filter((m) => m.to[0] === 'you@example.com');

		expect(replies.map((m) => m.to[0]).sort()).toEqual(answered.map((q) => q.email).sort());
		for (const reply of replies) {
			const i = INQUIRIES.findIndex((q) => q.email === reply.to[0]);
			const { subject, answer } = faq.get(intents[i])!;
			expect(reply.subject).toBe(subject);
			expect(reply.text).toContain(answer);
			expect(reply.text.startsWith(`Hi ${INQUIRIES[i].name.split(' ')[0] || 'there'},`)).toBe(true);
		}
		expect(founder.map((m) => m.replyTo[0]).sort()).toEqual(forwarded.map((q) => q.email).sort());
		for (const mail of founder) {
			const i = INQUIRIES.findIndex((q) => q.email === mail.replyTo[0]);
			expect(mail.subject).toBe(`[${intents[i]}] ${INQUIRIES[i].subject} from ${INQUIRIES[i].name || INQUIRIES[i].email}`);
			expect(mail.text).toContain(INQUIRIES[i].message);
		}

		const leads = new Map(tabRecords(sheets.getValues(id, 'Leads')).map((r) => [r.email, r]));
		expect(leads.get('bob@example.com')).toMatchObject({ name: 'Bob', stage: 'MQL', unsubscribed: 'true' });
		expect(leads.get('new.person@example.com')).toMatchObject({ unsubscribed: 'true' });
		// Every sender's row records the reply (which stops the daily follow-ups); only unsubscribers are unsubscribed.
		expect([...leads.keys()].sort()).toEqual(INQUIRIES.map((q) => q.email).sort());
		for (const [email, lead] of leads) {
			for (const field of ['repliedAt', 'lastActivityAt']) expect(Math.abs(Date.parse(String(lead[field])) - startMs)).toBeLessThan(120_000);
			expect({ email, unsubscribed: lead.unsubscribed ?? null }).toEqual({ email, unsubscribed: email === 'bob@example.com' || email === 'new.person@example.com' ? 'true' : null });
		}

		const log = tabRecords(sheets.getValues(id, 'Touchpoints'));
		// Log inquiry runs once per branch; its rows still get distinct ids (Touchpoints is keyed by id).
		expect(new Set(log.map((r) => r.id)).size).toBe(INQUIRIES.length);
		const outcome = (i: number) => (intents[i] === 'unsubscribe' ? 'unsubscribed' : faq.has(intents[i]) ? 'answered from FAQ' : 'forwarded to founder');
		expect(log.map((r) => [r.email, r.type, r.channel, r.details]).sort()).toEqual(
			INQUIRIES.map((q, i) => [q.email, 'inquiry', 'email', `intent ${intents[i]} (by ${intents[i] === 'other' ? 'none' : 'keywords'}): ${outcome(i)}`]).sort(),
		);
	});

	test('the contact form: a pricing question is answered from the FAQ and logged with channel form', async () => {
		const id = crm();
		smtp.clear();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'Contact form',
			triggerItems: [{ Name: 'Fay Wong', Email: ' FAY@Example.com ', Subject: '', Message: 'What does it cost for a team of 3?', submittedAt: '2026-11-21T10:00:00.000Z', formMode: 'production' }],
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
		});
		expect(run.error).toBeUndefined();
		expect(smtp.messages.map((m) => [m.to[0], m.subject])).toEqual([['fay@example.com', 'Our prices']]);
		expect(smtp.messages[0].text).toMatch(/^Hi Fay,/);
		expect(tabRecords(sheets.getValues(id, 'Touchpoints')).map((r) => [r.email, r.channel, r.subject, r.details])).toEqual([
			['fay@example.com', 'form', 'Contact form', 'intent pricing (by keywords): answered from FAQ'],
		]);
	});

	test('with the AI Agent enabled, a known label wins over the keywords and an unknown one falls back to them', async () => {
		const id = crm();
		smtp.clear();
		FakeAgent.labels = ['Support', 'banana'];
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'New email',
			triggerItems: [imapItem(INQUIRIES[0]), imapItem(INQUIRIES[3])],
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
			patch: { 'AI intent (optional)': { type: 'test.fakeAgent', disabled: false } },
		});
		expect(run.error).toBeUndefined();
		expect(outputJson(run, 'Match intent').map((item) => [item.intent, item.intentBy])).toEqual([
			['support', 'AI'],
			['other', 'none'],
		]);
		expect(smtp.messages.map((m) => [m.to[0], m.subject]).sort()).toEqual([
			['ann@example.com', 'We are on it'],
			['you@example.com', '[other] Partnership from Dan Brown'],
		]);
	});

	test('without IntentRules and FAQ rows every inquiry goes to the founder (nothing is dropped)', async () => {
		const id = sheets.createSpreadsheet({ Leads: [LEAD_HEADERS], IntentRules: [RULES[0]], FAQ: [FAQ[0]], Touchpoints: [TOUCHPOINT_HEADERS] });
		smtp.clear();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'New email',
			triggerItems: INQUIRIES.slice(0, 3).map(imapItem),
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
		});
		expect(run.error).toBeUndefined();
		expect(smtp.messages.map((m) => [m.to[0], m.replyTo[0]])).toEqual(INQUIRIES.slice(0, 3).map((q) => ['you@example.com', q.email]));
		expect(tabRecords(sheets.getValues(id, 'Touchpoints'))).toHaveLength(3);
	});
});
