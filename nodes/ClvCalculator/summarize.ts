/**
 * From an order log to one RFM summary per customer, with the definitions of
 * lifetimes.utils.summary_data_from_transaction_data (freq='D', freq_multiplier = days per unit):
 * - orders on the same calendar day (UTC) merge into one purchase (their amounts add up);
 * - frequency = number of purchase days after the first (repeat purchases);
 * - recency = time from the first to the last purchase; T = time from the first purchase to
 *   the observation end (default: the last order date in the log);
 * - monetaryValue = mean amount of the repeat purchase days (0 without repeats); with
 *   includeFirst the first purchase counts too (frequency then counts it as well, as lifetimes does).
 */
import { InputError, describeValue } from '../shared/errors';
import { MS_PER_DAY, parseDateMs, toIsoDate, type DateFormat } from '../shared/dates';

export type TimeUnit = 'days' | 'weeks' | 'months';

/** Days per time unit. A month is 30 days, the step lifetimes' CLV uses (freq 'D' → 30). */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 30 };

export interface SummarizeOptions {
	/** Field names in the order rows. */
	customerId: string;
	date: string;
	amount: string;
	unit: TimeUnit;
	/** End of the observation period (any date the format accepts); default: the last order date. */
	observationEnd?: unknown;
	/** Count the first purchase in frequency and monetary value (lifetimes' include_first_transaction). */
	includeFirst?: boolean;
	/** Default 'auto'. */
	dateFormat?: DateFormat;
	/** Orders after the observation end: an error (default) or left out (e.g. a holdout period). */
	laterOrders?: 'error' | 'ignore';
}

export interface CustomerSummary {
	customerId: string | number;
	frequency: number;
	recency: number;
	T: number;
	monetaryValue: number;
	/** Purchase days (same-day orders merged) up to the observation end, the first included. */
	orders: number;
	/** Sum of all order amounts up to the observation end (historical value). */
	totalSpent: number;
	firstPurchase: string;
	lastPurchase: string;
}

/** An order log in columns: one entry per order row, customers numbered in order of appearance. */
export interface OrderLog {
	customerIds: (string | number)[];
	customer: Int32Array;
	/** Day number (days since 1970-01-01 UTC) of each order. */
	day: Int32Array;
	amount: Float64Array;
}

/** Reads a money amount: a number or numeric text, finite and not negative. */
export function readAmount(value: unknown, row: number, field: string): number {
	const amount = typeof value === 'string' && value.trim() !== '' ? Number(value.replace(/,/g, '')) : value;
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new InputError(`Item ${row}: field "${field}" must be a number, got ${describeValue(value)}`, { row, field, value });
	}
	if (amount < 0) {
		throw new InputError(`Item ${row}: field "${field}" must not be negative, got ${describeValue(value)}`, { row, field, value });
	}
	return amount;
}

/** Parses the rows into an OrderLog. Distinct date values are parsed once (logs repeat dates a lot). */
export function readOrderLog(
	rows: readonly Record<string, unknown>[],
	options: Pick<SummarizeOptions, 'customerId' | 'date' | 'amount' | 'dateFormat'>,
): OrderLog {
	const format = options.dateFormat ?? 'auto';
	const customerIds: (string | number)[] = [];
	const indexOf = new Map<string | number, number>();
	const customer = new Int32Array(rows.length);
	const day = new Int32Array(rows.length);
	const amount = new Float64Array(rows.length);
	const dayCache = new Map<unknown, number>();
	for (let row = 0; row < rows.length; row++) {
		const record = rows[row];
		const id = record[options.customerId];
		if ((typeof id !== 'string' && typeof id !== 'number') || (typeof id === 'string' && id.trim() === '')) {
			throw new InputError(`Item ${row}: field "${options.customerId}" (customer ID) is missing or not text/number, got ${describeValue(id)}`, {
				row,
				field: options.customerId,
				value: id,
			});
		}
		let index = indexOf.get(id);
		if (index === undefined) {
			index = customerIds.length;
			indexOf.set(id, index);
			customerIds.push(id);
		}
		customer[row] = index;
		const rawDate = record[options.date];
		let dayNumber = typeof rawDate === 'object' ? undefined : dayCache.get(rawDate);
		if (dayNumber === undefined) {
			dayNumber = Math.floor(parseDateMs(rawDate, format, { row, field: options.date }) / MS_PER_DAY);
			if (typeof rawDate !== 'object') dayCache.set(rawDate, dayNumber);
		}
		day[row] = dayNumber;
		amount[row] = readAmount(record[options.amount], row, options.amount);
	}
	return { customerIds, customer, day, amount };
}

/** A date given as a setting (not a column), read in any format 'auto' accepts, as a day number. */
export function parseSettingDay(value: unknown, field: string): number {
	let ms = NaN;
	try {
		ms = parseDateMs(value, 'auto', { row: 0, field });
	} catch {
		// reworded below: a setting is not an item, so "Item 0" would mislead
	}
	if (!Number.isFinite(ms)) throw new InputError(`Setting "${field}" must be a date (e.g. 2024-12-31), got ${describeValue(value)}`, { field, value });
	return Math.floor(ms / MS_PER_DAY);
}

