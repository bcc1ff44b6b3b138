/**
 * Template 2 (daily follow-ups): structure checks, and the whole workflow run in-process
 * (Schedule replaced by a manual start) against the local Sheets API server and a real SMTP
 * server. Who gets which follow-up is predicted by a separate implementation of the rules the
 * template documents, on random leads plus hand-picked edge cases.
 */
import * as template from '../../scripts/templates/dailyFollowUps.template';
import * as inquiryAutoReply from '../../scripts/templates/inquiryAutoReply.template';
import { seededRandom } from '../../bench/lib';
import { startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { startSmtpServer, type RunningSmtpServer } from '../servers/smtpServer';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { committedTemplate, runTemplate, tabRecords, templateStructureTests, testCredentials } from './templates-support';

describe('daily follow-ups template: structure', () => templateStructureTests(template));

const DAY = 86_400_000;
// The standard Leads tab has the follow-up columns this template reads and writes.
const LEAD_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Leads')!.headers;
const TOUCHPOINT_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Touchpoints')!.headers;
/** The template's stale days per stage (as its sticky note documents them); closed stages never. */
const STALE_AFTER: Record<string, number> = { new: 3, mql: 4, sql: 5, proposal: 5, negotiation: 7 };
const MAX_FOLLOW_UPS = 3;

type Lead = Record<string, string | number | boolean | null>;

/** Reference: the follow-up each lead is due, from the rules in the template's notes. */
function expectedFollowUps(leads: Lead[], nowMs: number): Map<string, { step: number; stage: string }> {
	const due = new Map<string, { step: number; stage: string }>();
	for (const lead of leads) {
		const stage = String(lead.stage ?? '');
		const staleAfter = STALE_AFTER[stage.trim().toLowerCase()];
		const dates = [lead.lastActivityAt, lead.stageChangedAt].filter((d) => typeof d === 'string' && d !== '').map((d) => Date.parse(d as string));
		if (staleAfter === undefined || dates.length === 0) continue;
		const daysInactive = Math.floor((nowMs - Math.max(...dates)) / DAY);
		if (daysInactive < staleAfter) continue;
		const sameStage = String(lead.followUpStage ?? '').trim().toLowerCase() === stage.trim().toLowerCase();
		const step = (sameStage ? Number(lead.followUpStep || 0) : 0) + 1;
		if (step > MAX_FOLLOW_UPS || (lead.repliedAt ?? '') !== '' || String(lead.unsubscribed ?? '').toLowerCase() === 'true') continue;
		due.set(String(lead.email), { step, stage });
	}
	return due;
}

function daysAgo(nowMs: number, days: number): string {
	// An hour past the whole day, so the test never sits on a day boundary.
	return new Date(nowMs - days * DAY - 3_600_000).toISOString();
}

function randomLeads(nowMs: number, count: number): Lead[] {
	const random = seededRandom(2024);
	const stages = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won', 'Lost', 'mql '];
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	return Array.from({ length: count }, (_, i) => {
		const stage = pick(stages);
		return {
			email: `lead${i}@example.com`,
			name: `Lead${i} Person`,
			stage,
			amount: 1000,
			lastActivityAt: random() < 0.1 ? '' : daysAgo(nowMs, Math.floor(random() * 12)),
			stageChangedAt: daysAgo(nowMs, Math.floor(random() * 20)),
			followUpStep: random() < 0.4 ? '' : Math.floor(random() * 4),
			followUpStage: random() < 0.6 ? stage : pick(stages),
			repliedAt: random() < 0.15 ? daysAgo(nowMs, 2) : '',
			unsubscribed: random() < 0.1 ? 'TRUE' : '',
		};
	});
}

function handPicked(nowMs: number): Lead[] {
	const base = { stageChangedAt: daysAgo(nowMs, 30), amount: 500 };
	return [
		{ ...base, email: 'ann@example.com', name: 'Ann Lee', company: 'Acme', stage: 'New', lastActivityAt: daysAgo(nowMs, 3) }, // stale exactly at 3 days: step 1
		{ ...base, email: 'bob@example.com', name: 'Bob', stage: 'New', lastActivityAt: daysAgo(nowMs, 2) }, // fresh
		{ ...base, email: 'cat@example.com', name: 'Cat', stage: 'MQL', lastActivityAt: daysAgo(nowMs, 9), repliedAt: daysAgo(nowMs, 1) }, // replied
		{ ...base, email: 'dan@example.com', name: 'Dan', stage: 'SQL', lastActivityAt: daysAgo(nowMs, 9), followUpStep: 3, followUpStage: 'SQL' }, // sequence done
		{ ...base, email: 'eve@example.com', name: 'Eve', stage: 'SQL', lastActivityAt: daysAgo(nowMs, 9), followUpStep: 3, followUpStage: 'MQL' }, // new stage: restarts
		{ ...base, email: 'fay@example.com', name: 'Fay', stage: 'Proposal', lastActivityAt: daysAgo(nowMs, 6), followUpStep: 1, followUpStage: 'Proposal' }, // step 2
		{ ...base, email: 'gus@example.com', name: 'Gus', stage: 'Won', lastActivityAt: daysAgo(nowMs, 90) }, // closed
		{ ...base, email: 'hal@example.com', name: 'Hal', stage: 'MQL', lastActivityAt: daysAgo(nowMs, 9), unsubscribed: 'TRUE' }, // unsubscribed
		{ email: 'ida@example.com', name: 'Ida', stage: 'MQL', lastActivityAt: daysAgo(nowMs, 20), stageChangedAt: daysAgo(nowMs, 1) }, // just moved stage
		{ ...base, email: 'joe@example.com', name: 'Joe', stage: 'Negotiation', lastActivityAt: daysAgo(nowMs, 8), followUpStep: 2, followUpStage: 'negotiation' }, // step 3 (case-insensitive stage)
	];
}

function toRows(leads: Lead[]): (string | number | boolean | null)[][] {
	return [LEAD_HEADERS, ...leads.map((lead) => LEAD_HEADERS.map((h) => lead[h] ?? ''))];
}

let sheets: SheetsServer;
let smtp: RunningSmtpServer;

beforeAll(async () => {
	sheets = await startSheetsServer();
	smtp = await startSmtpServer();
});
afterAll(async () => {
	await sheets.close();
	await smtp.close();
});

describe('daily follow-ups template: run', () => {
	test('emails exactly the stale leads that are due, records the step first, logs each email, and sends nothing twice', async () => {
		const nowMs = Date.now();
		const leads = [...handPicked(nowMs), ...randomLeads(nowMs, 60)];
		const expected = expectedFollowUps(leads, nowMs);
		// The hand-picked cases mean what their comments say.
		expect(['ann', 'eve', 'fay', 'joe'].map((n) => expected.get(`${n}@example.com`)?.step)).toEqual([1, 1, 2, 3]);
		expect(['bob', 'cat', 'dan', 'gus', 'hal', 'ida'].some((n) => expected.has(`${n}@example.com`))).toBe(false);
		expect(expected.size).toBeGreaterThan(8);

		const id = sheets.createSpreadsheet({ Leads: toRows(leads), Touchpoints: [TOUCHPOINT_HEADERS] });
		smtp.clear();
		const options = { trigger: 'Every morning', triggerItems: [{}], spreadsheetId: id, credentials: testCredentials(sheets, smtp) };
		const run = await runTemplate(committedTemplate(template), options);
		expect(run.error).toBeUndefined();

		const mails = smtp.messages;
		expect(mails.map((m) => m.to[0]).sort()).toEqual([...expected.keys()].sort());
		for (const mail of mails) {
			const { step } = expected.get(mail.to[0])!;
			const subject = step === 1 ? /^Following up/ : step === 2 ? /^Any questions\?$/ : /^Should I close your file\?$/;
			expect({ to: mail.to[0], subject: mail.subject }).toEqual({ to: mail.to[0], subject: expect.stringMatching(subject) });
			expect(mail.from).toBe('you@example.com');
		}
		expect(mails.find((m) => m.to[0] === 'ann@example.com')!.subject).toBe('Following up on Acme');
		expect(mails.find((m) => m.to[0] === 'ann@example.com')!.text).toMatch(/^Hi Ann,/);

		const after = tabRecords(sheets.getValues(id, 'Leads'));
		for (const lead of after) {
			const due = expected.get(String(lead.email));
			const before = leads.find((l) => l.email === lead.email)!;
			if (!due) {
				expect({ email: lead.email, step: String(lead.followUpStep ?? ''), last: lead.lastActivityAt ?? '' }).toEqual({
					email: lead.email,
					step: String(before.followUpStep ?? ''),
					last: before.lastActivityAt ?? '',
				});
				continue;
			}
			expect({ email: lead.email, step: Number(lead.followUpStep), stage: lead.followUpStage }).toEqual({ email: lead.email, step: due.step, stage: due.stage });
			expect(Math.abs(Date.parse(String(lead.lastFollowUpAt)) - nowMs)).toBeLessThan(120_000);
			expect(lead.lastActivityAt).toBe(lead.lastFollowUpAt);
		}

		const log = tabRecords(sheets.getValues(id, 'Touchpoints'));
		expect(log.map((r) => r.email).sort()).toEqual([...expected.keys()].sort());
		for (const row of log) {
			const due = expected.get(String(row.email))!;
			expect(row).toMatchObject({ type: 'follow-up email', channel: 'email', subject: `Follow-up ${due.step} (stage ${due.stage})` });
		}

		// The same morning again: every emailed lead now has fresh activity, nobody is emailed twice.
		smtp.clear();
		const again = await runTemplate(committedTemplate(template), options);
		expect(again.error).toBeUndefined();
		expect(smtp.messages).toEqual([]);
		expect(tabRecords(sheets.getValues(id, 'Touchpoints'))).toHaveLength(expected.size);
	});

	test('a Leads tab without the follow-up columns stops the run before any email is sent', async () => {
		const nowMs = Date.now();
		// A CRM set up before the follow-up columns were standard.
		const followUpColumns = ['followUpStep', 'followUpStage', 'lastFollowUpAt', 'repliedAt', 'unsubscribed'];
		const headers = LEAD_HEADERS.filter((h) => !followUpColumns.includes(h));
		expect(headers).toHaveLength(LEAD_HEADERS.length - followUpColumns.length);
		const id = sheets.createSpreadsheet({
			Leads: [headers, headers.map((h) => ({ email: 'zoe@example.com', name: 'Zoe', stage: 'New', lastActivityAt: daysAgo(nowMs, 10) })[h] ?? '')],
			Touchpoints: [TOUCHPOINT_HEADERS],
		});
		smtp.clear();
		const run = await runTemplate(committedTemplate(template), { trigger: 'Every morning', triggerItems: [{}], spreadsheetId: id, credentials: testCredentials(sheets, smtp) });
		expect(run.error?.nodeName).toBe('Record follow-up step');
		expect(run.error?.message).toMatch(/followUpStep.*not a column of tab "Leads"/);
		expect(smtp.messages).toEqual([]);
		expect(sheets.getValues(id, 'Touchpoints')).toEqual([TOUCHPOINT_HEADERS]);
	});

	test('a lead who writes in (Inquiry auto-reply notes the reply) gets no more follow-ups', async () => {
		const nowMs = Date.now();
		const stale = { stage: 'MQL', lastActivityAt: daysAgo(nowMs, 10), stageChangedAt: daysAgo(nowMs, 10) };
		const leads: Lead[] = [
			{ ...stale, email: 'ann@example.com', name: 'Ann' },
			{ ...stale, email: 'bob@example.com', name: 'Bob' },
		];
		const id = sheets.createSpreadsheet({
			Leads: toRows(leads),
			Touchpoints: [TOUCHPOINT_HEADERS],
			IntentRules: [['intent', 'keywords']],
			FAQ: [['intent', 'subject', 'answer']],
		});
		const credentials = testCredentials(sheets, smtp);
		const inbound = { from: 'Ann <ann@example.com>', subject: 'Re: Following up', textPlain: 'Yes, still interested!', metadata: {} };
		const inquiry = await runTemplate(committedTemplate(inquiryAutoReply), { trigger: 'New email', triggerItems: [inbound], spreadsheetId: id, credentials });
		expect(inquiry.error).toBeUndefined();
		// Without the reply both leads would be due; with it only Bob is.
		expect([...expectedFollowUps(leads, nowMs).keys()]).toEqual(['ann@example.com', 'bob@example.com']);
		smtp.clear();
		const run = await runTemplate(committedTemplate(template), { trigger: 'Every morning', triggerItems: [{}], spreadsheetId: id, credentials });
		expect(run.error).toBeUndefined();
		expect(smtp.messages.map((m) => m.to[0])).toEqual(['bob@example.com']);
	});
});
