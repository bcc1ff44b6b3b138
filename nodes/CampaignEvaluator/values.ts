/** Reading loose sheet values (amounts, counts, percentages, names) into checked numbers. */
import { InputError, describeValue } from '../shared/errors';

export interface Where {
	row: number;
	field: string;
}

function fail(where: Where, value: unknown, expected: string): InputError {
	return new InputError(`Item ${where.row}: field "${where.field}" is ${describeValue(value)}, which is not ${expected}`, {
		row: where.row,
		field: where.field,
		value,
	});
}

// "1200", "1,200.50", "$ 1,200", "1200 €": thousands commas and a currency sign are allowed.
const AMOUNT_TEXT = /^[$€£¥]?\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+)\s*[$€£¥]?$/;

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return NaN;
	const match = AMOUNT_TEXT.exec(value.trim());
	return match ? Number(match[1].replace(/,/g, '')) : NaN;
}

/** A number >= 0 (money, impressions...), or null for an empty cell. */
export function readAmount(value: unknown, where: Where): number | null {
	if (isBlank(value)) return null;
	const n = toNumber(value);
	if (!Number.isFinite(n)) throw fail(where, value, 'a number');
	if (n < 0) throw fail(where, value, 'allowed to be negative');
	return n;
}

/** A signed number (revenue may be negative after refunds), or null for an empty cell. */
export function readSignedAmount(value: unknown, where: Where): number | null {
	if (isBlank(value)) return null;
	const n = toNumber(value);
	if (!Number.isFinite(n)) throw fail(where, value, 'a number');
	return n;
}

/** A whole number >= 0. */
export function readCount(value: unknown, where: Where): number {
	const n = toNumber(value);
	if (!Number.isFinite(n)) throw fail(where, value, 'a number');
	if (n < 0) throw fail(where, value, 'a count (it is negative)');
	if (!Number.isInteger(n)) throw fail(where, value, 'a whole number');
	return n;
}

/** "80%" -> 0.8; a plain number is returned as it is (the caller decides its scale). */
export function readPercentOrNumber(value: unknown, where: Where): { value: number; wasPercent: boolean } | null {
	if (isBlank(value)) return null;
	if (typeof value === 'string' && value.trim().endsWith('%')) {
		const n = toNumber(value.trim().slice(0, -1).trim());
		if (!Number.isFinite(n)) throw fail(where, value, 'a percentage');
		if (n < 0) throw fail(where, value, 'allowed to be negative');
		return { value: n / 100, wasPercent: true };
	}
	const n = readAmount(value, where);
	return n === null ? null : { value: n, wasPercent: false };
}

/** A non-empty name (campaign, variant, channel); numbers are accepted and turned into text. */
export function readName(value: unknown, where: Where): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string' || value.trim() === '') throw fail(where, value, 'a non-empty name');
	return value.trim();
}

/** Called with each bad row's error when bad rows are to be skipped instead of stopping the run. */
export type BadRowHandler = (error: InputError) => void;

/**
 * For a catch block: hands a bad-row InputError to `onBadRow` (the row is then left out), and
 * throws anything else (or everything, when there is no handler).
 */
export function skipOrThrow(error: unknown, onBadRow?: BadRowHandler): void {
	if (onBadRow && error instanceof InputError) onBadRow(error);
	else throw error;
}
