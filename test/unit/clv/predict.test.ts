// CLV predictions (lifetimes' definition), spend expectations, segments and the heuristics.
import * as fc from 'fast-check';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../../nodes/ClvCalculator/gammaGamma';
import { predictClv, type SpendModel } from '../../../nodes/ClvCalculator/predict';
import type { PurchaseModel } from '../../../nodes/ClvCalculator/purchaseModels';
import { rfmScores, segmentOf } from '../../../nodes/ClvCalculator/segments';
import { heuristicClv, simpleClv, simpleClvForCustomer } from '../../../nodes/ClvCalculator/simpleClv';
import { runReference } from './helpers';

const bg: PurchaseModel = { type: 'bgNbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const gg: SpendModel = { type: 'gammaGamma', params: { p: 6.25, q: 3.74, v: 15.44 } };
const customers = [
	{ customerId: 'one-timer', frequency: 0, recency: 0, T: 38.86, monetaryValue: 0 },
	{ customerId: 'regular', frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 },
	{ customerId: 'lapsed', frequency: 6, recency: 8, T: 38, monetaryValue: 40 },
];

describe('predictClv', () => {
	test('equals the month-by-month discounted sum built from numerically integrated expectations', () => {
		const horizon = 3;
		const month = 30 / 7;
		const cases = customers.flatMap((c) => Array.from({ length: horizon }, (_, i) => [c.frequency, c.recency, c.T, (i + 1) * month]));
		const ref = runReference<{ conditional: number[] }>('clv_closed_forms.py', { model: 'bgnbd', params: [0.243, 4.414, 0.793, 2.426], customers: cases });
		const ours = predictClv({ purchaseModel: bg, spendModel: gg }, customers, { horizon, unit: 'weeks', discountRate: 0.01, margin: 0.3 });
		customers.forEach((c, k) => {
			const cumulative = ref.conditional.slice(k * horizon, (k + 1) * horizon);
			const spend = (6.25 * (15.44 + c.monetaryValue * c.frequency)) / (6.25 * c.frequency + 3.74 - 1);
			let clv = 0;
			cumulative.forEach((value, i) => (clv += (value - (i > 0 ? cumulative[i - 1] : 0)) / 1.01 ** (i + 1)));
			expect(Math.abs(ours[k].clv! - 0.3 * spend * clv)).toBeLessThan(1e-6 * ours[k].clv!);
			expect(Math.abs(ours[k].expectedPurchases - cumulative[horizon - 1])).toBeLessThan(1e-6 * cumulative[horizon - 1]);
		});
	});

	test('without discounting, CLV = expected purchases × expected spend × margin; discounting only lowers it', () => {
		const customer = fc
			.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 1, max: 100, noNaN: true }), fc.double({ min: 1, max: 500, noNaN: true }))
			.map(([x, share, T, m]) => ({ customerId: 'c', frequency: x, recency: x === 0 ? 0 : share * T, T, monetaryValue: x === 0 ? 0 : m }));
		fc.assert(
			fc.property(customer, fc.integer({ min: 1, max: 36 }), fc.double({ min: 0.05, max: 1, noNaN: true }), (c, horizon, margin) => {
				const [plain] = predictClv({ purchaseModel: bg, spendModel: gg }, [c], { horizon, unit: 'weeks', discountRate: 0, margin });
				const [discounted] = predictClv({ purchaseModel: bg, spendModel: gg }, [c], { horizon, unit: 'weeks', discountRate: 0.02, margin });
				expect(Math.abs(plain.clv! - plain.expectedPurchases * plain.expectedSpend! * margin)).toBeLessThan(1e-9 * Math.max(1, plain.clv!));
				expect(discounted.clv!).toBeLessThanOrEqual(plain.clv! + 1e-12);
				expect(plain.pAlive).toBeGreaterThan(0);
				expect(plain.pAlive).toBeLessThanOrEqual(1);
			}),
			{ numRuns: 60 },
		);
	});

	test('the time unit only changes the scale: days and weeks give the same CLV for the same history', () => {
		const days: PurchaseModel = { type: 'bgNbd', params: { ...bg.params, alpha: bg.params.alpha * 7 } };
		const [inWeeks] = predictClv({ purchaseModel: bg, spendModel: gg }, [customers[1]], { horizon: 12, unit: 'weeks', discountRate: 0.01 });
		const c = customers[1];
		const [inDays] = predictClv({ purchaseModel: days, spendModel: gg }, [{ ...c, recency: c.recency * 7, T: c.T * 7 }], { horizon: 12, unit: 'days', discountRate: 0.01 });
		expect(Math.abs(inWeeks.clv! - inDays.clv!)).toBeLessThan(1e-9 * inWeeks.clv!);
	});

	test('rejects impossible options and histories with clear messages', () => {
		const run = (options: object, list = customers) => () => predictClv({ purchaseModel: bg, spendModel: gg }, list, { horizon: 12, unit: 'weeks', discountRate: 0.01, ...options });
		expect(run({ horizon: 0 })).toThrow(/Horizon.*0/);
		expect(run({ discountRate: 1.5 })).toThrow(/discount rate.*1.5/);
		expect(run({ margin: 30 })).toThrow(/Margin.*30/);
		expect(run({}, [{ customerId: 'x', frequency: 2, recency: 50, T: 40, monetaryValue: 10 }])).toThrow(/Customer 0: recency must not exceed T/);
		expect(run({}, [{ customerId: 'x', frequency: 1.5, recency: 5, T: 40, monetaryValue: 10 }])).toThrow(/Customer 0: frequency.*1.5/);
	});
});

