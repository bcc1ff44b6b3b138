/**
 * Template 5 (win-back by CLV segment): structure checks, and the whole workflow run
 * in-process (Schedule replaced by a manual start) against the local Sheets API server and a
 * real SMTP server, on orders simulated from the BG/NBD story (Fader, Hardie & Lee 2005:
 * Poisson purchases while alive, a geometric drop-out after each purchase). The customers
 * emailed must be exactly those the library's fitAndPredict puts in the chosen segments with a
 * CLV at or above the threshold.
 */
import * as template from '../../scripts/templates/winBack.template';
import { seededRandom } from '../../bench/lib';
import { fitAndPredict } from '../../nodes/ClvCalculator';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { startSmtpServer, type RunningSmtpServer } from '../servers/smtpServer';
import { committedTemplate, runTemplate, tabRecords, templateStructureTests, testCredentials, type TemplateNodeJson } from './templates-support';

describe('win-back template: structure', () => templateStructureTests(template));

const DAY = 86_400_000;
const ORDER_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Orders')!.headers;
const TOUCHPOINT_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Touchpoints')!.headers;

/** Orders of `customers` people over 78 weeks ending 2024-06-30, BG/NBD style. */
function simulateOrders(customers: number, seed: number): (string | number)[][] {
	const random = seededRandom(seed);
	const end = Date.UTC(2024, 5, 30);
	const start = end - 78 * 7 * DAY;
	const rows: (string | number)[][] = [];
	const gamma = (shape: number) => {
		// Sum of exponentials for integer shape, good enough for a simulation.
		let x = 0;
		for (let k = 0; k < shape; k++) x -= Math.log(1 - random());
		return x;
	};
	for (let c = 0; c < customers; c++) {
		const rate = gamma(2) / 6; // purchases per week while alive
		const dropOut = 0.05 + 0.4 * random();
		const spend = 20 + 200 * random();
		let t = start + random() * (end - start) * 0.8;
		let n = 0;
		while (t <= end) {
			rows.push([`o${c}-${n}`, `c${c}@example.com`, new Date(t).toISOString().slice(0, 10), Math.round(spend * (0.6 + 0.8 * random()) * 100) / 100, 'EUR', 'Plan', '', '']);
			n++;
			if (random() < dropOut) break;
			t += (-Math.log(1 - random()) / rate) * 7 * DAY;
		}
	}
	return [ORDER_HEADERS, ...rows];
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

function settingsWith(minClv: number): Partial<TemplateNodeJson> {
	const node = committedTemplate(template).nodes.find((n) => n.name === 'Win-back settings')!;
	const list = (node.parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
	return { parameters: { assignments: { assignments: list.map((a) => (a.name === 'minClv' ? { ...a, value: minClv } : a)) } } };
}

describe('win-back template: run', () => {
	test('emails exactly the at-risk and hibernating customers whose CLV clears the threshold who had no win-back lately and did not unsubscribe, and logs each', async () => {
		const orders = simulateOrders(300, 7);
		const records = tabRecords(orders);
		const { customers } = fitAndPredict(records, {
			customerId: 'customerEmail',
			date: 'date',
			amount: 'amount',
			unit: 'weeks',
			purchaseModel: 'bgNbd',
			horizon: 12,
			discountRate: 0.01,
			penalizer: 0,
		});
		const candidates = customers.filter((c) => c.segment === 'at risk' || c.segment === 'hibernating');
		expect(new Set(candidates.map((c) => c.segment))).toEqual(new Set(['at risk', 'hibernating']));
		// Threshold at the median candidate CLV: some candidates pass, some do not.
		const clvs = candidates.map((c) => c.clv as number).sort((a, b) => a - b);
		const minClv = clvs[Math.floor(clvs.length / 2)];
		const eligible = candidates.filter((c) => (c.clv as number) >= minClv).map((c) => String(c.customerId));
		// Earlier touchpoints: a win-back 30 days ago (cool-down: skip), one 200 days ago (fine again),
		// and a recent email of another type (not a win-back: no effect).
		// And one customer who unsubscribed (Leads), one lead row that is not a customer.
		const [recent, longAgo, otherType, optedOut] = eligible;
		const touch = (email: string, daysAgo: number, type: string) =>
			TOUCHPOINT_HEADERS.map((h) => ({ id: `t-${email}-${type}`, time: new Date(Date.now() - daysAgo * DAY).toISOString(), email: email.toUpperCase(), type, channel: 'email' })[h] ?? '');
		const id = sheets.createSpreadsheet({
			Orders: orders,
			Touchpoints: [TOUCHPOINT_HEADERS, touch(recent, 30, 'win-back email'), touch(longAgo, 200, 'win-back email'), touch(otherType, 2, 'follow-up email')],
			Leads: [
				['email', 'name', 'stage', 'unsubscribed'],
				[optedOut.toUpperCase(), 'Opted Out', 'Won', 'TRUE'],
				[longAgo, 'Still Fine', 'Won', 'false'],
				['prospect@example.com', 'Not a customer', 'New', 'TRUE'],
			],
		});
		const skipped = [recent, optedOut];
		const expected = new Map(candidates.filter((c) => eligible.includes(String(c.customerId)) && !skipped.includes(String(c.customerId))).map((c) => [String(c.customerId), c]));
		expect(expected.size).toBeGreaterThan(3);
		expect(expected.size).toBeLessThan(candidates.length);

		smtp.clear();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'First of the month',
			triggerItems: [{}],
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
			patch: { 'Win-back settings': settingsWith(minClv) },
		});
		expect(run.error).toBeUndefined();

		expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([...expected.keys()].sort());
		for (const mail of smtp.messages) {
			expect(mail.subject).toBe('It has been a while: a small thank-you');
			expect(mail.text).toContain(`your last order was on ${expected.get(mail.to[0])!.lastPurchase}`);
			expect(mail.text).toContain('WELCOMEBACK');
		}
		const log = tabRecords(sheets.getValues(id, 'Touchpoints')).slice(3);
		expect(log.map((r) => r.email).sort()).toEqual([...expected.keys()].sort());
		for (const row of log) {
			const c = expected.get(String(row.email))!;
			expect(row).toMatchObject({
				type: 'win-back email',
				channel: 'email',
				campaign: 'win-back',
				details: `segment ${c.segment}, CLV ${(c.clv as number).toFixed(2)}, P(alive) ${c.pAlive.toFixed(2)}`,
			});
		}
	});

	test('a threshold above every CLV sends nothing and logs nothing', async () => {
		const orders = simulateOrders(120, 11);
		const id = sheets.createSpreadsheet({ Orders: orders, Touchpoints: [TOUCHPOINT_HEADERS], Leads: [STANDARD_TABS.find((t) => t.tab === 'Leads')!.headers] });
		smtp.clear();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'First of the month',
			triggerItems: [{}],
			spreadsheetId: id,
			credentials: testCredentials(sheets, smtp),
			patch: { 'Win-back settings': settingsWith(1e12) },
		});
		expect(run.error).toBeUndefined();
		expect(smtp.messages).toEqual([]);
		expect(sheets.getValues(id, 'Touchpoints')).toEqual([TOUCHPOINT_HEADERS]);
	});
});
