import * as fc from 'fast-check';
import { evaluateBinary, fitLogisticRegression } from '../../../nodes/LeadScorer';
import { foldAssignment } from '../../../nodes/LeadScorer/validation';
import { loadUclaAdmissions, runReference } from './helpers';

/** AUC by counting every (won, lost) pair: 1 if won ranks higher, ½ on a tie. */
function pairwiseAuc(labels: number[], probabilities: number[]): number {
	let wins = 0;
	let pairs = 0;
	for (let i = 0; i < labels.length; i++) {
		if (labels[i] !== 1) continue;
		for (let j = 0; j < labels.length; j++) {
			if (labels[j] !== 0) continue;
			pairs++;
			if (probabilities[i] > probabilities[j]) wins++;
			else if (probabilities[i] === probabilities[j]) wins += 0.5;
		}
	}
	return wins / pairs;
}

// Probabilities on a coarse grid so ties are frequent.
const sample = fc
	.array(fc.record({ label: fc.integer({ min: 0, max: 1 }), probability: fc.integer({ min: 0, max: 20 }).map((k) => k / 20) }), { minLength: 2, maxLength: 200 })
	.filter((rows) => rows.some((r) => r.label === 1) && rows.some((r) => r.label === 0));

describe('evaluateBinary', () => {
	test('AUC equals the Mann–Whitney statistic from scipy, ties included', () => {
		const cases = fc.sample(sample, { seed: 9, numRuns: 60 }).map((rows) => ({ labels: rows.map((r) => r.label), probabilities: rows.map((r) => r.probability) }));
		const reference = runReference<number[]>('lead_auc.py', cases);
		cases.forEach((c, i) => expect(evaluateBinary(c.labels, c.probabilities).auc).toBeCloseTo(reference[i], 12));
	});

	test('AUC, log-loss, Brier and decisions equal brute-force definitions (property)', () => {
		fc.assert(
			fc.property(sample, fc.integer({ min: 1, max: 19 }).map((k) => k / 20), (rows, threshold) => {
				const labels = rows.map((r) => r.label);
				const probabilities = rows.map((r) => r.probability);
				const result = evaluateBinary(labels, probabilities, { threshold });
				expect(result.auc).toBeCloseTo(pairwiseAuc(labels, probabilities), 12);
				const clip = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));
				const logLoss = -rows.reduce((s, r) => s + (r.label ? Math.log(clip(r.probability)) : Math.log(1 - clip(r.probability))), 0) / rows.length;
				expect(result.logLoss).toBeCloseTo(logLoss, 12);
				expect(result.brier).toBeCloseTo(rows.reduce((s, r) => s + (r.probability - r.label) ** 2, 0) / rows.length, 12);
				const predicted = rows.filter((r) => r.probability >= threshold);
				const tp = predicted.filter((r) => r.label === 1).length;
				expect(result.precision).toBe(predicted.length ? tp / predicted.length : null);
				expect(result.recall).toBe(tp / rows.filter((r) => r.label === 1).length);
				const correct = rows.filter((r) => (r.probability >= threshold) === (r.label === 1)).length;
				expect(result.accuracy).toBeCloseTo(correct / rows.length, 12);
				// Calibration bins partition the rows in probability order.
				expect(result.calibration.reduce((s, b) => s + b.count, 0)).toBe(rows.length);
				for (let b = 1; b < result.calibration.length; b++) expect(result.calibration[b].minProbability).toBeGreaterThanOrEqual(result.calibration[b - 1].maxProbability);
				expect(result.calibration.reduce((s, b) => s + b.observedRate * b.count, 0)).toBeCloseTo(labels.reduce((a, b) => a + b, 0), 9);
			}),
		);
	});

	test('undefined metrics are null with a warning, never NaN', () => {
		const result = evaluateBinary([1, 1, 1], [0.2, 0.3, 0.4]);
		expect(result.auc).toBeNull();
		expect(result.precision).toBeNull();
		expect(result.warnings).toEqual(['AUC is undefined: the labels contain only one class', 'Precision is undefined: no lead has a probability of at least 0.5']);
		expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
	});

	test('bad input is rejected with the item index', () => {
		expect(() => evaluateBinary([1, 0], [0.5, NaN])).toThrow(/Item 1: probability must be between 0 and 1, got NaN/);
		expect(() => evaluateBinary([1, 2], [0.5, 0.5])).toThrow(/Item 1: label must be 0 or 1, got 2/);
		expect(() => evaluateBinary([1], [0.5, 0.5])).toThrow(/differ in length/);
		expect(() => evaluateBinary([], [])).toThrow(/no labels/);
	});
});

describe('validation while training', () => {
	const rows = loadUclaAdmissions();

	test('stratified folds: every row held out once, class mix kept', () => {
		const outcome = rows.map((r) => r.admit);
		const { folds, fold } = foldAssignment(outcome, { method: 'kFold', folds: 5, seed: 3 });
		expect(folds).toBe(5);
		for (let k = 0; k < 5; k++) {
			const members = outcome.filter((_, r) => fold[r] === k);
			expect(members.length).toBe(80);
			expect(Math.abs(members.filter((y) => y === 1).length - 127 / 5)).toBeLessThanOrEqual(1);
		}
		const holdout = foldAssignment(outcome, { method: 'holdout', testFraction: 0.25, seed: 3 });
		expect(Array.from(holdout.fold).filter((f) => f === 0).length).toBe(Math.round(127 * 0.25) + Math.round(273 * 0.25));
	});

	test('k-fold metrics equal refitting each fold by hand and evaluating the pooled predictions', () => {
		const options = { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] };
		const fit = fitLogisticRegression(rows, { ...options, validation: { method: 'kFold', folds: 4, seed: 7 }, threshold: 0.4 });
		const { fold } = foldAssignment(rows.map((r) => r.admit), { method: 'kFold', folds: 4, seed: 7 });
		const labels: number[] = [];
		const probabilities: number[] = [];
		for (let k = 0; k < 4; k++) {
			const train = rows.filter((_, r) => fold[r] !== k);
			const model = fitLogisticRegression(train, options).model;
			rows.forEach((row, r) => {
				if (fold[r] !== k) return;
				const levels = model.categorical[0].levels;
				let eta = model.intercept + model.numeric[0].coefficient * row.gre + model.numeric[1].coefficient * row.gpa;
				eta += levels.find((l) => l.level === String(row.rank))!.coefficient;
				labels.push(row.admit);
				probabilities.push(1 / (1 + Math.exp(-eta)));
			});
		}
		const expected = evaluateBinary(labels, probabilities, { threshold: 0.4 });
		const validation = fit.validation!;
		expect(validation.method).toBe('kFold');
		expect(validation.count).toBe(400);
		expect(validation.auc).toBeCloseTo(expected.auc!, 9);
		expect(validation.logLoss).toBeCloseTo(expected.logLoss, 9);
		expect(validation.accuracy).toBeCloseTo(expected.accuracy, 9);
		expect(validation.calibration).toHaveLength(10);
	});
});
