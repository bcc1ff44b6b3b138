// Order-log summaries against lifetimes' definitions: a Python re-implementation
// (test/reference/clv_summary.py) on CDNOW and a brute-force one on random logs (fast-check).
import * as fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import { summarizeTransactions } from '../../../nodes/ClvCalculator/summarize';
import { loadCdnow } from './cdnow';
import { runReference } from './helpers';

const fields = { customerId: 'customer', date: 'date', amount: 'amount' } as const;
const iso = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

describe('summarizeTransactions', () => {
	test('matches the Python re-implementation of summary_data_from_transaction_data on CDNOW (weeks, end 1997-09-30)', () => {
		const rows = loadCdnow();
		const ours = summarizeTransactions(rows, { ...fields, unit: 'weeks', observationEnd: '1997-09-30', laterOrders: 'ignore', dateFormat: 'yyyyMMdd' });
		const ref = runReference<Record<string, [number, number, number, number]>>('clv_summary.py', {
			orders: rows.map((r) => [r.customer, iso(r.date), r.amount]),
			end: '1997-09-30',
			unit_days: 7,
		});
		expect(ours).toHaveLength(Object.keys(ref).length);
		for (const c of ours) {
			const [frequency, recency, T, monetary] = ref[c.customerId as string];
			expect(c.frequency).toBe(frequency);
			expect(Math.abs(c.recency - recency)).toBeLessThan(1e-12);
			expect(Math.abs(c.T - T)).toBeLessThan(1e-12);
			expect(Math.abs(c.monetaryValue - monetary)).toBeLessThan(1e-9);
		}
	});

	// Brute force, written from the definition: group by customer, then by day.
	function bruteForce(orders: { customer: string; day: number; amount: number }[], endDay: number, unitDays: number) {
		const result = new Map<string, { frequency: number; recency: number; T: number; monetaryValue: number }>();
		const customers = [...new Set(orders.map((o) => o.customer))];
		for (const customer of customers) {
			const mine = orders.filter((o) => o.customer === customer && o.day <= endDay);
			if (mine.length === 0) continue;
			const days = [...new Set(mine.map((o) => o.day))].sort((a, b) => a - b);
			const sums = days.map((d) => mine.filter((o) => o.day === d).reduce((s, o) => s + o.amount, 0));
			const repeats = sums.slice(1);
			result.set(customer, {
				frequency: days.length - 1,
				recency: (days[days.length - 1] - days[0]) / unitDays,
				T: (endDay - days[0]) / unitDays,
				monetaryValue: repeats.length ? repeats.reduce((s, v) => s + v, 0) / repeats.length : 0,
			});
		}
		return result;
	}

	test('agrees with a brute-force summary on random order logs (any order, same-day orders, times of day)', () => {
		const order = fc.record({
			customer: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
			day: fc.integer({ min: 0, max: 60 }),
			hour: fc.integer({ min: 0, max: 23 }),
			amount: fc.integer({ min: 0, max: 10000 }).map((c) => c / 100),
		});
		fc.assert(
			fc.property(fc.array(order, { minLength: 1, maxLength: 40 }), fc.constantFrom('days', 'weeks', 'months'), fc.integer({ min: 0, max: 10 }), (orders, unit, extra) => {
				const start = Date.UTC(2024, 0, 1);
				const rows = orders.map((o) => ({
					customer: o.customer,
					date: new Date(start + o.day * 86400000 + o.hour * 3600000).toISOString(),
					amount: o.amount,
				}));
				const lastDay = Math.max(...orders.map((o) => o.day));
				const endDay = lastDay + extra;
				const observationEnd = new Date(start + endDay * 86400000).toISOString().slice(0, 10);
				const unitDays = { days: 1, weeks: 7, months: 30 }[unit];
				const ours = summarizeTransactions(rows, { ...fields, unit, observationEnd, dateFormat: 'iso' });
				const expected = bruteForce(orders, endDay, unitDays);
				expect(ours).toHaveLength(expected.size);
				for (const c of ours) {
					const e = expected.get(c.customerId as string)!;
					expect(c.frequency).toBe(e.frequency);
					expect(Math.abs(c.recency - e.recency)).toBeLessThan(1e-12);
					expect(Math.abs(c.T - e.T)).toBeLessThan(1e-12);
					expect(Math.abs(c.monetaryValue - e.monetaryValue)).toBeLessThan(1e-9);
				}
			}),
		);
	});

	test('includeFirst counts the first purchase in frequency and monetary value (lifetimes include_first_transaction)', () => {
		const rows = [
			{ customer: 'x', date: '2024-01-01', amount: 10 },
			{ customer: 'x', date: '2024-01-01', amount: 5 },
			{ customer: 'x', date: '2024-01-08', amount: 30 },
		];
		const [withFirst] = summarizeTransactions(rows, { ...fields, unit: 'days', includeFirst: true });
		expect(withFirst.frequency).toBe(2);
		expect(withFirst.monetaryValue).toBe(22.5);
		const [without] = summarizeTransactions(rows, { ...fields, unit: 'days' });
		expect(without.frequency).toBe(1);
		expect(without.monetaryValue).toBe(30);
		expect(without.recency).toBe(7);
	});

	test('reads every supported date format the same', () => {
		const formats: [string, unknown[]][] = [
			['iso', ['2024-03-01', '2024-03-15']],
			['yyyyMMdd', ['20240301', 20240315]],
			['MM/dd/yyyy', ['03/01/2024', '03/15/2024']],
			['dd.MM.yyyy', ['01.03.2024', '15.03.2024']],
			['sheetsSerial', [45352, 45366]],
		];
		for (const [dateFormat, [first, second]] of formats) {
			const rows = [
				{ customer: 1, date: first, amount: '10' },
				{ customer: 1, date: second, amount: '20.5' },
			];
			const [c] = summarizeTransactions(rows, { ...fields, unit: 'days', dateFormat: dateFormat as never });
			expect([c.frequency, c.recency, c.T, c.monetaryValue]).toEqual([1, 14, 14, 20.5]);
		}
	});

	test('bad input names the item, field and value', () => {
		const base = [{ customer: 'a', date: '2024-01-01', amount: 10 }];
		const run = (rows: Record<string, unknown>[], extra = {}) => () => summarizeTransactions(rows, { ...fields, unit: 'days', ...extra });
		expect(run([...base, { customer: 'a', date: 'someday', amount: 5 }])).toThrow(/Item 1.*"date".*"someday"/);
		expect(run([...base, { customer: 'a', date: '2024-01-02', amount: -5 }])).toThrow(/Item 1.*"amount".*negative.*-5/);
		expect(run([...base, { customer: 'a', date: '2024-01-02', amount: 'ten' }])).toThrow(/Item 1.*"amount".*"ten"/);
		expect(run([...base, { customer: '', date: '2024-01-02', amount: 1 }])).toThrow(/Item 1.*"customer"/);
		expect(run([...base, { customer: 'a', date: '2024-02-02', amount: 1 }], { observationEnd: '2024-01-31' })).toThrow(/Item 1: order date 2024-02-02 is after the observation end 2024-01-31/);
		expect(run(base, { observationEnd: 'soon' })).toThrow(/observationEnd.*"soon"/);
		try {
			run([...base, { customer: 'a', date: 'someday', amount: 5 }])();
		} catch (error) {
			expect(error).toBeInstanceOf(InputError);
			expect((error as InputError).row).toBe(1);
			expect((error as InputError).field).toBe('date');
		}
	});
});
