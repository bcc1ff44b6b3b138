import type { IDataObject } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { fitLogisticRegression, scoreLeads } from '../../nodes/LeadScorer';
import { runNode, runWorkflow } from '../harness/runWorkflow';
import { loadUclaAdmissions } from '../unit/lead/helpers';

const history = loadUclaAdmissions().map((r) => ({ ...r, outcome: r.admit === 1 ? 'won' : 'lost', rank: String(r.rank) }));
const trainParameters = { operation: 'trainModel', outcomeField: 'outcome', numericFields: 'gre, gpa', categoryFields: 'rank' };

describe('Lead Scorer in a workflow', () => {
	test('Train Model outputs the fit report and model, paired to every input item', async () => {
		const res = await runNode({ type: 'leadScorer', parameters: { ...trainParameters, trainOptions: { validation: 'kFold', folds: 4 } }, items: history });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(1);
		const report = res.outputs[0][0];
		const library = fitLogisticRegression(history, { target: 'outcome', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] });
		expect(report.coefficients).toEqual(library.coefficients);
		expect((report.model as IDataObject).schema).toBe('n8n-nodes-solo-sales/lead-score-model');
		expect((report.validation as IDataObject).folds).toBe(4);
		expect(res.items[0][0].pairedItem).toHaveLength(history.length);
	});

	test('Train → Score With Model through an expression on another node; pairedItem kept', async () => {
		const newLeads = [
			{ name: 'Ann', gre: 780, gpa: 3.9, rank: '1' },
			{ name: 'Bob', gre: 420, gpa: 2.8, rank: '4' },
		];
		const run = await runWorkflow({
			nodes: [
				{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: '2', name: 'History', type: 'test.fixedItems', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(history) } },
				{ id: '3', name: 'Train', type: 'n8n-nodes-solo-sales.leadScorer', typeVersion: 1, position: [400, 0], parameters: trainParameters },
				{ id: '4', name: 'New Leads', type: 'test.fixedItems', typeVersion: 1, position: [600, 0], parameters: { items: JSON.stringify(newLeads) } },
				{
					id: '5',
					name: 'Score',
					type: 'n8n-nodes-solo-sales.leadScorer',
					typeVersion: 1,
					position: [800, 0],
					parameters: { operation: 'scoreWithModel', model: "={{ $('Train').first().json.model }}" },
				},
			],
			connections: {
				Start: { main: [[{ node: 'History', type: NodeConnectionTypes.Main, index: 0 }]] },
				History: { main: [[{ node: 'Train', type: NodeConnectionTypes.Main, index: 0 }]] },
				Train: { main: [[{ node: 'New Leads', type: NodeConnectionTypes.Main, index: 0 }]] },
				'New Leads': { main: [[{ node: 'Score', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
		});
		expect(run.error).toBeUndefined();
		const scored = run.nodeOutputs('Score')[0];
		const model = run.nodeOutputs('Train')[0][0].json.model;
		const expected = scoreLeads(model, newLeads);
		scored.forEach((item, i) => {
			expect(item.json.name).toBe(newLeads[i].name);
			expect(item.json.probability).toBe(expected[i].probability);
			expect(item.json.grade).toBe(expected[i].grade);
			expect(item.json.scoreReasons).toBe(expected[i].reasons.join('; '));
			expect(item.pairedItem).toEqual({ item: i });
		});
		expect(scored[0].json.score as number).toBeGreaterThan(scored[1].json.score as number);
	});

	test('Score With Model from {{ $json.model }}: a tampered model fails only its item under continueOnFail', async () => {
		const model = fitLogisticRegression(history, { target: 'outcome', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] }).model;
		const tampered = { ...model, version: 99 };
		const items = [
			{ gre: 700, gpa: 3.5, rank: '2', model },
			{ gre: 500, gpa: 3.0, rank: '3', model: tampered },
			{ gre: 'n/a', gpa: 3.0, rank: '3', model },
			{ gre: 640, gpa: 3.1, rank: '1', model },
		];
		const res = await runNode({ type: 'leadScorer', parameters: { operation: 'scoreWithModel' }, items, onError: 'continueRegularOutput' });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(4);
		expect(out[0].probability).toBe(scoreLeads(model, [items[0]])[0].probability);
		expect(out[1].error).toMatch(/Item 1: Model JSON: schema version 99 is not supported/);
		expect(out[2].error).toMatch(/Item 2: field "gre" must be a finite number, got "n\/a"/);
		expect(out[3].score).toBe(scoreLeads(model, [items[3]])[0].score);
		expect(res.items[0].map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	test('a bad item stops the node with its index when not continuing on fail', async () => {
		const res = await runNode({
			type: 'leadScorer',
			parameters: { operation: 'scoreWithWeights', intercept: -1, weights: { weight: [{ field: 'visits', weight: 0.2 }] } },
			items: [{ visits: 3 }, { visits: 'many' }],
		});
		expect(res.error?.message).toMatch(/Item 1: field "visits" must be a finite number, got "many"/);
		expect(res.error?.itemIndex).toBe(1);
	});

	test('Score With Weights follows the seed formula', async () => {
		const res = await runNode({
			type: 'leadScorer',
			parameters: {
				operation: 'scoreWithWeights',
				intercept: 0,
				weights: { weight: [{ field: 'pageViews', weight: 0.5 }, { field: 'inquiries', weight: 0.3 }, { field: 'purchases', weight: 0.2 }] },
				gradeBands: { band: [{ grade: 'hot', minScore: 90 }, { grade: 'cold', minScore: 0 }] },
			},
			items: [{ pageViews: 10, inquiries: 5, purchases: 1 }],
		});
		expect(res.outputs[0][0].probability).toBeCloseTo(1 / (1 + Math.exp(-6.7)), 15);
		expect(res.outputs[0][0].grade).toBe('hot');
	});

	test('a configuration error fails the node with a clear message', async () => {
		const res = await runNode({ type: 'leadScorer', parameters: { operation: 'scoreWithWeights', intercept: 0 }, items: [{ visits: 1 }] });
		expect(res.error?.message).toMatch(/Add at least one field weight/);
		const pasted = await runNode({ type: 'leadScorer', parameters: { operation: 'scoreWithModel', model: '{"schema": "something else"}' }, items: [{ a: 1 }] });
		expect(pasted.error?.message).toMatch(/Model JSON: not a Lead Scorer model/);
		const oneClass = await runNode({ type: 'leadScorer', parameters: trainParameters, items: history.filter((r) => r.outcome === 'won') });
		expect(oneClass.error?.message).toMatch(/Outcome field "outcome" has only won rows/);
	});

	test('Points Rules: lifecycle stage, decay and caps', async () => {
		const res = await runNode({
			type: 'leadScorer',
			parameters: {
				operation: 'pointsRules',
				rules: {
					rule: [
						{ field: 'pagesVisited', operator: 'contains', value: 'pricing', points: 30, group: 'engagement', type: 'auto' },
						{ field: 'employees', operator: 'between', value: '10', valueTo: '200', points: 25, group: 'fit', type: 'number' },
						{ field: 'webinar', operator: 'exists', points: 40, group: 'engagement', decayDateField: 'webinarAt', type: 'auto' },
					],
				},
				groupCaps: { cap: [{ group: 'engagement', maxPoints: 50 }] },
				pointsOptions: { halfLifeDays: 30 },
			},
			items: [
				{ pagesVisited: 'home, pricing', employees: 50, webinar: 'yes', webinarAt: new Date().toISOString() },
				{ pagesVisited: 'blog', employees: 5 },
			],
		});
		expect(res.error).toBeUndefined();
		const [first, second] = res.outputs[0];
		expect(first.pointsByGroup).toEqual({ engagement: 50, fit: 25 });
		expect(first.points).toBe(75);
		expect(first.lifecycleStage).toBe('MQL');
		expect(second.points).toBe(0);
		expect(second.lifecycleStage).toBe('subscriber');
	});

	test('Fit × Engagement Grid reads its scores per item through expressions', async () => {
		const res = await runNode({
			type: 'leadScorer',
			parameters: { operation: 'fitEngagementGrid', fitScore: '={{ $json.fit * 10 }}', engagementScore: '={{ $json.visits * 20 }}' },
			items: [
				{ fit: 9, visits: 4 },
				{ fit: 5, visits: 1 },
				{ fit: 'x', visits: 1 },
			],
			onError: 'continueRegularOutput',
		});
		const out = res.outputs[0];
		expect(out.slice(0, 2).map((o) => o.grid)).toEqual(['A1', 'B3']);
		expect(out[2].error).toMatch(/Item 2: field "Fit Score" must be a finite number/);
	});
});
