// The node's model operations end to end on CDNOW: fit & predict with a calibration/holdout
// split, the model item, and predicting again from the serialized model.
import { fitAndPredict, predictWithModel } from '../../../nodes/ClvCalculator/analysis';
import { fitBgNbd } from '../../../nodes/ClvCalculator/bgNbd';
import { parseClvModel } from '../../../nodes/ClvCalculator/model';
import { loadCdnow } from './cdnow';
import { round } from './helpers';

const rows = loadCdnow();
const fields = { customerId: 'customer', date: 'date', amount: 'amount', dateFormat: 'yyyyMMdd' as const };

describe('fitAndPredict on CDNOW with the FHL calibration/holdout split', () => {
	const { customers, model } = fitAndPredict(rows, {
		...fields,
		unit: 'weeks',
		horizon: 12,
		discountRate: 0.01,
		calibrationEnd: '1997-09-30',
	});
	test('fits BG/NBD and Gamma-Gamma on the calibration period only', () => {
		expect(model.purchaseModel.type).toBe('bgNbd');
		expect(round(model.purchaseModel.params.r, 3)).toBe(0.243);
		expect(round(model.spendModel.params.p, 2)).toBe(6.25);
		expect(model.observationEnd).toBe('1997-09-30');
		expect(customers).toHaveLength(2357);
	});
	test('counts holdout purchase days like a direct count of the file', () => {
		const days = new Set(rows.filter((r) => r.date > '19970930').map((r) => `${r.customer}|${r.date}`));
		expect(model.holdout!.actualPurchases).toBe(days.size);
		expect(model.holdout!.holdoutEnd).toBe('1998-06-30');
		expect(model.holdout!.holdoutLength).toBeCloseTo(273 / 7, 12);
		const expectedTotal = customers.reduce((s, c) => s + c.expectedHoldoutPurchases!, 0);
		expect(model.holdout!.expectedPurchases).toBeCloseTo(expectedTotal, 9);
	});
	test('every output is finite and every customer has a segment', () => {
		for (const c of customers) {
			for (const value of [c.pAlive, c.expectedPurchases, c.expectedSpend, c.clv]) expect(Number.isFinite(value)).toBe(true);
			expect(['champions', 'loyal', 'potential', 'at risk', 'hibernating', 'lost']).toContain(c.segment);
		}
	});
	test('the serialized model predicts the same without refitting', () => {
		const restored = parseClvModel(JSON.parse(JSON.stringify(model)));
		const calibrationRows = rows.filter((r) => r.date <= '19970930');
		const again = predictWithModel(calibrationRows, restored, { ...fields, horizon: 12, discountRate: 0.01, observationEnd: '1997-09-30' });
		again.forEach((c, i) => {
			expect(c.customerId).toBe(customers[i].customerId);
			expect(c.clv).toBeCloseTo(customers[i].clv!, 12);
			expect(c.pAlive).toBeCloseTo(customers[i].pAlive, 12);
		});
	});
});

describe('parseClvModel', () => {
	test('names what is wrong with a model', () => {
		expect(() => parseClvModel('{oops')).toThrow(/Model: is not valid JSON/);
		expect(() => parseClvModel({ modelType: 'other' })).toThrow(/modelType must be "clvModel"/);
		const good = { modelType: 'clvModel', unit: 'weeks', purchaseModel: { type: 'bgNbd', params: { r: 1, alpha: 1, a: 1, b: 1 } }, spendModel: { type: 'gammaGamma', params: { p: 1, q: 2, v: 1 } } };
		expect(parseClvModel(good).purchaseModel.type).toBe('bgNbd');
		expect(() => parseClvModel({ ...good, purchaseModel: { type: 'bgNbd', params: { r: -1, alpha: 1, a: 1, b: 1 } } })).toThrow(/purchaseModel.params.r must be a positive number, got -1/);
		expect(() => parseClvModel({ ...good, unit: 'years' })).toThrow(/unit must be days, weeks or months, got "years"/);
	});
});

describe('an optimizer that does not converge', () => {
	test('is reported on the fit and refused by fitAndPredict', () => {
		const calibration = rows.filter((r) => r.date <= '19970930');
		const summaries = fitAndPredict(calibration, { ...fields, unit: 'weeks', horizon: 1, discountRate: 0 }).customers;
		const fit = fitBgNbd(summaries, { maxIterations: 2 });
		expect(fit.converged).toBe(false);
		expect(fit.warnings.join(' ')).toMatch(/did not converge.*after 2 iterations/);
		expect(() => fitAndPredict(calibration, { ...fields, unit: 'weeks', horizon: 1, discountRate: 0, maxIterations: 2 })).toThrow(
			/The purchase model fit did not converge.*Try a penalizer/,
		);
	});
});
