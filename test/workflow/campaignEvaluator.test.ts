/**
 * The Campaign Evaluator run by n8n-core in-process: parameters as the editor stores them,
 * expressions resolved per item, pairedItem, continueOnFail and configuration errors.
 */
import { runNode } from '../harness/runWorkflow';

const seedCampaigns = [
	{ campaign: 'email', objectiveAchieved: '80%', budget: 5000, revenue: 9000 },
	{ campaign: 'social', objectiveAchieved: '60%', budget: 8000, revenue: 8500 },
	{ campaign: 'offline', objectiveAchieved: '40%', budget: 10000, revenue: 7000 },
];

describe('Campaign Evaluator in n8n: evaluate campaigns', () => {
	it("reproduces the seed's 0.8 / 0.6 / 0.4 and adds a summary paired to every campaign", async () => {
		const run = await runNode({ type: 'campaignEvaluator', parameters: { operation: 'evaluateCampaigns', minimumBudget: 1000 }, items: seedCampaigns });
		expect(run.error).toBeUndefined();
		const [email, social, offline, summary] = run.outputs[0] as Array<Record<string, unknown>>;
		expect([email.effectivenessIndex, social.effectivenessIndex, offline.effectivenessIndex]).toEqual([0.8, 0.6, 0.4]);
		expect([email.rank, social.rank, offline.rank]).toEqual([1, 2, 3]);
		expect(email.returnOnInvestment).toBe((9000 - 5000) / 5000);
		expect(summary.type).toBe('summary');
		expect(summary.advice).toMatch(/^Move [\d,]+ from offline \(ROI -30%\) and social \(ROI 6%\) to email \(ROI 80%\), keeping at least 1,000 in every campaign\.$/);
		expect(run.items[0].slice(0, 3).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items[0][3].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('reads custom field names and can output the summary only', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'evaluateCampaigns', campaignFields: { campaign: 'Name', spend: 'Cost', revenue: 'Sales' }, campaignOptions: { output: 'summary' } },
			items: [
				{ Name: 'A', Cost: 100, Sales: 300 },
				{ Name: 'B', Cost: 0, Sales: 50 },
			],
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs[0]).toHaveLength(1);
		const summary = run.outputs[0][0] as { bestCampaign: string; returnOnInvestment: number; warnings: string[] };
		expect(summary.bestCampaign).toBe('A');
		expect(summary.returnOnInvestment).toBe((350 - 100) / 100);
		expect(JSON.stringify(run.outputs)).not.toMatch(/NaN|Infinity/);
	});

	it('with On Error: Continue, a bad row becomes an error item and the other campaigns are evaluated', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'evaluateCampaigns', campaignOptions: { output: 'campaigns' } },
			items: [seedCampaigns[0], { campaign: 'broken', budget: 'a lot' }, seedCampaigns[2]],
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		const out = run.outputs[0] as Array<Record<string, unknown>>;
		expect(out[0]).toMatchObject({ error: 'Item 1: field "budget" is "a lot", which is not a number', errorField: 'budget' });
		expect(run.items[0][0].pairedItem).toEqual({ item: 1 });
		expect(out.slice(1).map((c) => c.campaign)).toEqual(['email', 'offline']);
		expect(run.items[0].slice(1).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
	});

	it('without it, the bad row stops the node and names the item', async () => {
		const run = await runNode({ type: 'campaignEvaluator', parameters: { operation: 'evaluateCampaigns' }, items: [seedCampaigns[0], { campaign: 'broken', budget: 'a lot' }] });
		expect(run.error?.message).toBe('Item 1: field "budget" is "a lot", which is not a number');
		expect(run.error?.itemIndex).toBe(1);
	});
});

describe('Campaign Evaluator in n8n: compare variants', () => {
	it('reads each variant from per-item expressions and gives the verdict', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'compareVariants', variantName: '={{ $json.version }}', visitors: '={{ $json.sent }}', conversions: '={{ $json.replies }}' },
			items: [
				{ version: 'A', sent: 1000, replies: 200 },
				{ version: 'B', sent: 1000, replies: 240 },
			],
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs[0]).toHaveLength(1);
		const result = run.outputs[0][0] as Record<string, number | string>;
		expect((result.zScore as number).toFixed(4)).toBe('2.1592');
		expect((result.pValue as number).toFixed(5)).toBe('0.03084');
		expect((result.probabilityToBeatControl as number).toFixed(5)).toBe('0.98454');
		expect(result.verdict).toBe('B beats A with 98.5% probability; for 80% power to detect a 10% lift keep going until ~6,510 visitors per arm.');
		expect(run.items[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('uses the default expressions, a chosen control and an absolute effect', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'compareVariants', control: 'B', minimumDetectableEffect: 2, effectType: 'absolute', variantOptions: { power: 90 } },
			items: [
				{ variant: 'A', visitors: '1,000', conversions: 200 },
				{ variant: 'B', visitors: 1000, conversions: 240 },
				{ variant: 'C', visitors: 1000, conversions: 215 },
			],
		});
		expect(run.error).toBeUndefined();
		const rows = run.outputs[0] as Array<Record<string, unknown>>;
		expect(rows.map((r) => `${r.variant} vs ${r.control}`)).toEqual(['A vs B', 'C vs B']);
		expect(rows[0].chiSquarePValue).toBeCloseTo(0.0914, 4);
		expect(rows[0].verdict).toMatch(/^B beats every variant: the best of them, C, has a \d+\.\d% chance of being better/);
		expect(rows[0].verdict).toMatch(/for 90% power to detect a 2-point change keep going until/);
		expect(run.items[0][1].pairedItem).toEqual([{ item: 1 }, { item: 2 }]);
	});

	it('with On Error: Continue, a variant with more conversions than visitors becomes an error item', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'compareVariants' },
			items: [
				{ variant: 'A', visitors: 1000, conversions: 200 },
				{ variant: 'B', visitors: 100, conversions: 240 },
				{ variant: 'C', visitors: 1000, conversions: 230 },
			],
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		const [error, comparison] = run.outputs[0] as Array<Record<string, unknown>>;
		expect(error.error).toBe('Item 1: conversions (240) exceed visitors (100) for variant "B".');
		expect(run.items[0][0].pairedItem).toEqual({ item: 1 });
		expect(comparison).toMatchObject({ variant: 'C', control: 'A' });
		expect(run.items[0][1].pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
	});
});

