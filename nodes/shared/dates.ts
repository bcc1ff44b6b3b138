/**
 * Dates as they arrive from Google Sheets, forms and CRMs, turned into UTC instants.
 *
 * Rules (the same for every node of this package):
 * - Everything is UTC. A text without an offset ("2024-03-01 09:30") is read as UTC; a text
 *   with an offset ("...+02:00", "...Z") is converted to UTC.
 * - A JS `Date` or a luxon `DateTime` is accepted in every format (it is already an instant).
 * - Plain numbers are ambiguous, so they are only accepted where the format says what they are:
 *   'sheetsSerial' (days since 1899-12-30, fractional part = time of day, as Google Sheets and
 *   Excel store dates), 'yyyyMMdd' (20240131), or 'auto', which reads a number as
 *     |n| < 1,000,000           -> Sheets serial (covers years 1900..4637),
 *     8 digits that form a date -> yyyyMMdd,
 *     n >= 100,000,000,000      -> epoch milliseconds (1973 onwards),
 *   and rejects anything else (e.g. epoch seconds) rather than guess.
 * - 'auto' text: 8 digits -> yyyyMMdd; a number -> as above; "/" -> US month/day/year;
 *   "d.M.yyyy" -> European day.month.year; otherwise ISO 8601, SQL ("2024-03-01 09:30:00"),
 *   RFC 2822 or HTTP dates.
 */
import { DateTime } from 'luxon';
import { InputError, describeValue } from './errors';

export type DateFormat = 'auto' | 'iso' | 'yyyyMMdd' | 'MM/dd/yyyy' | 'dd.MM.yyyy' | 'sheetsSerial';

export const DATE_FORMATS: readonly DateFormat[] = ['auto', 'iso', 'yyyyMMdd', 'MM/dd/yyyy', 'dd.MM.yyyy', 'sheetsSerial'];

/** Where a value came from, for the error message: 0-based item index and field name. */
export interface DateWhere {
	row: number;
	field: string;
}

export const MS_PER_DAY = 86_400_000;
/** 1899-12-30T00:00Z, day 0 of Google Sheets / Excel (1900 date system) serial numbers. */
const SHEETS_EPOCH_MS = Date.UTC(1899, 11, 30);
const SERIAL_LIMIT = 1_000_000;
const EPOCH_MS_MIN = 100_000_000_000;

/** Parses a date into a UTC luxon DateTime; throws InputError naming the row, field and value. */
export function parseDate(value: unknown, format: DateFormat, where: DateWhere): DateTime {
	return DateTime.fromMillis(parseDateMs(value, format, where), { zone: 'utc' });
}

/**
 * Same as parseDate but returns epoch milliseconds. This is the fast path for large event logs:
 * ISO texts and numbers never touch luxon.
 */
export function parseDateMs(value: unknown, format: DateFormat, where: DateWhere): number {
	const ms = parseOrNaN(value, format);
	if (!Number.isFinite(ms)) throw dateError(value, format, where);
	return ms;
}

/** Like parseDateMs, but an empty cell (undefined, null, "") gives null instead of an error. */
export function parseOptionalDateMs(value: unknown, format: DateFormat, where: DateWhere): number | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	return parseDateMs(value, format, where);
}

/** Days from `from` to `to` (fractional; negative when `to` is earlier). Accepts DateTime or epoch ms. */
export function daysBetween(from: DateTime | number, to: DateTime | number): number {
	return (toMs(to) - toMs(from)) / MS_PER_DAY;
}

/** The calendar date in UTC as "yyyy-MM-dd". */
export function toIsoDate(date: DateTime | number): string {
	return new Date(toMs(date)).toISOString().slice(0, 10);
}

/** Epoch ms of a date given as Google Sheets serial days (1899-12-30 = 0), rounded to the ms. */
export function sheetsSerialToMs(serial: number): number {
	return SHEETS_EPOCH_MS + Math.round(serial * MS_PER_DAY);
}

/** Google Sheets serial days of an instant (inverse of sheetsSerialToMs). */
export function msToSheetsSerial(ms: number): number {
	return (ms - SHEETS_EPOCH_MS) / MS_PER_DAY;
}

function toMs(date: DateTime | number): number {
	return typeof date === 'number' ? date : date.toMillis();
}

function dateError(value: unknown, format: DateFormat, where: DateWhere): InputError {
	const expected =
		format === 'auto'
			? 'a date (ISO 8601, yyyyMMdd, MM/dd/yyyy, dd.MM.yyyy or a Sheets serial number)'
			: `a date in format ${format}`;
	const hint =
		format === 'auto' && typeof value === 'number' && Math.abs(value) >= SERIAL_LIMIT
			? ' (numbers are read as Sheets serial days or epoch milliseconds; epoch seconds must be multiplied by 1000)'
			: '';
	return new InputError(
		`Item ${where.row}: field "${where.field}" has ${describeValue(value)}, which is not ${expected}${hint}`,
		{ row: where.row, field: where.field, value },
	);
}

