import { fitLogisticRegression } from '../../../nodes/LeadScorer';
import { expectSignificant, loadUclaAdmissions, runReference } from './helpers';

interface Reference {
	names: string[];
	estimate: number[];
	stdError: number[];
	z: number[];
	pValue: number[];
	deviance: number;
	nullDeviance: number;
	aic: number;
	gradientNorm: number;
}

const rows = loadUclaAdmissions();

describe('UCLA admissions: admit ~ gre + gpa + factor(rank), R glm(binomial)', () => {
	const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] });

	test('names follow R: (Intercept), numeric fields, field=level with baseline = first sorted level', () => {
		expect(fit.coefficients.map((c) => c.name)).toEqual(['(Intercept)', 'gre', 'gpa', 'rank=2', 'rank=3', 'rank=4']);
		expect(fit.converged).toBe(true);
		expect(fit.separation).toBeNull();
		expect(fit.aliased).toEqual([]);
	});

	test('matches the published R output to every printed digit', () => {
		// UCLA IDRE "Logit Regression | R Data Analysis Examples" (data/SOURCE.md).
		const published = [
			[-3.989979, 1.139951],
			[0.002264, 0.001094],
			[0.804038, 0.331819],
			[-0.675443, 0.31649],
			[-1.340204, 0.345306],
			[-1.551464, 0.417832],
		];
		fit.coefficients.forEach((c, i) => {
			expect(c.estimate!).toBeCloseTo(published[i][0], 6);
			expect(c.stdError!).toBeCloseTo(published[i][1], 6);
		});
		expect(fit.deviance).toBeCloseTo(458.52, 2);
		expect(fit.nullDeviance).toBeCloseTo(499.98, 2);
		expect(fit.aic).toBeCloseTo(470.52, 2);
		expect(fit.degreesOfFreedom).toEqual({ null: 399, residual: 394 });
		expect(fit.coefficients[5].pValue!).toBeCloseTo(0.000205, 6);
	});

	test('agrees with an independent scipy maximum-likelihood reference to 6 significant digits', () => {
		const reference = runReference<Reference>('lead_glm.py', { rows, target: 'admit', numeric: ['gre', 'gpa'], categorical: ['rank'] });
		expect(reference.gradientNorm).toBeLessThan(1e-6);
		expect(fit.coefficients.map((c) => c.name)).toEqual(reference.names);
		fit.coefficients.forEach((c, i) => {
			expectSignificant(c.estimate, reference.estimate[i]);
			expectSignificant(c.stdError, reference.stdError[i]);
			expectSignificant(c.z, reference.z[i]);
			expectSignificant(c.pValue, reference.pValue[i]);
		});
		expectSignificant(fit.deviance, reference.deviance, 10);
		expectSignificant(fit.nullDeviance, reference.nullDeviance, 10);
		expectSignificant(fit.aic, reference.aic, 10);
	});

	test('the model JSON scores with the same coefficients (spot check against the table)', () => {
		const intercept = fit.model.intercept;
		const gre = fit.model.numeric.find((t) => t.field === 'gre')!.coefficient;
		expect(intercept).toBe(fit.coefficients[0].estimate);
		expect(gre).toBe(fit.coefficients[1].estimate);
		expect(fit.model.categorical[0].levels.map((l) => l.level)).toEqual(['1', '2', '3', '4']);
	});
});

describe('weights and penalty agree with the scipy reference', () => {
	test('class weights', () => {
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'], classWeights: { won: 2.5, lost: 0.75 } });
		const reference = runReference<Reference>('lead_glm.py', { rows, target: 'admit', numeric: ['gre', 'gpa'], categorical: ['rank'], weights: { won: 2.5, lost: 0.75 } });
		fit.coefficients.forEach((c, i) => {
			expectSignificant(c.estimate, reference.estimate[i]);
			expectSignificant(c.stdError, reference.stdError[i]);
		});
		expectSignificant(fit.deviance, reference.deviance, 9);
		expectSignificant(fit.nullDeviance, reference.nullDeviance, 9);
	});

	test('balanced class weights equal explicit n / (2 n_class) weights', () => {
		const won = rows.filter((r) => r.admit === 1).length;
		const balanced = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa'], classWeights: 'balanced' });
		const explicit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa'], classWeights: { won: 400 / (2 * won), lost: 400 / (2 * (400 - won)) } });
		balanced.coefficients.forEach((c, i) => expect(c.estimate).toBeCloseTo(explicit.coefficients[i].estimate!, 12));
	});

	test('L2 penalty on standardized features', () => {
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'], l2: 5 });
		const reference = runReference<Reference>('lead_glm.py', { rows, target: 'admit', numeric: ['gre', 'gpa'], categorical: ['rank'], l2: 5 });
		fit.coefficients.forEach((c, i) => {
			expectSignificant(c.estimate, reference.estimate[i]);
			expectSignificant(c.stdError, reference.stdError[i]);
		});
		expect(fit.warnings.join(' ')).toMatch(/L2 penalty/);
	});
});
