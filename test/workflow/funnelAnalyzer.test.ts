/**
 * The Funnel Analyzer run by n8n-core in-process: parameters as the editor stores them,
 * expressions resolved per item, pairedItem, continueOnFail and configuration errors.
 */
import { runNode } from '../harness/runWorkflow';

const seedItems = [
	{ phase: 'Potential customer', n: 100 },
	{ phase: 'Quote', n: 70 },
	{ phase: 'Negotiation', n: 50 },
	{ phase: 'Signed contract', n: 30 },
];
const countParams = { operation: 'stageCounts', stageName: '={{ $json.phase }}', count: '={{ $json.n }}' };

describe('Funnel Analyzer in n8n', () => {
	it('analyzes the seed counts from per-item expressions, with a summary item paired to every input', async () => {
		const run = await runNode({ type: 'funnelAnalyzer', parameters: { ...countParams, output: 'summary' }, items: seedItems });
		expect(run.error).toBeUndefined();
		expect(run.outputs[0]).toHaveLength(1);
		const summary = run.outputs[0][0] as { steps: Array<{ name: string; conversionRate: number | null }>; overallConversion: number; sentence: string };
		expect(summary.steps.map((s) => s.conversionRate)).toEqual([0.7, 50 / 70, 0.6, null]);
		expect(summary.overallConversion).toBe(0.3);
		expect(summary.sentence).toMatch(/^The weakest step is Negotiation → Signed contract/);
		expect(run.items[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('outputs one item per step, and an SVG chart as binary data', async () => {
		const run = await runNode({ type: 'funnelAnalyzer', parameters: { ...countParams, output: 'steps', includeChart: true }, items: seedItems });
		expect(run.error).toBeUndefined();
		expect(run.outputs[0].map((s) => s.step)).toEqual(['Potential customer', 'Quote', 'Negotiation', 'Signed contract']);
		expect(run.outputs[0].map((s) => s.isBottleneck)).toEqual([false, false, true, false]);
		const chart = run.items[0][0].binary?.chart;
		expect(chart?.mimeType).toBe('image/svg+xml');
		expect(chart?.fileName).toBe('funnel.svg');
		const svg = Buffer.from(chart?.data ?? '', 'base64').toString('utf8');
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640"/);
		expect(svg).toContain('Signed contract');
	});

	it('analyzes CRM deal records with pipeline metrics and a segment breakdown', async () => {
		const deals = [
			...Array.from({ length: 30 }, (_, i) => ({ stage: i % 3 === 0 ? 'Won' : i % 3 === 1 ? 'Lost' : 'Proposal', amount: 1000, source: 'ads' })),
			...Array.from({ length: 30 }, (_, i) => ({ stage: i % 2 === 0 ? 'Won' : 'SQL', amount: 2000, source: 'referral' })),
		];
		const run = await runNode({
			type: 'funnelAnalyzer',
			parameters: {
				operation: 'records',
				output: 'both',
				options: { segmentField: 'source', stageProbabilities: { probability: [{ stage: 'Proposal', percent: 50 }] } },
			},
			items: deals,
		});
		expect(run.error).toBeUndefined();
		const [summary, ...steps] = run.outputs[0] as Array<Record<string, unknown>>;
		const pipeline = summary.pipeline as Record<string, number>;
		expect(pipeline.won).toBe(25);
		expect(pipeline.lost).toBe(10);
		expect(pipeline.winRate).toBe(25 / 35);
		// SQL has no configured probability: historical, where the undated lost deals only count at "New".
		expect(pipeline.weightedPipeline).toBe(10 * 1000 * 0.5 + 15 * 2000 * 1);
		expect((summary.warnings as string[]).join(' ')).toMatch(/10 lost deals have no stage entry dates/);
		expect((summary.segments as { baseline: string }).baseline).toBe('ads');
		// 6 overall rows + 6 per segment.
		expect(steps).toHaveLength(18);
		expect(steps.filter((s) => s.segment === 'referral').map((s) => s.entered)).toEqual([30, 30, 30, 15, 15, 15]);
	});

	it('analyzes a stage history event log with a conversion window', async () => {
		const history = [
			{ key: 'a@x.io', to: 'New', time: '2024-03-01T09:00:00Z' },
			{ key: 'a@x.io', to: 'MQL', time: '2024-03-05T09:00:00Z' },
			{ key: 'b@x.io', to: 'New', time: '2024-03-01T09:00:00Z' },
			{ key: 'b@x.io', to: 'MQL', time: '2024-04-15T09:00:00Z' },
		];
		const run = await runNode({
			type: 'funnelAnalyzer',
			parameters: { operation: 'eventLog', conversionWindow: 30, conversionWindowUnit: 'days', stages: { stage: [{ name: 'New' }, { name: 'MQL' }] } },
			items: history,
		});
		expect(run.error).toBeUndefined();
		const summary = run.outputs[0][0] as { steps: Array<{ entered: number; medianTimeToNext: number | null }> };
		expect(summary.steps.map((s) => s.entered)).toEqual([2, 1]);
		expect(summary.steps[0].medianTimeToNext).toBe(4);
	});

	it('with On Error: Continue, turns a bad item into an error item and analyzes the rest', async () => {
		const items = [...seedItems.slice(0, 3), { phase: 'Signed contract', n: -4 }];
		const run = await runNode({ type: 'funnelAnalyzer', parameters: { ...countParams, output: 'summary' }, items, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		const [summary, failed] = run.items[0];
		expect((summary.json.steps as unknown[]).length).toBe(3);
		expect(summary.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(failed.json.error).toMatch(/Item 3: field "count" has -4/);
		expect(failed.pairedItem).toEqual({ item: 3 });
	});

	it('stops on a bad item without On Error: Continue, pointing at it', async () => {
		const items = [...seedItems.slice(0, 3), { phase: 'Signed contract', n: 'lots' }];
		const run = await runNode({ type: 'funnelAnalyzer', parameters: countParams, items });
		expect(run.error?.message).toMatch(/Item 3: field "count" has "lots"/);
		expect(run.error?.itemIndex).toBe(3);
	});

	it('fails with a clear message on a configuration error', async () => {
		const run = await runNode({
			type: 'funnelAnalyzer',
			parameters: { operation: 'records', stages: { stage: [{ name: 'New' }, { name: 'MQL' }, { name: 'New' }] } },
			items: [{ stage: 'New' }],
		});
		expect(run.error?.message).toMatch(/The stage order lists "New" more than once/);
	});

	it('lists unknown stage names', async () => {
		const run = await runNode({ type: 'funnelAnalyzer', parameters: { operation: 'records' }, items: [{ stage: 'New' }, { stage: 'Qualified' }] });
		expect(run.error?.message).toMatch(/Unknown stage name in "stage": "Qualified" \(item 1\)/);
		expect(run.error?.itemIndex).toBe(1);
	});
});
