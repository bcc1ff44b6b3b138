import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
	DEMO_SEED,
	DEMO_TABS,
	OBSERVATION_END,
	PERIOD_START,
	PURCHASE_PARAMS,
	generateDemoData,
	recordsToRows,
	rowsToRecords,
	serializeDemoData,
	type DemoData,
	type Lead,
} from '../../../demo/generator';

const DATA_DIR = join(__dirname, '../../../demo/data');
const PIPELINE = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won'];
const END_DATE = '2026-10-31';

/** Reads a demo file back into records with a parser written here, not the generator's. */
function readTab(file: string): Array<Record<string, string | number | boolean>> {
	const values = JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as Array<Array<string | number | boolean>>;
	const [header, ...rows] = values;
	return rows.map((row) => {
		expect(row).toHaveLength(header.length);
		return Object.fromEntries(header.map((name, index) => [String(name), row[index]]));
	});
}

function loadFiles(): DemoData {
	return {
		leads: readTab('Leads.json'),
		stageHistory: readTab('StageHistory.json'),
		orders: readTab('Orders.json'),
		campaigns: readTab('Campaigns.json'),
		variants: readTab('Variants.json'),
		touchpoints: readTab('Touchpoints.json'),
	} as unknown as DemoData;
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const list = groups.get(key(item)) ?? [];
		list.push(item);
		groups.set(key(item), list);
	}
	return groups;
};

