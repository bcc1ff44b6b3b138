import * as fc from 'fast-check';
import { fitLogisticRegression } from '../../../nodes/LeadScorer';
import { buildDesign, type Design } from '../../../nodes/LeadScorer/design';
import { accumulate, devianceAt, fitIrls, gradientPass } from '../../../nodes/LeadScorer/irls';

/**
 * The full design row of row r written out densely: 1, the standardized numbers, then a 0/1
 * column per non-baseline level of each factor, as R's model.matrix would have it.
 */
function denseRow(design: Design, r: number): number[] {
	const q = design.numericFields.length;
	const x = new Array<number>(design.columnNames.length).fill(0);
	x[0] = 1;
	for (let j = 0; j < q; j++) x[1 + j] = design.numeric[r * q + j];
	for (const factor of design.factors) if (factor.codes[r] > 0) x[factor.firstColumn + factor.codes[r] - 1] = 1;
	return x;
}

const lead = fc.record({
	a: fc.option(fc.double({ min: -50, max: 50, noNaN: true }), { nil: undefined, freq: 6 }),
	b: fc.double({ min: 0, max: 1e4, noNaN: true }),
	source: fc.constantFrom('ad', 'blog', 'email', 'referral', 'webinar'),
	plan: fc.option(fc.constantFrom('free', 'pro', 'team'), { nil: '', freq: 5 }),
	won: fc.constantFrom(0, 1),
});

describe('one training pass (accumulate, gradientPass) against XᵀWX written out densely', () => {
	// Several factors (a categorical field, a second one with empty cells as their own level, and
	// the missing-value indicator of a numeric field) with prior weights that leave rows out:
	// every cross term of the sparse, level-grouped pass is checked against the dense sum.
	test('η, gradient and XᵀWX equal the dense sums, for any coefficients and weights', () => {
		fc.assert(
			fc.property(fc.array(lead, { minLength: 2, maxLength: 200 }).filter((rows) => rows.some((row) => row.a !== undefined) && rows.some((row) => row.plan !== '')), fc.integer(), (rows, seed) => {
				const design = buildDesign(rows, { target: 'won', features: ['a', 'b', 'source', 'plan'], categorical: ['source', 'plan'], missing: 'ownCategory' });
				const p = design.columnNames.length;
				let state = seed >>> 0;
				const next = () => {
					state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
					return state / 2 ** 32;
				};
				const beta = Float64Array.from({ length: p }, () => (next() - 0.5) * 2);
				const prior = Float64Array.from({ length: design.rowCount }, () => (next() < 0.2 ? 0 : 0.5 + next()));
				const H = new Float64Array(p * p);
				const gram = new Float64Array(p * p);
				const gradient = new Float64Array(p);
				const eta = new Float64Array(design.rowCount);
				for (let r = 0; r < design.rowCount; r++) {
					const x = denseRow(design, r);
					eta[r] = x.reduce((sum, value, j) => sum + value * beta[j], 0);
					const probability = 1 / (1 + Math.exp(-eta[r]));
					const w = prior[r] * probability * (1 - probability);
					for (let j = 0; j < p; j++) {
						gradient[j] += prior[r] * (design.outcome[r] - probability) * x[j];
						for (let k = 0; k < p; k++) {
							H[j * p + k] += w * x[j] * x[k];
							gram[j * p + k] += prior[r] * x[j] * x[k];
						}
					}
				}
				const pass = accumulate(design, beta, prior, false);
				const light = gradientPass(design, beta, prior);
				const gramPass = accumulate(design, beta, prior, true);
				const near = (got: number, want: number, what: string) => {
					if (!(Math.abs(got - want) <= 1e-9 * (1 + Math.abs(want)))) throw new Error(`${what}: ${got}, expected ${want} (${design.columnNames.join(', ')})`);
				};
				for (let r = 0; r < design.rowCount; r++) {
					near(pass.eta[r], eta[r], `η of row ${r}`);
					near(light.eta[r], eta[r], `gradient pass η of row ${r}`);
				}
				for (let j = 0; j < p; j++) {
					near(pass.gradient[j], gradient[j], `gradient ${design.columnNames[j]}`);
					near(light.gradient[j], gradient[j], `gradient pass ${design.columnNames[j]}`);
					for (let k = 0; k < p; k++) {
						near(pass.hessian[j * p + k], H[j * p + k], `XᵀWX [${design.columnNames[j]}, ${design.columnNames[k]}]`);
						near(gramPass.hessian[j * p + k], gram[j * p + k], `weighted XᵀX [${design.columnNames[j]}, ${design.columnNames[k]}]`);
					}
				}
			}),
			{ numRuns: 150 },
		);
	});

	test("design rows are grouped by the first factor's level, in input order within a level, each row still its item", () => {
		fc.assert(
			fc.property(fc.array(lead, { minLength: 2, maxLength: 200 }), (rows) => {
				const design = buildDesign(rows, { target: 'won', features: ['b', 'source'], categorical: ['source'] });
				const codes = design.factors[0].codes;
				for (let r = 0; r < design.rowCount; r++) {
					const item = rows[design.sourceRows[r]];
					expect(design.outcome[r]).toBe(item.won);
					expect(design.factors[0].levels[codes[r]]).toBe(item.source);
					expect(design.numeric[r] * design.standardDeviations[0] + design.means[0]).toBeCloseTo(item.b, 6);
					if (r > 0) {
						expect(codes[r]).toBeGreaterThanOrEqual(codes[r - 1]);
						if (codes[r] === codes[r - 1]) expect(design.sourceRows[r]).toBeGreaterThan(design.sourceRows[r - 1]);
					}
				}
			}),
			{ numRuns: 100 },
		);
	});
});