/** The parse itself: NaN for anything that is not a valid date in this format. */
function parseOrNaN(value: unknown, format: DateFormat): number {
	if (value instanceof Date) return value.getTime();
	if (DateTime.isDateTime(value)) return value.isValid ? value.toMillis() : NaN;
	if (typeof value === 'number') return parseNumber(value, format);
	if (typeof value !== 'string') return NaN;
	const text = value.trim();
	switch (format) {
		case 'iso':
			return parseIso(text);
		case 'yyyyMMdd':
			return parseCompact(text);
		case 'MM/dd/yyyy':
			return parseWithLuxon(text, US_FORMATS);
		case 'dd.MM.yyyy':
			return parseWithLuxon(text, EUROPEAN_FORMATS);
		case 'sheetsSerial':
			return NUMBER_TEXT.test(text) ? parseNumber(Number(text), 'sheetsSerial') : NaN;
		case 'auto':
			return parseAutoText(text);
		default:
			return NaN;
	}
}

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

function parseNumber(n: number, format: DateFormat): number {
	if (!Number.isFinite(n)) return NaN;
	if (format === 'sheetsSerial') return Math.abs(n) < SERIAL_LIMIT ? sheetsSerialToMs(n) : NaN;
	if (format === 'yyyyMMdd') return Number.isInteger(n) ? parseCompact(String(n)) : NaN;
	if (format !== 'auto') return NaN;
	if (Math.abs(n) < SERIAL_LIMIT) return sheetsSerialToMs(n);
	if (Number.isInteger(n) && n >= 10_000_000 && n <= 99_999_999) return parseCompact(String(n));
	if (n >= EPOCH_MS_MIN) return Math.round(n);
	return NaN;
}

function parseAutoText(text: string): number {
	// The common case first: ISO dates and times, as Sheets, forms and APIs write them.
	const iso = parseIsoFast(text);
	if (!Number.isNaN(iso)) return iso;
	if (/^\d{8}$/.test(text)) return parseCompact(text);
	if (NUMBER_TEXT.test(text)) return parseNumber(Number(text), 'auto');
	if (text.includes('/')) return parseWithLuxon(text, US_FORMATS);
	if (/^\d{1,2}\.\d{1,2}\.\d{4}/.test(text)) return parseWithLuxon(text, EUROPEAN_FORMATS);
	for (const parse of [DateTime.fromISO, DateTime.fromSQL, DateTime.fromRFC2822, DateTime.fromHTTP]) {
		const dt = parse(text, { zone: 'utc' });
		if (dt.isValid) return dt.toMillis();
	}
	return NaN;
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function parseCompact(text: string): number {
	const m = COMPACT.exec(text);
	return m ? utcOrNaN(+m[1], +m[2], +m[3], 0, 0, 0, 0) : NaN;
}

// yyyy-MM-dd, optional time (T or space), optional fraction (any digits, truncated to ms as
// luxon does), optional offset Z / ±HH / ±HHmm / ±HH:mm.
const ISO_FAST =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function parseIso(text: string): number {
	const fast = parseIsoFast(text);
	if (!Number.isNaN(fast)) return fast;
	// Rarer ISO forms (week dates, ordinal dates, basic format) and SQL times go through luxon.
	for (const parse of [DateTime.fromISO, DateTime.fromSQL]) {
		const dt = parse(text, { zone: 'utc' });
		if (dt.isValid) return dt.toMillis();
	}
	return NaN;
}

function parseIsoFast(text: string): number {
	const m = ISO_FAST.exec(text);
	if (!m) return NaN;
	const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
	const local = utcOrNaN(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, millis);
	if (!m[9]) return local;
	const offsetMinutes = (+m[10] * 60 + (m[11] ? +m[11] : 0)) * (m[9] === '-' ? -1 : 1);
	return +m[10] > 23 || (m[11] !== undefined && +m[11] > 59) ? NaN : local - offsetMinutes * 60_000;
}

/** Date.UTC, but NaN when a field is out of range (Date.UTC would silently roll 02-30 to 03-01). */
function utcOrNaN(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
	// Years below 100 are typos here (and Date.UTC would map them to 19xx).
	if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return NaN;
	return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian calendar: leap years are divisible by 4, except centuries not divisible by 400. */
function daysInMonth(y: number, mo: number): number {
	if (mo !== 2) return DAYS_IN_MONTH[mo - 1];
	return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

const TIME_SUFFIXES = ['', ' H:mm', ' H:mm:ss', ' H:mm:ss.SSS'];
const US_FORMATS = TIME_SUFFIXES.map((t) => `M/d/yyyy${t}`);
const EUROPEAN_FORMATS = TIME_SUFFIXES.map((t) => `d.M.yyyy${t}`);

function parseWithLuxon(text: string, formats: string[]): number {
	for (const format of formats) {
		const dt = DateTime.fromFormat(text, format, { zone: 'utc' });
		if (dt.isValid) return dt.toMillis();
	}
	return NaN;
}
