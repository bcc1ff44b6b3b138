/**
 * Template 3 in real n8n: the demo CRM data is loaded into the local Sheets server, the weekly
 * report runs with `n8n execute`, and the email captured by the SMTP server must carry the same
 * figures as the library computes on the same data. The HTML is rendered in headless Chromium
 * (Debian's) and the PNG kept in test-artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFunnel, compareVariants, fitAndPredict } from '../../index';
import { WEEKLY_REPORT_ID } from '../../scripts/templates/weeklyReport.template';
import { ROOT, executeWorkflowAsync } from './n8nInstance';
import { createWorld, tabRecords, type World } from './world';

jest.setTimeout(600_000);

const demoTab = (tab: string): unknown[][] => JSON.parse(readFileSync(join(ROOT, 'demo', 'data', `${tab}.json`), 'utf8')) as unknown[][];
const records = (tab: string) => {
	const [header, ...rows] = demoTab(tab) as [string[], ...unknown[][]];
	return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])));
};

let world: World;
let html: string;

beforeAll(async () => {
	const extraTabs: Record<string, unknown[][]> = {};
	for (const tab of ['StageHistory', 'Campaigns', 'Variants', 'Touchpoints', 'Orders']) extraTabs[tab] = demoTab(tab);
	world = await createWorld({ extraTabs });
	const result = await executeWorkflowAsync(world.userFolder, WEEKLY_REPORT_ID);
	if (result.code !== 0 || result.error) throw new Error(`weekly report failed:\n${result.output.slice(-5000)}`);
	const mail = await world.smtp.waitForMessages(1, 30_000);
	html = mail[0].html as string;
}, 900_000);

afterAll(async () => world?.stop());

const text = (id: string) => {
	const match = new RegExp(`id="${id}">([^<]*)<`).exec(html);
	return match ? match[1].replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"') : undefined;
};

describe('weekly pipeline report template in real n8n', () => {
	it('emails the report to the founder with the subject and three inline SVG charts', () => {
		const mail = world.smtp.messages[0];
		expect(mail.to).toEqual(['founder@example.com']);
		expect(mail.subject).toBe('Weekly sales report');
		expect((html.match(/<svg[\s>]/g) ?? []).length).toBe(3);
	});

	it("states the funnel bottleneck the library finds on the same stage history", () => {
		const events = records('StageHistory').map((r) => ({ entityId: r.key, step: r.to, timestamp: r.time }));
		const expected = analyzeFunnel({ events }, { stages: ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won'], conversionWindowMs: 365 * 86_400_000 });
		expect(text('funnel-sentence')).toBe(expected.bottleneck.sentence);
	});

	it('gives the A/B verdict the library gives on the same variants', () => {
		const variants = records('Variants').map((r) => ({ name: String(r.variant), trials: Number(r.trials), successes: Number(r.successes) }));
		expect(text('ab-verdict')).toBe(compareVariants(variants, { control: 'A' }).verdict);
	});

	it('totals the expected customer value the library predicts on the same orders', () => {
		const { customers } = fitAndPredict(records('Orders'), {
			customerId: 'customerEmail',
			date: 'date',
			amount: 'amount',
			unit: 'weeks',
			purchaseModel: 'bgNbd',
			horizon: 12,
			discountRate: 0.01,
			margin: 1,
		});
		const total = customers.reduce((sum, c) => sum + (c.clv ?? 0), 0);
		const shown = `Expected value of current customers over the horizon: ${total.toLocaleString('en-US', { maximumFractionDigits: 0 })} from ${customers.length.toLocaleString('en-US')} customers.`;
		expect(text('clv-total')).toBe(shown);
	});

	it('appends the headline figures to the Reports tab', () => {
		const rows = tabRecords(world, 'Reports');
		expect(rows.map((r) => r.metric)).toEqual(['overall conversion', 'campaign summary', 'A/B verdict', 'total expected CLV']);
		expect(rows[2].details).toBe(text('ab-verdict'));
	});

	it('renders in headless Chromium with its charts (PNG kept in test-artifacts/)', () => {
		const artifacts = join(ROOT, 'test-artifacts');
		mkdirSync(artifacts, { recursive: true });
		const page = join(artifacts, 'weekly-report.html');
		const png = join(artifacts, 'weekly-report.png');
		writeFileSync(page, html);
		const flags = [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			`--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
		];
		const shot = spawnSync('chromium', [...flags, '--window-size=900,2800', `--screenshot=${png}`, `file://${page}`], { encoding: 'utf8', timeout: 120_000 });
		expect(shot.status).toBe(0);
		expect(statSync(png).size).toBeGreaterThan(50_000);
		// The DOM after rendering: three SVG charts with drawn bars, laid out with a real size.
		const dom = spawnSync('chromium', [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 120_000 });
		expect(dom.status).toBe(0);
		const charts = dom.stdout.match(/<svg[^>]*>/g) ?? [];
		expect(charts).toHaveLength(3);
		for (const chart of charts) expect(chart).toMatch(/width="\d+"/);
		expect((dom.stdout.match(/<rect/g) ?? []).length).toBeGreaterThan(15);
	});
});
