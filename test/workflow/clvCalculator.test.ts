// The CLV Calculator inside n8n (WorkflowExecute via the test harness): parameters, pairedItem,
// per-item expressions, continueOnFail and configuration errors.
import { fitAndPredict } from '../../nodes/ClvCalculator/analysis';
import { runNode } from '../harness/runWorkflow';
import { loadCdnow } from '../unit/clv/cdnow';

const orders = [
	{ email: 'ann@example.com', day: '2024-01-02', total: 100 },
	{ email: 'bob@example.com', day: '2024-01-05', total: 40 },
	{ email: 'ann@example.com', day: '2024-02-10', total: 60 },
	{ email: 'ann@example.com', day: '2024-02-10', total: 15 },
	{ email: 'ann@example.com', day: '2024-03-30', total: 80 },
];
const fieldParameters = { customerIdField: 'email', dateField: 'day', amountField: 'total', dateFormat: 'iso' };

describe('clvCalculator node', () => {
	test('Summarize Transactions: one item per customer, paired with that customer’s orders', async () => {
		const res = await runNode({ type: 'clvCalculator', parameters: { operation: 'summarize', ...fieldParameters, unit: 'days' }, items: orders });
		expect(res.error).toBeUndefined();
		const [ann, bob] = res.outputs[0];
		expect(ann).toMatchObject({ customerId: 'ann@example.com', frequency: 2, recency: 88, T: 88, monetaryValue: 77.5, orders: 3, totalSpent: 255, unit: 'days' });
		expect(ann.averageOrderValue).toBeCloseTo(85, 12);
		expect(bob).toMatchObject({ customerId: 'bob@example.com', frequency: 0, recency: 0, T: 85, periodsSinceLastOrder: 85 });
		expect(res.items[0][0].pairedItem).toEqual([{ item: 0 }, { item: 2 }, { item: 3 }, { item: 4 }]);
		expect(res.items[0][1].pairedItem).toEqual([{ item: 1 }]);
	});

	test('Fit & Predict on CDNOW: customers plus a model item with the FHL 2005 parameters', async () => {
		const rows = loadCdnow()
			.filter((r) => r.date <= '19970930')
			.map((r) => ({ customer: r.customer, date: r.date, amount: r.amount }));
		const res = await runNode({
			type: 'clvCalculator',
			parameters: {
				operation: 'fitAndPredict',
				customerIdField: 'customer',
				dateField: 'date',
				amountField: 'amount',
				dateFormat: 'yyyyMMdd',
				unit: 'weeks',
				options: { observationEnd: '1997-09-30', horizon: 12, discountRate: 0.01, margin: 0.3 },
			},
			items: rows,
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(2358);
		const model = out[out.length - 1] as { modelType: string; purchaseModel: { params: Record<string, number> }; spendModel: { params: Record<string, number> } };
		expect(model.modelType).toBe('clvModel');
		expect(model.purchaseModel.params.r).toBeCloseTo(0.243, 3);
		expect(model.purchaseModel.params.alpha).toBeCloseTo(4.414, 3);
		expect(model.spendModel.params.q).toBeCloseTo(3.74, 2);
		const first = out[0];
		for (const key of ['pAlive', 'expectedPurchases', 'expectedSpend', 'clv', 'recencyScore', 'segment']) expect(first).toHaveProperty(key);
		expect(res.items[0][out.length - 1].pairedItem).toHaveLength(rows.length);
	});

	test('Predict With Model uses a pasted model without refitting; Model Only output', async () => {
		const rows = loadCdnow()
			.filter((r) => r.date <= '19970930')
			.map((r) => ({ customer: r.customer, date: r.date, amount: r.amount }));
		const parameters = { customerIdField: 'customer', dateField: 'date', amountField: 'amount', dateFormat: 'yyyyMMdd' };
		const fitted = await runNode({
			type: 'clvCalculator',
			parameters: { operation: 'fitAndPredict', ...parameters, unit: 'weeks', options: { output: 'model', observationEnd: '1997-09-30' } },
			items: rows,
		});
		expect(fitted.error).toBeUndefined();
		expect(fitted.outputs[0]).toHaveLength(1);
		const model = fitted.outputs[0][0];
		const some = rows.filter((r) => ['0001', '0002', '0003'].includes(r.customer));
		const res = await runNode({
			type: 'clvCalculator',
			parameters: { operation: 'predictWithModel', ...parameters, model: JSON.stringify(model), options: { horizon: 6, observationEnd: '1997-09-30' } },
			items: some,
		});
		expect(res.error).toBeUndefined();
		const direct = fitAndPredict(rows, { customerId: 'customer', date: 'date', amount: 'amount', dateFormat: 'yyyyMMdd', unit: 'weeks', horizon: 6, discountRate: 0.01, observationEnd: '1997-09-30' });
		expect(res.outputs[0]).toHaveLength(3);
		res.outputs[0].forEach((c, i) => {
			expect(c.customerId).toBe(direct.customers[i].customerId);
			expect(c.clv as number).toBeCloseTo(direct.customers[i].clv!, 9);
			expect(c.pAlive as number).toBeCloseTo(direct.customers[i].pAlive, 12);
		});
	});

	test('Simple CLV evaluates per-item expressions; a bad item becomes { error } under continueOnFail', async () => {
		const res = await runNode({
			type: 'clvCalculator',
			parameters: { operation: 'simpleClv', decay: 0.1, orders: '={{ $json.n }}' },
			items: [
				{ n: 2, averageOrderValue: 1000, periodsSinceLastOrder: 2, totalSpent: 2000 },
				{ n: 'many', averageOrderValue: 10, periodsSinceLastOrder: 1, totalSpent: 10 },
				{ n: 1, averageOrderValue: 50, periodsSinceLastOrder: 0, totalSpent: 50 },
			],
			onError: 'continueRegularOutput',
		});
		expect(res.error).toBeUndefined();
		const [first, second, third] = res.outputs[0];
		expect(first.heuristicClv).toBeCloseTo(1620, 9);
		expect(first).toMatchObject({ historicalClv: 2000, method: 'heuristic' });
		expect(second.error).toMatch(/Item 1: orders must be a number ≥ 0, got "many"/);
		expect(third.heuristicClv).toBe(50);
		expect(res.items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('bad orders fail the node naming the item; a bad model fails with a clear message', async () => {
		const bad = await runNode({
			type: 'clvCalculator',
			parameters: { operation: 'summarize', ...fieldParameters, unit: 'days' },
			items: [...orders, { email: 'x', day: '31/31/2024', total: 5 }],
		});
		expect(bad.error?.message).toMatch(/Item 5: field "day" has "31\/31\/2024"/);
		expect(bad.error?.itemIndex).toBe(5);
		const badModel = await runNode({ type: 'clvCalculator', parameters: { operation: 'predictWithModel', ...fieldParameters, model: '{"modelType":"clvModel"}' }, items: orders });
		expect(badModel.error?.message).toMatch(/Model: unit must be days, weeks or months/);
		const tooFew = await runNode({ type: 'clvCalculator', parameters: { operation: 'fitAndPredict', ...fieldParameters, unit: 'days' }, items: orders });
		expect(tooFew.error?.message).toMatch(/Gamma-Gamma|did not converge|needs at least/);
	});
});
