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

export interface SimpleClv {
	customerId: string | number;
	orders: number;
	averageOrderValue: number;
	/** Time since the last order, in the summary's time unit. */
	periodsSinceLastOrder: number;
	heuristicClv: number;
	historicalClv: number;
	method: 'heuristic';
}

/** The seed's formula, CLV = orders × averageOrderValue × (1 − decay)^periodsSinceLastOrder. */
export function heuristicClv(orders: number, averageOrderValue: number, decay: number, periodsSinceLastOrder: number): number {
	return orders * averageOrderValue * Math.pow(1 - decay, periodsSinceLastOrder);
}

/** Heuristic and historical CLV of customers summarized without includeFirst (purchase days count as orders). */
export function simpleClv(customers: readonly CustomerSummary[], options: SimpleClvOptions): SimpleClv[] {
	const { decay, margin = 1 } = options;
	if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
		throw new InputError(`Decay must be a fraction between 0 and 1 (e.g. 0.1), got ${describeValue(decay)}`, { field: 'decay', value: decay });
	}
	if (typeof margin !== 'number' || !(margin > 0 && margin <= 1)) {
		throw new InputError(`Margin must be a fraction between 0 and 1 (e.g. 0.3 for 30%), got ${describeValue(margin)}`, { field: 'margin', value: margin });
	}
	return customers.map((c) => {
		// Summaries made without includeFirst: repeat purchase days + the first one.
		const orders = c.frequency + 1;
		const averageOrderValue = c.totalAmount / orders;
		const periodsSinceLastOrder = c.T - c.recency;
		return {
			customerId: c.customerId,
			orders,
			averageOrderValue,
			periodsSinceLastOrder,
			heuristicClv: heuristicClv(orders, averageOrderValue, decay, periodsSinceLastOrder) * margin,
			historicalClv: c.totalAmount * margin,
			method: 'heuristic',
		};
	});
}

