/** Reading loose sheet values (counts, amounts, names) into checked numbers and strings. */
import { InputError, describeValue } from '../shared/errors';

export interface Where {
	row: number;
	field: string;
}

function fail(where: Where, value: unknown, expected: string): InputError {
	return new InputError(`Item ${where.row}: field "${where.field}" has ${describeValue(value)}, which is not ${expected}`, {
		row: where.row,
		field: where.field,
		value,
	});
}

// "1200", "1,200.50", "$ 1,200", "1200 €": thousands commas and a currency sign are allowed.
const AMOUNT_TEXT = /^[$€£¥]?\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*[$€£¥]?$/;

/** A number from a number or a plain numeric text; NaN when it is neither. */
function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return NaN;
	const m = AMOUNT_TEXT.exec(value.trim());
	return m ? Number(m[1].replace(/,/g, '')) : NaN;
}

/** A count: a whole number >= 0. */
export function parseCount(value: unknown, where: Where): number {
	const n = toNumber(value);
	if (!Number.isFinite(n)) throw fail(where, value, 'a number');
	if (n < 0) throw fail(where, value, 'a count (it is negative)');
	if (!Number.isInteger(n)) throw fail(where, value, 'a whole number');
	return n;
}

/** A money amount >= 0; null for an empty cell. */
export function parseAmount(value: unknown, where: Where): number | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	const n = toNumber(value);
	if (!Number.isFinite(n)) throw fail(where, value, 'an amount');
	if (n < 0) throw fail(where, value, 'an amount (it is negative)');
	return n;
}

/** A name (stage, step, segment, id): a non-empty string, or a number turned into one. */
export function parseName(value: unknown, where: Where): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	throw fail(where, value, 'a name (non-empty text)');
}

/** A segment label: empty or missing values group under "(none)". */
export function segmentLabel(value: unknown): string {
	if (value === undefined || value === null) return NO_SEGMENT;
	const text = typeof value === 'string' ? value.trim() : typeof value === 'object' ? JSON.stringify(value) : String(value);
	return text === '' ? NO_SEGMENT : text;
}
export const NO_SEGMENT = '(none)';

/** An option that must be one of a few words; undefined keeps the default. */
export function checkChoice<T extends string>(value: T | undefined, allowed: readonly T[], field: string): T | undefined {
	if (value === undefined || allowed.includes(value)) return value;
	throw new InputError(`Option "${field}" is ${describeValue(value)}; use one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, {
		field,
		value,
	});
}