describe('Gamma-Gamma', () => {
	test('expected spend is the credibility-weighted mean of the population mean pγ/(q−1) and the customer mean', () => {
		const { p, q, v } = gg.params;
		const population = (p * v) / (q - 1);
		expect(gammaGammaExpectedSpend(gg.params, { frequency: 0, monetaryValue: 0 })).toBeCloseTo(population, 12);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (x, m) => {
				const weight = (p * x) / (p * x + q - 1);
				const expected = (1 - weight) * population + weight * m;
				expect(Math.abs(gammaGammaExpectedSpend(gg.params, { frequency: x, monetaryValue: m })! - expected)).toBeLessThan(1e-9 * expected);
			}),
		);
	});
	test('warns when frequency and spend are correlated', () => {
		const correlated = Array.from({ length: 200 }, (_, i) => ({ frequency: 1 + (i % 10), monetaryValue: 10 + 5 * (i % 10) + (i % 7) }));
		const fit = fitGammaGamma(correlated);
		expect(fit.warnings.join(' ')).toMatch(/correlated \(Pearson r = 0\.\d\d\)/);
	});
	test('explains why it needs repeat customers', () => {
		const few = [
			{ frequency: 0, monetaryValue: 0 },
			{ frequency: 2, monetaryValue: 30 },
		];
		expect(() => fitGammaGamma(few)).toThrow(/at least 10 customers with repeat purchases.*found 1.*one-time buyers carry no such information/);
	});
});

describe('segments', () => {
	test('scores are 1–4 and never decrease as the underlying value improves', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true })), { minLength: 4, maxLength: 60 }), (rows) => {
				const input = rows.map(([x, share, m]) => ({ frequency: x, recency: x ? 40 * share : 0, T: 40, monetaryValue: m, pAlive: 0.9, clv: m * x, expectedPurchases: x }));
				const scores = rfmScores(input);
				for (let i = 0; i < input.length; i++) {
					for (const s of Object.values(scores[i])) expect([1, 2, 3, 4]).toContain(s);
					for (let j = 0; j < input.length; j++) {
						if (input[i].frequency > input[j].frequency) expect(scores[i].frequencyScore).toBeGreaterThanOrEqual(scores[j].frequencyScore);
						const sinceI = input[i].T - input[i].recency;
						const sinceJ = input[j].T - input[j].recency;
						if (sinceI < sinceJ) expect(scores[i].recencyScore).toBeGreaterThanOrEqual(scores[j].recencyScore);
					}
				}
			}),
		);
	});
	test('follows the documented rule', () => {
		const s = (r: number, f: number, v: number) => ({ recencyScore: r, frequencyScore: f, monetaryScore: 1, valueScore: v });
		expect(segmentOf(0.1, s(4, 4, 4))).toBe('lost');
		expect(segmentOf(0.4, s(4, 4, 4))).toBe('hibernating');
		expect(segmentOf(0.9, s(1, 4, 4))).toBe('hibernating');
		expect(segmentOf(0.9, s(3, 3, 4))).toBe('champions');
		expect(segmentOf(0.9, s(2, 4, 1))).toBe('at risk');
		expect(segmentOf(0.9, s(4, 3, 2))).toBe('loyal');
		expect(segmentOf(0.9, s(4, 1, 1))).toBe('potential');
	});
});

describe('heuristics', () => {
	test("the seed's worked example: 2 orders × 1000 × 0.9² = 1620", () => {
		expect(heuristicClv(2, 1000, 0.1, 2)).toBeCloseTo(1620, 10);
	});
	test('simpleClv derives orders, average order value and periods since the last order from the summary', () => {
		const [c] = simpleClv(
			[{ customerId: 'a', frequency: 1, recency: 3, T: 5, monetaryValue: 1000, orders: 2, totalSpent: 2000, firstPurchase: '2024-01-01', lastPurchase: '2024-01-22' }],
			{ decay: 0.1, margin: 0.5 },
		);
		expect(c).toMatchObject({ orders: 2, averageOrderValue: 1000, periodsSinceLastOrder: 2, historicalClv: 1000, method: 'heuristic' });
		expect(c.heuristicClv).toBeCloseTo(810, 10);
		expect(() => simpleClv([], { decay: 1 })).toThrow(/Decay.*1/);
		expect(() => simpleClvForCustomer({ orders: 2, averageOrderValue: 'lots', periodsSinceLastOrder: 1, totalSpent: 5 }, { decay: 0.1 }, 3)).toThrow(
			/Item 3: averageOrderValue must be a number ≥ 0, got "lots"/,
		);
	});
});
