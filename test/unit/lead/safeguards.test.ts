import { InputError } from '../../../nodes/shared/errors';
import { fitLogisticRegression, type LogisticRegressionResult } from '../../../nodes/LeadScorer';
import { loadUclaAdmissions, normalDraw, seeded } from './helpers';

/** Every number anywhere in the result is finite (no NaN / Infinity leaks). */
function expectAllFinite(value: unknown, path = 'result'): void {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
	} else if (Array.isArray(value)) value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
	else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
}

function estimates(fit: LogisticRegressionResult): Record<string, number | null> {
	return Object.fromEntries(fit.coefficients.map((c) => [c.name, c.estimate]));
}

const ucla = loadUclaAdmissions();

describe('perfect and quasi-perfect separation', () => {
	test('a level whose leads are all won is named, and the estimates stay finite', () => {
		// Five admitted applicants came by "vip" referral: quasi-complete separation.
		let vip = 0;
		const rows = ucla.map((r) => ({ ...r, source: r.admit === 1 && vip++ < 5 ? 'vip' : r.gre > 600 ? 'search' : 'ad' }));
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'source'], categorical: ['source'] });
		expect(fit.separation).not.toBeNull();
		expect(fit.separation!.columns.map((c) => c.name)).toEqual(['source=vip']);
		expect(fit.separation!.columns[0].detail).toBe('all 5 rows with source=vip are won');
		expect(fit.warnings.join('\n')).toMatch(/Perfect separation: all 5 rows with source=vip are won/);
		expect(fit.converged).toBe(true);
		expectAllFinite(fit);
		for (const c of fit.coefficients) expect(Math.abs(c.estimate!)).toBeLessThan(10);
		expect(estimates(fit)['source=vip']!).toBeGreaterThan(1);
	});

	test('a numeric field that splits won from lost completely', () => {
		const rows = Array.from({ length: 40 }, (_, i) => ({ visits: i, won: i >= 20 ? 1 : 0, age: (i * 7) % 13 }));
		const fit = fitLogisticRegression(rows, { target: 'won', features: ['visits', 'age'] });
		expect(fit.separation!.columns[0]).toEqual({ name: 'visits', detail: 'every won lead has visits >= 20 and every lost lead visits <= 19' });
		expectAllFinite(fit);
		expect(fit.separation!.penaltyUsed).toBe(1);
	});

	test('separation by a combination of fields is caught by the fit itself', () => {
		const random = seeded(5);
		const rows = Array.from({ length: 200 }, () => {
			const a = normalDraw(random);
			const b = normalDraw(random);
			return { a, b, won: a + b > 0 ? 'yes' : 'no' };
		});
		const fit = fitLogisticRegression(rows, { target: 'won', features: ['a', 'b'] });
		expect(fit.separation).not.toBeNull();
		expect(fit.separation!.columns).toEqual([]);
		expect(fit.warnings.join('\n')).toMatch(/a combination of features predicts the outcome perfectly/);
		expectAllFinite(fit);
	});

	test('no separation is reported on ordinary data', () => {
		const fit = fitLogisticRegression(ucla, { target: 'admit', features: ['gre', 'gpa'] });
		expect(fit.separation).toBeNull();
		expect(fit.warnings).toEqual([]);
	});
});