/** Every consistency rule between the tabs; returns the broken ones (empty when all hold). */
function consistencyProblems(data: DemoData): string[] {
	const problems: string[] = [];
	const fail = (message: string) => problems.length < 20 && problems.push(message);
	const leadsByEmail = new Map(data.leads.map((lead) => [lead.email, lead]));
	if (leadsByEmail.size !== data.leads.length) fail('lead emails are not unique');
	if (new Set(data.leads.map((lead) => lead.id)).size !== data.leads.length) fail('lead ids are not unique');

	// Stage history: starts at New when the lead was created, moves one step forward or to Lost, ends at the current stage.
	const history = groupBy(data.stageHistory, (move) => move.key);
	for (const key of history.keys()) if (!leadsByEmail.has(key)) fail(`history for unknown lead ${key}`);
	for (const lead of data.leads) {
		const moves = history.get(lead.email) ?? [];
		if (moves.length === 0) {
			fail(`${lead.email}: no history`);
			continue;
		}
		if (moves[0].from !== '' || moves[0].to !== 'New' || moves[0].time !== lead.createdAt) fail(`${lead.email}: history does not start with its creation`);
		for (let i = 1; i < moves.length; i++) {
			const { from, to, time } = moves[i];
			if (from !== moves[i - 1].to) fail(`${lead.email}: move ${i} starts from ${from}, previous ended at ${moves[i - 1].to}`);
			if (!(time > moves[i - 1].time)) fail(`${lead.email}: move ${i} is not after the previous one`);
			const allowed = to === 'Lost' ? from !== 'Won' && from !== 'Lost' : PIPELINE.indexOf(to) === PIPELINE.indexOf(from) + 1;
			if (!allowed) fail(`${lead.email}: ${from} -> ${to} is not an allowed move`);
		}
		const last = moves[moves.length - 1];
		if (last.to !== lead.stage) fail(`${lead.email}: history ends at ${last.to}, lead is at ${lead.stage}`);
		if (last.time !== lead.stageChangedAt) fail(`${lead.email}: stageChangedAt ${lead.stageChangedAt} is not the last move ${last.time}`);
		const closed = lead.stage === 'Won' || lead.stage === 'Lost';
		if ((lead.outcome === 'won') !== (lead.stage === 'Won') || (lead.outcome === 'lost') !== (lead.stage === 'Lost')) fail(`${lead.email}: outcome ${lead.outcome} vs stage ${lead.stage}`);
		if (closed ? lead.closedAt !== last.time : lead.closedAt !== '') fail(`${lead.email}: closedAt ${lead.closedAt}`);
		if ((lead.stage === 'Lost') !== (lead.lostReason !== '') || (lead.stage === 'Lost' && lead.lostReason !== last.reason)) fail(`${lead.email}: lostReason`);
		if ((lead.stage === 'Won') !== (lead.wonReason !== '')) fail(`${lead.email}: wonReason`);
		const reachedSql = moves.some((move) => move.to === 'SQL');
		if (reachedSql !== (typeof lead.amount === 'number' && lead.amount > 0)) fail(`${lead.email}: amount ${lead.amount} but reached SQL: ${reachedSql}`);
		if (lead.createdAt < '2025-05-01' || lead.stageChangedAt >= '2026-11-01') fail(`${lead.email}: outside the period`);
	}

	// Orders: only from won customers, from the day they were won to the end; the first is the deal.
	const won = data.leads.filter((lead) => lead.stage === 'Won');
	const orders = groupBy(data.orders, (order) => order.customerEmail);
	for (const email of orders.keys()) if (leadsByEmail.get(email)?.stage !== 'Won') fail(`orders from ${email}, who is not a won customer`);
	for (const lead of won) {
		const own = orders.get(lead.email) ?? [];
		if (own.length === 0) {
			fail(`${lead.email}: won without an order`);
			continue;
		}
		if (own[0].date !== lead.closedAt.slice(0, 10) || own[0].amount !== lead.amount) fail(`${lead.email}: first order is not the won deal`);
		for (const order of own) {
			if (order.date < lead.closedAt.slice(0, 10) || order.date > END_DATE) fail(`${order.id}: date ${order.date} outside the customer's life`);
			if (!(order.amount > 0) || Math.abs(Math.round(order.amount * 100) - order.amount * 100) > 1e-6) fail(`${order.id}: amount ${order.amount}`);
			if (order.campaign !== lead.campaign) fail(`${order.id}: campaign ${order.campaign} is not the lead's`);
		}
	}
	const orderIds = data.orders.map((order) => order.id);
	if (new Set(orderIds).size !== orderIds.length) fail('order ids are not unique');
	for (let i = 1; i < data.orders.length; i++) if (data.orders[i].date < data.orders[i - 1].date) fail(`orders not in date order at ${data.orders[i].id}`);

	// Touchpoints: belong to leads; exactly one conversion per won lead, worth the deal, when it was won.
	const touches = groupBy(data.touchpoints, (touch) => touch.email);
	for (const email of touches.keys()) if (!leadsByEmail.has(email)) fail(`touchpoints of unknown lead ${email}`);
	for (const lead of data.leads) {
		const own = touches.get(lead.email) ?? [];
		const conversions = own.filter((touch) => touch.converted);
		if (lead.stage === 'Won') {
			if (conversions.length !== 1 || conversions[0].value !== lead.amount || conversions[0].time !== lead.closedAt) fail(`${lead.email}: conversion touch`);
		} else if (conversions.length !== 0) fail(`${lead.email}: converted touch on a lead that was not won`);
		if (own.some((touch) => !touch.converted && touch.value !== 0)) fail(`${lead.email}: value on a non-converting touch`);
		if (!own.some((touch) => touch.time === lead.createdAt)) fail(`${lead.email}: no touch created it`);
		const latest = own.reduce((max, touch) => (touch.time > max ? touch.time : max), lead.createdAt);
		if (latest !== lead.lastActivityAt) fail(`${lead.email}: lastActivityAt ${lead.lastActivityAt} is not the last touch ${latest}`);
		if (lead.closedAt !== '' && own.some((touch) => touch.time > lead.closedAt)) fail(`${lead.email}: touch after closing`);
		if (own.some((touch) => touch.time >= '2026-11-01')) fail(`${lead.email}: touch after the data ends`);
	}

	// Campaigns: counts and revenue agree with the leads and orders.
	for (const campaign of data.campaigns) {
		const own = data.leads.filter((lead) => lead.campaign === campaign.id);
		const customers = own.filter((lead) => lead.stage === 'Won');
		const revenue = data.orders.filter((order) => customers.some((lead) => lead.email === order.customerEmail)).reduce((sum, order) => sum + order.amount, 0);
		if (campaign.leads !== own.length || campaign.conversions !== customers.length) fail(`${campaign.id}: leads/conversions do not match the Leads tab`);
		if (Math.abs(campaign.revenue - revenue) > 0.005) fail(`${campaign.id}: revenue ${campaign.revenue} vs orders ${revenue}`);
		if (campaign.objectiveAchieved !== (campaign.objective === 'leads' ? own.length : customers.length)) fail(`${campaign.id}: objectiveAchieved`);
		if (campaign.clicks > campaign.impressions) fail(`${campaign.id}: more clicks than impressions`);
		if (own.some((lead) => lead.createdAt.slice(0, 10) < campaign.startDate || lead.createdAt.slice(0, 10) > campaign.endDate)) fail(`${campaign.id}: lead outside its dates`);
	}
	for (const lead of data.leads) if (lead.campaign !== '' && !data.campaigns.some((campaign) => campaign.id === lead.campaign)) fail(`${lead.email}: unknown campaign`);
	for (const variant of data.variants) if (variant.successes > variant.trials || variant.successes < 0) fail(`variant ${variant.variant}: successes`);
	return problems;
}

