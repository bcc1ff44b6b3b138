// Closed forms (P(alive), conditional and unconditional expected purchases, P(X(t) = n))
// against numerical integration of each model's individual-level story
// (test/reference/clv_closed_forms.py), to 1e-6.
import * as fc from 'fast-check';
import {
	bgNbdConditionalExpectedPurchases,
	bgNbdExpectedPurchases,
	bgNbdProbabilityAlive,
	bgNbdProbabilityOfPurchases,
	type BgNbdParams,
} from '../../../nodes/ClvCalculator/bgNbd';
import { mbgNbdConditionalExpectedPurchases, mbgNbdExpectedPurchases, mbgNbdProbabilityAlive } from '../../../nodes/ClvCalculator/mbgNbd';
import {
	paretoNbdConditionalExpectedPurchases,
	paretoNbdExpectedPurchases,
	paretoNbdProbabilityAlive,
	type ParetoNbdParams,
} from '../../../nodes/ClvCalculator/paretoNbd';
import { runReference } from './helpers';

interface Integrated {
	pAlive: number[];
	conditional: number[];
	unconditional: number[];
	pmf: number[];
}

// [x, t_x, T, t]: one-time buyers, regulars, lapsed heavy buyers, long horizons.
const histories: [number, number, number, number][] = [
	[0, 0, 38.86, 39],
	[1, 2, 30, 10],
	[2, 30.43, 38.86, 39],
	[5, 10, 40, 52],
	[7, 35, 36, 20],
	[12, 20, 52, 104],
];
const horizons = [1, 10, 39, 78, 260];
const pmfCases: [number, number][] = [
	[39, 0],
	[39, 1],
	[39, 3],
	[10, 2],
	[78, 6],
];
const asHistory = ([x, tx, T]: number[]) => ({ frequency: x, recency: tx, T });
const relative = (ours: number, reference: number) => Math.abs(ours - reference) / Math.max(Math.abs(reference), 1e-12);

describe.each<[string, BgNbdParams]>([
	['CDNOW fit (a < 1)', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }],
	['a > 1', { r: 1.3, alpha: 8, a: 2.5, b: 6 }],
])('BG/NBD closed forms, %s', (_, p) => {
	const ref = runReference<Integrated>('clv_closed_forms.py', {
		model: 'bgnbd',
		params: [p.r, p.alpha, p.a, p.b],
		customers: histories,
		unconditional: horizons,
		pmf: pmfCases,
	});
	test('P(alive) and conditional expected purchases', () => {
		histories.forEach((h, i) => {
			expect(relative(bgNbdProbabilityAlive(p, asHistory(h)), ref.pAlive[i])).toBeLessThan(1e-6);
			expect(relative(bgNbdConditionalExpectedPurchases(p, asHistory(h), h[3]), ref.conditional[i])).toBeLessThan(1e-6);
		});
	});
	test('unconditional expected purchases E[X(t)]', () => {
		horizons.forEach((t, i) => expect(relative(bgNbdExpectedPurchases(p, t), ref.unconditional[i])).toBeLessThan(1e-6));
	});
	test('P(X(t) = n)', () => {
		pmfCases.forEach(([t, n], i) => expect(relative(bgNbdProbabilityOfPurchases(p, t, n), ref.pmf[i])).toBeLessThan(1e-6));
	});
});

describe('MBG/NBD closed forms', () => {
	const p = { r: 0.52, alpha: 6.18, a: 0.89, b: 1.61 };
	const ref = runReference<Integrated>('clv_closed_forms.py', { model: 'mbgnbd', params: [p.r, p.alpha, p.a, p.b], customers: histories, unconditional: horizons });
	test('P(alive), conditional and unconditional expected purchases', () => {
		histories.forEach((h, i) => {
			expect(relative(mbgNbdProbabilityAlive(p, asHistory(h)), ref.pAlive[i])).toBeLessThan(1e-6);
			expect(relative(mbgNbdConditionalExpectedPurchases(p, asHistory(h), h[3]), ref.conditional[i])).toBeLessThan(1e-6);
		});
		horizons.forEach((t, i) => expect(relative(mbgNbdExpectedPurchases(p, t), ref.unconditional[i])).toBeLessThan(1e-6));
	});
});

describe.each<[string, ParetoNbdParams]>([
	['CDNOW fit (α < β)', { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }],
	['α > β, s > 1', { r: 1.2, alpha: 20, s: 1.7, beta: 4 }],
])('Pareto/NBD closed forms, %s', (_, p) => {
	const ref = runReference<Integrated>('clv_closed_forms.py', { model: 'paretonbd', params: [p.r, p.alpha, p.s, p.beta], customers: histories, unconditional: horizons });
	test('P(alive) and conditional expected purchases', () => {
		histories.forEach((h, i) => {
			expect(relative(paretoNbdProbabilityAlive(p, asHistory(h)), ref.pAlive[i])).toBeLessThan(1e-6);
			expect(relative(paretoNbdConditionalExpectedPurchases(p, asHistory(h), h[3]), ref.conditional[i])).toBeLessThan(1e-6);
		});
	});
	test('unconditional expected purchases E[X(t)]', () => {
		horizons.forEach((t, i) => expect(relative(paretoNbdExpectedPurchases(p, t), ref.unconditional[i])).toBeLessThan(1e-6));
	});
});

describe('closed-form properties on random parameters', () => {
	const params = fc.record({
		r: fc.double({ min: 0.05, max: 5, noNaN: true }),
		alpha: fc.double({ min: 2, max: 50, noNaN: true }),
		a: fc.double({ min: 0.1, max: 5, noNaN: true }),
		// a + b > 1: the closed forms' 2F1 needs c = a + b − 1 > 0 (documented limitation).
		b: fc.double({ min: 1, max: 10, noNaN: true }),
	});
	test('the BG/NBD P(X(t) = n) sum to 1 and their mean is E[X(t)]', () => {
		fc.assert(
			fc.property(params, fc.double({ min: 0.5, max: 20, noNaN: true }), (p, t) => {
				let total = 0;
				let mean = 0;
				for (let n = 0; n < 4000 && (n < 10 || 1 - total > 1e-13); n++) {
					const probability = bgNbdProbabilityOfPurchases(p, t, n);
					total += probability;
					mean += n * probability;
				}
				expect(Math.abs(total - 1)).toBeLessThan(1e-8);
				// The tail beyond the loop is below 1e-13, so the mean agrees to about 1e-6.
				expect(relative(mean, bgNbdExpectedPurchases(p, t))).toBeLessThan(1e-6);
			}),
			{ numRuns: 20 },
		);
	});
	test('P(alive) lies in (0, 1] and falls as the last purchase recedes', () => {
		fc.assert(
			fc.property(params, fc.integer({ min: 1, max: 30 }), fc.double({ min: 1, max: 50, noNaN: true }), (p, x, T) => {
				const recent = bgNbdProbabilityAlive(p, { frequency: x, recency: T * 0.9, T });
				const old = bgNbdProbabilityAlive(p, { frequency: x, recency: T * 0.1, T });
				expect(recent).toBeGreaterThan(0);
				expect(recent).toBeLessThanOrEqual(1);
				expect(old).toBeLessThanOrEqual(recent);
			}),
		);
	});
});
