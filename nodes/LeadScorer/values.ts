/**
 * Reading the values a lead row holds: numbers (from Sheets they often arrive as text),
 * missing cells, category labels and won/lost outcomes. Every bad value throws an InputError
 * naming the item index, the field and the value.
 */
import { InputError, describeValue } from '../shared/errors';

export type LeadRow = Record<string, unknown>;

/** Empty cells: undefined, null, '' or only spaces. NaN is *not* missing: it is bad data. */
export function isMissing(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * A finite number from a number, a numeric string ("1,234.5" with thousands commas is
 * accepted, as Sheets formats it) or a boolean (true = 1). Throws on anything else,
 * including NaN and Infinity.
 */
export function readNumber(value: unknown, row: number, field: string): number {
	let parsed: number = NaN;
	if (typeof value === 'number') parsed = value;
	else if (typeof value === 'boolean') parsed = value ? 1 : 0;
	else if (typeof value === 'string') {
		const text = value.trim().replace(/,(?=\d{3}(\D|$))/g, '');
		if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) parsed = Number(text);
	}
	if (!Number.isFinite(parsed)) {
		throw new InputError(`Item ${row}: field "${field}" must be a finite number, got ${describeValue(value)}`, {
			row,
			field,
			value,
		});
	}
	return parsed;
}

/** A number, or null when the cell is empty. */
export function readOptionalNumber(value: unknown, row: number, field: string): number | null {
	return isMissing(value) ? null : readNumber(value, row, field);
}

/** A category label as text ("Referral " and "referral" stay distinct except for the spaces). */
export function readLevel(value: unknown, row: number, field: string): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return String(value);
	throw new InputError(`Item ${row}: field "${field}" must be a text or number category, got ${describeValue(value)}`, {
		row,
		field,
		value,
	});
}

/** How outcome cells map to won (1) and lost (0). */
export interface OutcomeValues {
	/** Extra texts meaning "won" (case-insensitive), e.g. ['closed won', 'customer']. */
	won?: string[];
	/** Extra texts meaning "lost", e.g. ['closed lost', 'churned']. */
	lost?: string[];
}

const DEFAULT_WON = ['1', 'true', 'yes', 'won', 'y'];
const DEFAULT_LOST = ['0', 'false', 'no', 'lost', 'n'];

/**
 * The outcome as 1 (won) or 0 (lost); null when the cell is empty (an open lead, skipped).
 * Accepts 1/0, true/false, yes/no, won/lost and the configured extra values.
 */
export function readOutcome(value: unknown, row: number, field: string, values: OutcomeValues = {}): 0 | 1 | null {
	if (isMissing(value)) return null;
	if (value === 1 || value === true) return 1;
	if (value === 0 || value === false) return 0;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		const won = (values.won ?? []).map((v) => v.trim().toLowerCase());
		const lost = (values.lost ?? []).map((v) => v.trim().toLowerCase());
		if (won.includes(text)) return 1;
		if (lost.includes(text)) return 0;
		if (DEFAULT_WON.includes(text)) return 1;
		if (DEFAULT_LOST.includes(text)) return 0;
	}
	const accepted = [...DEFAULT_WON, ...(values.won ?? [])].join('/') + ' or ' + [...DEFAULT_LOST, ...(values.lost ?? [])].join('/');
	throw new InputError(`Item ${row}: outcome field "${field}" must be won or lost (${accepted}), got ${describeValue(value)}`, {
		row,
		field,
		value,
	});
}

/**
 * Formats a number for a reason text: integers as is, others rounded to 2 decimals, the same
 * text as String(Math.round(x·100) / 100) but built from small integers, which V8 turns into
 * text much faster than a fractional double (this runs for every reason of every lead).
 */
export function formatValue(value: number): string {
	if (Number.isInteger(value)) return String(value);
	const hundredths = Math.round(value * 100);
	if (!(Math.abs(hundredths) < 1e15)) return String(hundredths / 100);
	if (hundredths === 0) return '0';
	const magnitude = Math.abs(hundredths);
	const whole = Math.floor(magnitude / 100);
	const fraction = magnitude - whole * 100;
	const sign = hundredths < 0 ? '-' : '';
	if (fraction === 0) return sign + whole;
	if (fraction % 10 === 0) return sign + whole + '.' + fraction / 10;
	return sign + whole + (fraction < 10 ? '.0' : '.') + fraction;
}
