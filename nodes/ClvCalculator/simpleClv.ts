/**
 * Heuristic CLV, for a quick look without fitting a model (labelled as heuristics in output):
 * - the seed formula: CLV = orders × average order value × (1 − decay)^(periods since last order)
 *   (e.g. 2 orders × 1000 × 0.9² = 1620 with decay 0.1 two periods after the last order);
 * - historical CLV: everything the customer has spent so far, times the margin.
 */
import { InputError, describeValue } from '../shared/errors';
import type { CustomerSummary } from './summarize';

export interface SimpleClvOptions {
	/** Share of value lost per period without an order, in [0, 1). */
	decay: number;
	/** Profit margin in (0, 1], default 1. */
	margin?: number;
}

/** What the heuristic needs to know about one customer. */
export interface SimpleClvInput {
	orders: unknown;
	averageOrderValue: unknown;
	periodsSinceLastOrder: unknown;
	totalSpent: unknown;
}

export interface SimpleClv {
	orders: number;
	averageOrderValue: number;
	periodsSinceLastOrder: number;
	heuristicClv: number;
	historicalClv: number;
	method: 'heuristic';
}

/** The seed's formula, CLV = orders × averageOrderValue × (1 − decay)^periodsSinceLastOrder. */
export function heuristicClv(orders: number, averageOrderValue: number, decay: number, periodsSinceLastOrder: number): number {
	return orders * averageOrderValue * Math.pow(1 - decay, periodsSinceLastOrder);
}

/** Throws unless decay and margin are usable fractions. */
export function checkSimpleClvOptions({ decay, margin = 1 }: SimpleClvOptions): void {
	if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
		throw new InputError(`Decay must be a fraction between 0 and 1 (e.g. 0.1), got ${describeValue(decay)}`, { field: 'decay', value: decay });
	}
	if (typeof margin !== 'number' || !(margin > 0 && margin <= 1)) {
		throw new InputError(`Margin must be a fraction between 0 and 1 (e.g. 0.3 for 30%), got ${describeValue(margin)}`, { field: 'margin', value: margin });
	}
}

function readNonNegative(value: unknown, row: number, field: string): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
		throw new InputError(`Item ${row}: ${field} must be a number ≥ 0, got ${describeValue(value)}`, { row, field, value });
	}
	return number;
}

/** Heuristic and historical CLV of one customer (row = item index, for error messages). */
export function simpleClvForCustomer(input: SimpleClvInput, options: SimpleClvOptions, row = 0): SimpleClv {
	checkSimpleClvOptions(options);
	const orders = readNonNegative(input.orders, row, 'orders');
	const averageOrderValue = readNonNegative(input.averageOrderValue, row, 'averageOrderValue');
	const periodsSinceLastOrder = readNonNegative(input.periodsSinceLastOrder, row, 'periodsSinceLastOrder');
	const totalSpent = readNonNegative(input.totalSpent, row, 'totalSpent');
	const margin = options.margin ?? 1;
	return {
		orders,
		averageOrderValue,
		periodsSinceLastOrder,
		heuristicClv: heuristicClv(orders, averageOrderValue, options.decay, periodsSinceLastOrder) * margin,
		historicalClv: totalSpent * margin,
		method: 'heuristic',
	};
}

/** Heuristic and historical CLV of summarized customers (purchase days count as orders). */
export function simpleClv(customers: readonly CustomerSummary[], options: SimpleClvOptions): (SimpleClv & { customerId: string | number })[] {
	checkSimpleClvOptions(options);
	return customers.map((c, row) => ({
		customerId: c.customerId,
		...simpleClvForCustomer(
			{ orders: c.orders, averageOrderValue: c.totalSpent / c.orders, periodsSinceLastOrder: c.T - c.recency, totalSpent: c.totalSpent },
			options,
			row,
		),
	}));
}
