// The special functions against scipy (2F1) and against calculus identities (digamma).
import * as fc from 'fast-check';
import { logGamma } from '../../../nodes/shared/distributions';
import { digamma, logHyp2f1 } from '../../../nodes/ClvCalculator/special';
import { runReference } from './helpers';

describe('logHyp2f1 against scipy.special.hyp2f1', () => {
	const positive = (max: number) => fc.double({ min: 0.01, max, noNaN: true });
	const z = fc.oneof(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.9, max: 0.9999, noNaN: true }));
	// The Pareto/NBD shape 2F1(a, b; a + 1; z), the BG/NBD shapes with c = a + b ± small, and general ones.
	const paretoShape = fc.tuple(positive(60), positive(40), z).map(([a, b, zz]) => [a, b, a + 1, zz]);
	const general = fc.tuple(positive(30), positive(30), positive(40), z).map(([a, b, c, zz]) => [a, b, c, zz]);
	const cases = [
		...fc.sample(paretoShape, { numRuns: 300, seed: 7 }),
		...fc.sample(general, { numRuns: 300, seed: 11 }),
		// c − a − b exactly an integer near z = 1 (the connection formula is singular there)
		[1, 1, 2, 0.95],
		[0.5, 1.5, 3, 0.99],
		[2.3, 1.7, 4, 0.97],
		[10.5, 1.6, 11.5, 0.95],
		[1.6, 1, 2.6, 0.999],
	];
	const reference = runReference<(number | null)[]>('clv_hyp2f1.py', cases);
	test('agrees to 1e-10 relative on random parameters, including z near 1', () => {
		let checked = 0;
		cases.forEach(([a, b, c, zz], i) => {
			const expected = reference[i];
			if (expected === null || !Number.isFinite(expected)) return;
			const ours = logHyp2f1(a, b, c, zz);
			// ln F to 1e-10 absolute is F to 1e-10 relative.
			expect({ a, b, c, z: zz, error: Math.abs(ours - expected) < 1e-9 * Math.max(1, Math.abs(expected)) }).toEqual({ a, b, c, z: zz, error: true });
			checked++;
		});
		expect(checked).toBeGreaterThan(550);
	});
	test('rejects arguments outside its domain', () => {
		expect(() => logHyp2f1(1, 1, 2, 1)).toThrow(RangeError);
		expect(() => logHyp2f1(1, 1, -0.5, 0.3)).toThrow(RangeError);
	});
});

describe('digamma', () => {
	test('is the derivative of logGamma (central difference) and satisfies ψ(x+1) = ψ(x) + 1/x', () => {
		fc.assert(
			fc.property(fc.double({ min: 0.05, max: 500, noNaN: true }), (x) => {
				const h = 1e-5 * x;
				const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
				expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
				expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(1e-12 * Math.max(1, 1 / x));
			}),
		);
	});
	test('ψ(1) = −γ (Euler–Mascheroni)', () => {
		expect(Math.abs(digamma(1) + 0.5772156649015329)).toBeLessThan(1e-13);
	});
});