describe('demo CRM data (demo/data)', () => {
	const files = loadFiles();

	it('is exactly what the generator writes for the default seed (regenerate with scripts/generate-demo-data.ts)', () => {
		const generated = serializeDemoData(generateDemoData(DEMO_SEED));
		expect(Object.keys(generated).sort()).toEqual(readdirSync(DATA_DIR).filter((name) => name.endsWith('.json')).sort());
		for (const [file, text] of Object.entries(generated)) expect(readFileSync(join(DATA_DIR, file), 'utf8') === text).toBe(true);
	});

	it('is deterministic: the same seed gives the same bytes, another seed other data', () => {
		const first = serializeDemoData(generateDemoData(7));
		const second = serializeDemoData(generateDemoData(7));
		expect(second).toEqual(first);
		expect(serializeDemoData(generateDemoData(8))['Leads.json']).not.toEqual(first['Leads.json']);
	});

	it('has the documented sizes: 500 leads, about 2,000 orders over 18 months, 5 campaigns, one A/B pair, under 1 MB', () => {
		expect(files.leads).toHaveLength(500);
		expect(files.orders.length).toBeGreaterThanOrEqual(1800);
		expect(files.orders.length).toBeLessThanOrEqual(2600);
		expect(files.campaigns).toHaveLength(5);
		expect(files.variants.map((variant) => variant.variant)).toEqual(['A', 'B']);
		expect(files.touchpoints.length).toBeGreaterThan(3 * files.leads.length);
		const dates = files.orders.map((order) => order.date).sort();
		expect(dates[0] >= '2025-05-01' && dates[dates.length - 1] <= END_DATE).toBe(true);
		expect(new Date(OBSERVATION_END).toISOString().slice(0, 10)).toBe('2026-11-01');
		expect(new Date(PERIOD_START).toISOString().slice(0, 10)).toBe('2025-05-01');
		const bytes = readdirSync(DATA_DIR).reduce((sum, name) => sum + statSync(join(DATA_DIR, name)).size, 0);
		expect(bytes).toBeLessThan(1024 * 1024);
	});

	it('covers every stage, every source and both outcomes', () => {
		const count = (pick: (lead: Lead) => string) => groupBy(files.leads, pick);
		expect([...count((lead) => lead.stage).keys()].sort()).toEqual(['Lost', 'MQL', 'Negotiation', 'New', 'Proposal', 'SQL', 'Won']);
		expect([...count((lead) => lead.source).keys()].sort()).toEqual(['email', 'facebook ads', 'linkedin', 'referral', 'web form']);
		for (const stage of ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation']) expect((count((lead) => lead.stage).get(stage) ?? []).length).toBeGreaterThanOrEqual(3);
		expect((count((lead) => lead.stage).get('Won') ?? []).length).toBeGreaterThanOrEqual(80);
	});

	it('is consistent across tabs: history, orders, touchpoints and campaigns agree with the leads', () => {
		expect(consistencyProblems(files)).toEqual([]);
	});

	it('uses obviously fictional contacts, a few of them with non-Latin names', () => {
		for (const lead of files.leads) {
			expect(lead.email).toMatch(/^[a-z0-9.]+@[a-z0-9-]+\.example$/);
			expect(lead.phone).toMatch(/^\+44 7700 900\d{3}$/);
		}
		const nonLatin = files.leads.filter((lead) => /[\p{Script=Han}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Greek}\p{Script=Hangul}\p{Script=Devanagari}\p{Script=Hebrew}]/u.test(lead.name));
		expect(nonLatin.length).toBeGreaterThanOrEqual(5);
		expect(nonLatin.length).toBeLessThan(60);
	});

	it('carries learnable structure (checked with numpy/scipy in test/reference/demo_models.py)', () => {
		const run = spawnSync('python3', [join(__dirname, '../../reference/demo_models.py'), DATA_DIR], { encoding: 'utf8' });
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		const result = JSON.parse(run.stdout) as {
			bgNbd: { meanRate: number; meanDropout: number; converged: boolean };
			spendFrequencyCorrelation: number;
			logistic: { coefficients: Record<string, { estimate: number; z: number }> };
		};
		// A BG/NBD fit recovers the purchase process the orders were drawn from.
		const { r, alpha, a, b } = PURCHASE_PARAMS;
		expect(result.bgNbd.converged).toBe(true);
		expect(result.bgNbd.meanRate / (r / alpha)).toBeGreaterThan(0.7);
		expect(result.bgNbd.meanRate / (r / alpha)).toBeLessThan(1.3);
		expect(result.bgNbd.meanDropout / (a / (a + b))).toBeGreaterThan(0.5);
		expect(result.bgNbd.meanDropout / (a / (a + b))).toBeLessThan(2);
		// Gamma-Gamma's assumption: spend per order does not depend on how often a customer buys.
		expect(Math.abs(result.spendFrequencyCorrelation)).toBeLessThan(0.3);
		// Behaviour predicts winning: more page views and inquiries, clearly higher odds.
		expect(result.logistic.coefficients['log1p(pageViews)'].z).toBeGreaterThan(2);
		expect(result.logistic.coefficients.inquiries.z).toBeGreaterThan(2);
	});
});

describe('demo generator on other seeds (property)', () => {
	it('keeps every consistency rule for any seed', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
				const data = generateDemoData(seed);
				expect(data.leads).toHaveLength(500);
				expect(consistencyProblems(data)).toEqual([]);
			}),
			{ numRuns: 12 },
		);
	});

	it('writes rows that read back into the same records', () => {
		const data = generateDemoData(DEMO_SEED);
		for (const kind of Object.keys(DEMO_TABS) as Array<keyof DemoData>) {
			const rows = recordsToRows(data[kind] as object[], DEMO_TABS[kind].columns as never);
			expect(rowsToRecords(rows)).toEqual(data[kind]);
		}
	});
});