describe('rows dropped for empty cells', () => {
	// Dropped rows stay behind the kept ones in memory; whatever the kernel's blocks read past the
	// last kept row must not reach the sums (a bug once: NaN from a dropped row's empty cell).
	test('training with missing "drop" equals training on the complete rows alone (property)', () => {
		const row = fc.record({ a: fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constant('')), b: fc.double({ min: 0, max: 1, noNaN: true }), won: fc.constantFrom(0, 1) });
		const history = fc.array(row, { minLength: 20, maxLength: 200 }).filter((rows) => {
			const complete = rows.filter((r) => r.a !== '');
			return complete.length >= 10 && complete.some((r) => r.won === 1) && complete.some((r) => r.won === 0);
		});
		fc.assert(
			fc.property(history, (rows) => {
				const options = { target: 'won', features: ['a', 'b'] };
				const dropped = fitLogisticRegression(rows, { ...options, missing: 'drop' });
				const complete = fitLogisticRegression(
					rows.filter((r) => r.a !== ''),
					options,
				);
				dropped.coefficients.forEach((c, j) => {
					const want = complete.coefficients[j].estimate;
					if (want === null || c.estimate === null) expect(c.estimate).toBe(want);
					else expect(Math.abs(c.estimate - want)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(want)));
				});
				expect(dropped.deviance).toBeCloseTo(complete.deviance, 8);
			}),
			{ numRuns: 100 },
		);
	});
});

describe('Newton steps with step halving', () => {
	// A skewed field (e^(6u)) and a rare outcome (about 3 % lost) make full Newton steps
	// overshoot, so steps get halved. Stopping after 1, 2, 3, … iterations must give a penalized
	// deviance that never goes up, recomputed here from each stop's coefficients.
	test('the penalized deviance never increases from one iteration to the next (property)', () => {
		const history = fc.record({ seed: fc.integer(), lost: fc.constantFrom(0.02, 0.03, 0.05), l2: fc.constantFrom(0, 0.01) });
		fc.assert(
			fc.property(history, ({ seed, lost, l2 }) => {
				let state = seed >>> 0;
				const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
				const rows = Array.from({ length: 100 }, () => {
					const x = Math.exp(6 * next());
					const z = next() * 2 - 1;
					return { x, z, won: next() < lost ? 0 : 1 };
				});
				if (!rows.some((r) => r.won === 1) || !rows.some((r) => r.won === 0)) return;
				const design = buildDesign(rows, { target: 'won', features: ['x', 'z'] });
				const prior = new Float64Array(design.rowCount).fill(1);
				const active = design.columnNames.map(() => true);
				const penalized = (beta: Float64Array) => {
					const eta = Float64Array.from({ length: design.rowCount }, (_, r) => beta[0] + beta[1] * design.numeric[2 * r] + beta[2] * design.numeric[2 * r + 1]);
					return devianceAt(design, eta, prior) + l2 * (beta[1] ** 2 + beta[2] ** 2);
				};
				let previous = Infinity;
				for (let iterations = 1; iterations <= 30; iterations++) {
					const objective = penalized(fitIrls(design, { l2, prior, active, maxIterations: iterations }).beta);
					expect(objective).toBeLessThanOrEqual(previous * (1 + 1e-9) + 1e-9);
					previous = objective;
				}
			}),
			{ numRuns: 200 },
		);
	});
});