describe('collinear features', () => {
	const random = seeded(11);
	const rows = Array.from({ length: 300 }, () => {
		const x1 = Math.round(normalDraw(random) * 10);
		const x2 = Math.round(normalDraw(random) * 10);
		const won = random() < 1 / (1 + Math.exp(-(0.05 * x1 - 0.08 * x2))) ? 1 : 0;
		return { x1, x2, x3: 2 * x1 - x2, flat: 7, won };
	});

	test('an exact combination is left out (null) like R NA, and the rest equal the fit without it', () => {
		const fit = fitLogisticRegression(rows, { target: 'won', features: ['x1', 'x2', 'x3'] });
		const without = fitLogisticRegression(rows, { target: 'won', features: ['x1', 'x2'] });
		expect(fit.aliased).toEqual(['x3']);
		expect(fit.coefficients[3]).toEqual({ name: 'x3', estimate: null, stdError: null, z: null, pValue: null });
		for (let i = 0; i < 3; i++) {
			expect(fit.coefficients[i].estimate).toBeCloseTo(without.coefficients[i].estimate!, 10);
			expect(fit.coefficients[i].stdError).toBeCloseTo(without.coefficients[i].stdError!, 10);
		}
		expect(fit.aic).toBeCloseTo(without.aic, 8);
		expect(fit.warnings.join('\n')).toMatch(/"x3" is a combination of earlier features/);
		expect(fit.model.numeric.find((t) => t.field === 'x3')!.coefficient).toBe(0);
	});

	test('a constant field is reported and left out', () => {
		const fit = fitLogisticRegression(rows, { target: 'won', features: ['flat', 'x1'] });
		expect(fit.aliased).toEqual(['flat']);
		expect(fit.warnings.join('\n')).toMatch(/"flat" has the same value in every row/);
		expectAllFinite(fit.model);
	});

	test('a nearly collinear field gets a variance-inflation warning', () => {
		const near = rows.map((r, i) => ({ ...r, x1copy: r.x1 + (i % 2 ? 1e-3 : -1e-3) }));
		const fit = fitLogisticRegression(near, { target: 'won', features: ['x1', 'x1copy', 'x2'] });
		expect(fit.aliased).toEqual([]);
		expect(fit.warnings.join('\n')).toMatch(/"x1copy" is nearly collinear with other features \(variance inflation \d+\)/);
	});
});

describe('bad input names the item, field and value', () => {
	const base = () => ucla.slice(0, 50).map((r) => ({ ...r }) as Record<string, unknown>);

	function expectInputError(fn: () => unknown, pattern: RegExp, details: { row?: number; field?: string }): void {
		let caught: unknown;
		try {
			fn();
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as Error).message).toMatch(pattern);
		if (details.row !== undefined) expect((caught as InputError).row).toBe(details.row);
		if (details.field !== undefined) expect((caught as InputError).field).toBe(details.field);
	}

	test('a non-numeric text in a numeric field', () => {
		const rows = base();
		rows[3].gpa = 'three';
		expectInputError(() => fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa'] }), /Item 3: field "gpa" must be a finite number, got "three"/, { row: 3, field: 'gpa' });
	});

	test('NaN and Infinity', () => {
		const rows = base();
		rows[7].gre = NaN;
		expectInputError(() => fitLogisticRegression(rows, { target: 'admit', features: ['gre'] }), /Item 7: field "gre" must be a finite number, got NaN/, { row: 7 });
		rows[7].gre = 'Infinity';
		expectInputError(() => fitLogisticRegression(rows, { target: 'admit', features: ['gre'] }), /got "Infinity"/, { row: 7 });
	});

	test('empty input and one class only', () => {
		expectInputError(() => fitLogisticRegression([], { target: 'admit', features: ['gre'] }), /input is empty/, {});
		const allWon = base().map((r) => ({ ...r, admit: 'won' }));
		expectInputError(() => fitLogisticRegression(allWon, { target: 'admit', features: ['gre'] }), /Outcome field "admit" has only won rows \(50 won, 0 lost\)/, { field: 'admit' });
	});

	test('an outcome that is neither won nor lost; configured won/lost values', () => {
		const rows = base();
		rows[2].admit = 'maybe';
		expectInputError(() => fitLogisticRegression(rows, { target: 'admit', features: ['gre'] }), /Item 2: outcome field "admit" must be won or lost .* got "maybe"/, { row: 2, field: 'admit' });
		const crm = base().map((r) => ({ ...r, admit: r.admit === 1 ? 'Closed Won' : 'Closed Lost' }));
		const fit = fitLogisticRegression(crm, { target: 'admit', features: ['gre'], outcomeValues: { won: ['closed won'], lost: ['closed lost'] } });
		const plain = fitLogisticRegression(base(), { target: 'admit', features: ['gre'] });
		expect(fit.coefficients[1].estimate).toBe(plain.coefficients[1].estimate);
	});

	test('a misspelt feature field', () => {
		expectInputError(() => fitLogisticRegression(base(), { target: 'admit', features: ['gre', 'gap'] }), /Field "gap" is empty in every row with an outcome: check the field name/, { field: 'gap' });
	});

	test('bad options', () => {
		expectInputError(() => fitLogisticRegression(base(), { target: 'admit', features: ['gre'], l2: -1 }), /L2 penalty must be a number >= 0, got -1/, {});
		expectInputError(() => fitLogisticRegression(base(), { target: 'admit', features: ['admit'] }), /both the outcome and a feature/, {});
		expectInputError(() => fitLogisticRegression(base(), { target: 'admit', features: ['gre'], classWeights: { won: 0 } }), /Class weight for won must be a positive number, got 0/, {});
	});
});