/** The observation end as a day number: the given date, or the last order day. */
export function observationEndDay(log: OrderLog, observationEnd: unknown): number {
	if (observationEnd !== undefined && observationEnd !== null && observationEnd !== '') return parseSettingDay(observationEnd, 'observationEnd');
	let last = -Infinity;
	for (let i = 0; i < log.day.length; i++) if (log.day[i] > last) last = log.day[i];
	return last;
}

/**
 * Row indices grouped by customer (counting sort, stable), each group sorted by day.
 * Returns the order and the start offset of every customer's group.
 */
function groupByCustomer(log: OrderLog): { order: Int32Array; start: Int32Array } {
	const customers = log.customerIds.length;
	const start = new Int32Array(customers + 1);
	for (let i = 0; i < log.customer.length; i++) start[log.customer[i] + 1]++;
	for (let c = 0; c < customers; c++) start[c + 1] += start[c];
	const next = start.slice(0, customers);
	const order = new Int32Array(log.customer.length);
	for (let i = 0; i < log.customer.length; i++) order[next[log.customer[i]]++] = i;
	for (let c = 0; c < customers; c++) {
		const from = start[c];
		const to = start[c + 1];
		let sorted = true;
		for (let k = from + 1; k < to && sorted; k++) sorted = log.day[order[k - 1]] <= log.day[order[k]];
		if (!sorted) order.subarray(from, to).sort((x, y) => log.day[x] - log.day[y]);
	}
	return { order, start };
}

/** The per-customer summary of an order log up to (and including) day `endDay`. */
export function summarizeOrderLog(
	log: OrderLog,
	endDay: number,
	unit: TimeUnit,
	includeFirst = false,
	laterOrders: 'error' | 'ignore' = 'error',
	dateField = 'date',
): CustomerSummary[] {
	const unitDays = DAYS_PER_UNIT[unit];
	if (laterOrders === 'error') {
		for (let row = 0; row < log.day.length; row++) {
			if (log.day[row] > endDay) {
				throw new InputError(
					`Item ${row}: order date ${toIsoDate(log.day[row] * MS_PER_DAY)} is after the observation end ${toIsoDate(endDay * MS_PER_DAY)}`,
					{ row, field: dateField, value: toIsoDate(log.day[row] * MS_PER_DAY) },
				);
			}
		}
	}
	const { order, start } = groupByCustomer(log);
	const summaries: CustomerSummary[] = [];
	const isoDates = new Map<number, string>(); // purchase days repeat across customers
	const isoDate = (day: number) => {
		let text = isoDates.get(day);
		if (text === undefined) {
			text = toIsoDate(day * MS_PER_DAY);
			isoDates.set(day, text);
		}
		return text;
	};
	for (let c = 0; c < log.customerIds.length; c++) {
		let purchaseDays = 0;
		let firstDay = 0;
		let lastDay = 0;
		let firstDayAmount = 0;
		let totalSpent = 0;
		for (let k = start[c]; k < start[c + 1]; k++) {
			const row = order[k];
			const d = log.day[row];
			if (d > endDay) break;
			if (purchaseDays === 0) {
				firstDay = d;
				purchaseDays = 1;
			} else if (d !== lastDay) {
				purchaseDays++;
			}
			if (d === firstDay) firstDayAmount += log.amount[row];
			lastDay = d;
			totalSpent += log.amount[row];
		}
		if (purchaseDays === 0) continue; // all of this customer's orders come later
		const repeatAmount = totalSpent - firstDayAmount;
		const frequency = includeFirst ? purchaseDays : purchaseDays - 1;
		const monetaryValue = includeFirst ? totalSpent / purchaseDays : purchaseDays > 1 ? repeatAmount / (purchaseDays - 1) : 0;
		summaries.push({
			customerId: log.customerIds[c],
			frequency,
			recency: (lastDay - firstDay) / unitDays,
			T: (endDay - firstDay) / unitDays,
			monetaryValue,
			orders: purchaseDays,
			totalSpent,
			firstPurchase: isoDate(firstDay),
			lastPurchase: isoDate(lastDay),
		});
	}
	return summaries;
}

/** One RFM summary per customer from order rows (see the module comment for the definitions). */
export function summarizeTransactions(rows: readonly Record<string, unknown>[], options: SummarizeOptions): CustomerSummary[] {
	if (!(options.unit in DAYS_PER_UNIT)) {
		throw new InputError(`Time unit must be days, weeks or months, got ${describeValue(options.unit)}`, { field: 'unit', value: options.unit });
	}
	const log = readOrderLog(rows, options);
	const endDay = observationEndDay(log, options.observationEnd);
	return summarizeOrderLog(log, endDay, options.unit, options.includeFirst ?? false, options.laterOrders ?? 'error', options.date);
}