describe('Campaign Evaluator in n8n: attribute conversions', () => {
	const paths = [
		{ path: 'c1 > c2 > c3', conversions: 1, nonConversions: 0 },
		{ path: 'c1', conversions: 0, nonConversions: 1 },
		{ path: 'c2 > c3', conversions: 0, nonConversions: 1 },
	];

	it('Markov on the issue example gives 0.2 / 0.4 / 0.4, with removal effects and the transition matrix', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: {
				operation: 'attributeConversions',
				journeyFormat: 'paths',
				models: ['markov', 'linear'],
				attributionOptions: { includeRemovalEffects: true, includeTransitionMatrix: true },
			},
			items: paths,
		});
		expect(run.error).toBeUndefined();
		const rows = run.outputs[0] as Array<Record<string, number | string>>;
		const markov = rows.filter((r) => r.model === 'markov' && r.channel !== undefined);
		expect(markov.map((r) => [r.channel, Number((r.conversions as number).toFixed(12)), r.removalEffect])).toEqual([
			['c1', 0.2, 0.5],
			['c2', 0.4, 1],
			['c3', 0.4, 1],
		]);
		expect(rows.filter((r) => r.model === 'linear')).toHaveLength(3);
		const transitions = rows.filter((r) => r.from !== undefined);
		expect(transitions).toContainEqual({ model: 'markov', from: '(start)', to: 'c1', probability: 2 / 3 });
		expect(transitions).toContainEqual({ model: 'markov', from: 'c3', to: '(conversion)', probability: 0.5 });
		expect(run.items[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('builds journeys from touches with custom field names', async () => {
		const day = 86_400_000;
		const t0 = Date.UTC(2024, 2, 1);
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'attributeConversions', journeyFormat: 'touches', customerIdField: 'email', convertedField: 'bought', models: ['firstTouch', 'timeDecay'] },
			items: [
				{ email: 'a@x.com', channel: 'search', timestamp: new Date(t0).toISOString(), bought: false },
				{ email: 'a@x.com', channel: 'newsletter', timestamp: new Date(t0 + 7 * day).toISOString(), bought: true, value: 300 },
				{ email: 'b@x.com', channel: 'social', timestamp: new Date(t0).toISOString(), bought: 'no' },
			],
		});
		expect(run.error).toBeUndefined();
		const rows = run.outputs[0] as Array<{ model: string; channel: string; conversions: number; value: number }>;
		const first = rows.filter((r) => r.model === 'firstTouch');
		expect(first.map((r) => [r.channel, r.conversions])).toEqual([
			['newsletter', 0],
			['search', 1],
			['social', 0],
		]);
		const decay = Object.fromEntries(rows.filter((r) => r.model === 'timeDecay').map((r) => [r.channel, r.value]));
		// Half-life 7 days: the touch a week earlier weighs half -> 1/3 and 2/3 of the 300.
		expect(decay.search).toBeCloseTo(100, 10);
		expect(decay.newsletter).toBeCloseTo(200, 10);
	});

	it('with On Error: Continue, a touch with a bad timestamp becomes an error item and the rest is attributed', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'attributeConversions', journeyFormat: 'touches', models: ['lastTouch'] },
			items: [
				{ customerId: 1, channel: 'ads', timestamp: '2024-03-01', converted: true, value: 50 },
				{ customerId: 2, channel: 'ads', timestamp: 'someday', converted: true, value: 70 },
			],
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		const [error, ads] = run.outputs[0] as Array<Record<string, unknown>>;
		expect(error.error).toMatch(/^Item 1/);
		expect(error.errorField).toBe('timestamp');
		expect(run.items[0][0].pairedItem).toEqual({ item: 1 });
		expect(ads).toMatchObject({ model: 'lastTouch', channel: 'ads', conversions: 1, value: 50 });
	});

	it('a configuration error fails the node with a clear message', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'attributeConversions', journeyFormat: 'paths', models: ['positionBased'], attributionOptions: { firstTouchShare: 70, lastTouchShare: 50 } },
			items: paths,
		});
		expect(run.error?.message).toMatch(/^Position-based shares must be >= 0 with first \+ last between 0 and 1/);
	});

	it('no conversions at all fails with a message saying attribution is undefined', async () => {
		const run = await runNode({
			type: 'campaignEvaluator',
			parameters: { operation: 'attributeConversions', journeyFormat: 'paths' },
			items: [{ path: 'a > b', conversions: 0, nonConversions: 4 }],
		});
		expect(run.error?.message).toBe('No journey converted (1 journeys, 0 conversions): attribution is undefined.');
	});
});