describe('missing values', () => {
	const rows = ucla.map((r, i) => ({ ...r, gpa: i % 9 === 0 ? '' : r.gpa, rank: i % 13 === 0 ? null : r.rank })) as Record<string, unknown>[];
	const complete = (r: Record<string, unknown>) => r.gpa !== '' && r.rank !== null;

	test('drop: same fit as removing the rows by hand, with counts', () => {
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'], missing: 'drop' });
		const manual = fitLogisticRegression(rows.filter(complete), { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] });
		expect(fit.coefficients).toEqual(manual.coefficients);
		expect(fit.rowsDropped).toBe(rows.length - rows.filter(complete).length);
		expect(fit.missingCounts).toEqual({ gre: 0, gpa: 45, rank: 31 });
		expect(fit.warnings.join('\n')).toMatch(new RegExp(`${fit.rowsDropped} rows were dropped`));
	});

	test('imputeMean: same fit as filling the mean (and the most frequent level) by hand', () => {
		const observed = rows.filter((r) => r.gpa !== '').map((r) => r.gpa as number);
		const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
		const counts = new Map<number, number>();
		for (const r of rows) if (r.rank !== null) counts.set(r.rank as number, (counts.get(r.rank as number) ?? 0) + 1);
		const mode = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
		const filled = rows.map((r) => ({ ...r, gpa: r.gpa === '' ? mean : r.gpa, rank: r.rank === null ? mode : r.rank }));
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'], missing: 'imputeMean' });
		const manual = fitLogisticRegression(filled, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] });
		fit.coefficients.forEach((c, i) => expect(c.estimate).toBeCloseTo(manual.coefficients[i].estimate!, 9));
		expect(fit.rowsDropped).toBe(0);
	});

	test('ownCategory: a field=(missing) column, same fit as a hand-made indicator', () => {
		const observed = rows.filter((r) => r.gpa !== '').map((r) => r.gpa as number);
		const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
		const manualRows = rows.map((r) => ({
			...r,
			gpa: r.gpa === '' ? mean : r.gpa,
			gpaMissing: r.gpa === '' ? 1 : 0,
			rank: r.rank === null ? 'zz' : String(r.rank),
		}));
		const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'], missing: 'ownCategory' });
		expect(fit.coefficients.map((c) => c.name)).toEqual(['(Intercept)', 'gre', 'gpa', 'gpa=(missing)', 'rank=2', 'rank=3', 'rank=4', 'rank=(missing)']);
		const manual = fitLogisticRegression(manualRows, { target: 'admit', features: ['gre', 'gpa', 'gpaMissing', 'rank'], categorical: ['rank'] });
		fit.coefficients.forEach((c, i) => {
			expect(c.estimate).toBeCloseTo(manual.coefficients[i].estimate!, 9);
			expect(c.stdError).toBeCloseTo(manual.coefficients[i].stdError!, 9);
		});
	});

	test('rows with an empty outcome are skipped and counted', () => {
		const open = ucla.map((r, i) => ({ ...r, admit: i < 10 ? '' : r.admit }));
		const fit = fitLogisticRegression(open, { target: 'admit', features: ['gre'] });
		expect(fit.rowsWithoutOutcome).toBe(10);
		expect(fit.rowsUsed).toBe(390);
	});
});
