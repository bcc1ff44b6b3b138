/**
 * Customer summaries (frequency, recency, T) as the purchase models consume them: checked,
 * then grouped so customers with identical (x, t_x, T) are evaluated once with a weight.
 */
import { InputError, describeValue } from '../shared/errors';

/** What every purchase model needs to know about a customer (lifetimes' vocabulary). */
export interface PurchaseHistory {
	/** Repeat purchases (x). */
	frequency: number;
	/** Time of the last purchase since the first (t_x). */
	recency: number;
	/** Time since the first purchase up to the observation end. */
	T: number;
}

/** Distinct (x, t_x, T) triples with how many customers share each. */
export interface GroupedHistories {
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	weight: Float64Array;
	/** Total number of customers (sum of weights). */
	customers: number;
	/** Largest T (lifetimes rescales time by it before fitting). */
	maxT: number;
}

function fail(row: number, field: string, value: unknown, why: string): never {
	throw new InputError(`Customer ${row}: ${field} ${why}, got ${describeValue(value)}`, { row, field, value });
}

/** Throws an InputError naming the customer (0-based) and field when a summary is impossible. */
export function checkHistory(customer: PurchaseHistory, row: number): void {
	const { frequency, recency, T } = customer;
	if (typeof frequency !== 'number' || !Number.isInteger(frequency) || frequency < 0) {
		fail(row, 'frequency', frequency, 'must be a whole number ≥ 0');
	}
	if (typeof recency !== 'number' || !Number.isFinite(recency) || recency < 0) fail(row, 'recency', recency, 'must be a number ≥ 0');
	if (typeof T !== 'number' || !Number.isFinite(T) || T < 0) fail(row, 'T', T, 'must be a number ≥ 0');
	if (recency > T * (1 + 1e-12)) fail(row, 'recency', recency, `must not exceed T (${T})`);
	if (frequency === 0 && recency !== 0) fail(row, 'recency', recency, 'must be 0 when frequency is 0');
	if (frequency > 0 && recency === 0) fail(row, 'recency', recency, 'must be > 0 when frequency > 0 (repeat purchases happen after the first)');
}

/**
 * Checks every customer and groups identical histories, ordered by x (so likelihoods can
 * compute their x-only terms once per run of equal x). Nested number-keyed maps: much faster
 * than string keys on a million customers.
 */
export function groupHistories(customers: readonly PurchaseHistory[]): GroupedHistories {
	if (customers.length === 0) throw new InputError('No customers to fit the model on');
	const byX = new Map<number, Map<number, Map<number, number>>>();
	const x: number[] = [];
	const tx: number[] = [];
	const T: number[] = [];
	const weight: number[] = [];
	let maxT = 0;
	for (let row = 0; row < customers.length; row++) {
		const c = customers[row];
		checkHistory(c, row);
		let byT = byX.get(c.frequency);
		if (byT === undefined) byX.set(c.frequency, (byT = new Map()));
		let byRecency = byT.get(c.T);
		if (byRecency === undefined) byT.set(c.T, (byRecency = new Map()));
		const at = byRecency.get(c.recency);
		if (at !== undefined) {
			weight[at]++;
			continue;
		}
		byRecency.set(c.recency, x.length);
		x.push(c.frequency);
		tx.push(c.recency);
		T.push(c.T);
		weight.push(1);
		if (c.T > maxT) maxT = c.T;
	}
	if (!(maxT > 0)) throw new InputError('Every customer has T = 0: there is no observation time to fit on', { field: 'T', value: 0 });
	const order = Array.from(x.keys()).sort((i, j) => x[i] - x[j]);
	return {
		x: Float64Array.from(order, (i) => x[i]),
		tx: Float64Array.from(order, (i) => tx[i]),
		T: Float64Array.from(order, (i) => T[i]),
		weight: Float64Array.from(order, (i) => weight[i]),
		customers: customers.length,
		maxT,
	};
}

/** The same histories with time multiplied by `factor` (used to fit on lifetimes' time scale). */
export function scaleTime(data: GroupedHistories, factor: number): GroupedHistories {
	return { ...data, tx: data.tx.map((v) => v * factor), T: data.T.map((v) => v * factor), maxT: data.maxT * factor };
}
