import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InputError } from '../../../nodes/shared/errors';
import {
	daysBetween,
	msToSheetsSerial,
	parseDate,
	parseDateMs,
	parseOptionalDateMs,
	sheetsSerialToMs,
	toIsoDate,
	type DateFormat,
} from '../../../nodes/shared/dates';

const where = { row: 3, field: 'createdAt' };

interface Case {
	value: string | number;
	format: Exclude<DateFormat, 'auto'>;
}

/** Python's datetime parses the same values (test/reference/funnel_dates.py). */
function pythonParse(cases: Case[]): (number | null)[] {
	const proc = spawnSync('python3', [join(__dirname, '../../reference/funnel_dates.py')], {
		input: JSON.stringify(cases),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(proc.stderr);
	return JSON.parse(proc.stdout) as (number | null)[];
}

function oursOrNull(value: unknown, format: DateFormat): number | null {
	try {
		return parseDateMs(value, format, where);
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		return null;
	}
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Random calendar fields, including impossible days (31st of short months, 29 Feb). */
const fields = fc.record({
	year: fc.integer({ min: 1900, max: 2100 }),
	month: fc.integer({ min: 1, max: 12 }),
	day: fc.integer({ min: 1, max: 31 }),
	hour: fc.integer({ min: 0, max: 23 }),
	minute: fc.integer({ min: 0, max: 59 }),
	second: fc.integer({ min: 0, max: 59 }),
	millis: fc.integer({ min: 0, max: 999 }),
	offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
	serial: fc.double({ min: 1, max: 80000, noNaN: true }),
});

describe('parseDate against Python datetime', () => {
	it('agrees on random ISO, compact, US, European and serial values (valid and invalid)', () => {
		const samples = fc.sample(fields, { numRuns: 1500, seed: 42 });
		const cases: Case[] = [];
		for (const f of samples) {
			const date = `${f.year}-${pad(f.month)}-${pad(f.day)}`;
			const sign = f.offsetMinutes < 0 ? '-' : '+';
			const offset = `${sign}${pad(Math.floor(Math.abs(f.offsetMinutes) / 60))}:${pad(Math.abs(f.offsetMinutes) % 60)}`;
			const time = `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}.${pad(f.millis, 3)}`;
			cases.push({ value: date, format: 'iso' });
			cases.push({ value: `${date}T${time}Z`, format: 'iso' });
			cases.push({ value: `${date}T${time}${offset}`, format: 'iso' });
			cases.push({ value: `${date} ${pad(f.hour)}:${pad(f.minute)}`, format: 'iso' });
			cases.push({ value: `${f.year}${pad(f.month)}${pad(f.day)}`, format: 'yyyyMMdd' });
			cases.push({ value: `${pad(f.month)}/${pad(f.day)}/${f.year}`, format: 'MM/dd/yyyy' });
			cases.push({ value: `${pad(f.day)}.${pad(f.month)}.${f.year}`, format: 'dd.MM.yyyy' });
			cases.push({ value: f.serial, format: 'sheetsSerial' });
		}
		const expected = pythonParse(cases);
		const mismatches = cases
			.map((c, i) => ({ ...c, ours: oursOrNull(c.value, c.format), python: expected[i] }))
			.filter((r) => r.ours !== r.python);
		expect(mismatches.slice(0, 5)).toEqual([]);
		// The random days must really include impossible dates, or the check above is weaker than it looks.
		expect(expected.filter((v) => v === null).length).toBeGreaterThan(50);
	});

	it('reads the same texts in auto mode as in their explicit format', () => {
		const samples = fc.sample(fields, { numRuns: 300, seed: 7 });
		for (const f of samples) {
			for (const [value, format] of [
				[`${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}Z`, 'iso'],
				[`${f.year}${pad(f.month)}${pad(f.day)}`, 'yyyyMMdd'],
				[`${pad(f.month)}/${pad(f.day)}/${f.year}`, 'MM/dd/yyyy'],
				[`${pad(f.day)}.${pad(f.month)}.${f.year}`, 'dd.MM.yyyy'],
				[f.serial, 'sheetsSerial'],
			] as Array<[string | number, DateFormat]>) {
				expect(oursOrNull(value, 'auto')).toBe(oursOrNull(value, format));
			}
		}
	});
});

describe('parseDate', () => {
	it('returns a UTC luxon DateTime', () => {
		const dt = parseDate('2024-03-01T10:00:00+02:00', 'auto', where);
		expect(dt.zoneName).toBe('UTC');
		expect(dt.toISO()).toBe('2024-03-01T08:00:00.000Z');
	});

	it('accepts JS Dates and luxon DateTimes in every format', () => {
		const ms = Date.UTC(2024, 4, 17, 12, 30);
		for (const format of ['auto', 'iso', 'yyyyMMdd', 'MM/dd/yyyy', 'dd.MM.yyyy', 'sheetsSerial'] as DateFormat[]) {
			expect(parseDateMs(new Date(ms), format, where)).toBe(ms);
			expect(parseDateMs(DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }), format, where)).toBe(ms);
		}
	});

	it('reads Sheets serial numbers as in Google Sheets (1 = 1899-12-31, 45000 = 2023-03-15)', () => {
		// Published anchors: DATE(1899,12,31) = 1 and DATE(2023,3,15) = 45000 in Google Sheets.
		expect(toIsoDate(parseDate(1, 'sheetsSerial', where))).toBe('1899-12-31');
		expect(toIsoDate(parseDate(45000, 'sheetsSerial', where))).toBe('2023-03-15');
		expect(parseDate('45000.75', 'sheetsSerial', where).toISO()).toBe('2023-03-15T18:00:00.000Z');
	});

	it('reads numbers in auto mode as serials, yyyyMMdd or epoch ms, and rejects epoch seconds', () => {
		expect(toIsoDate(parseDateMs(45000, 'auto', where))).toBe('2023-03-15');
		expect(toIsoDate(parseDateMs(20240131, 'auto', where))).toBe('2024-01-31');
		expect(parseDateMs(1_700_000_000_000, 'auto', where)).toBe(1_700_000_000_000);
		expect(() => parseDateMs(1_700_000_000, 'auto', where)).toThrow(/epoch seconds/);
		expect(() => parseDateMs(1_700_000_000_000, 'iso', where)).toThrow(InputError);
	});

	it('round-trips any instant through a Sheets serial', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
				expect(sheetsSerialToMs(msToSheetsSerial(ms))).toBe(ms);
			}),
		);
	});

	it('round-trips any instant through its ISO text, with any offset', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
				fc.integer({ min: -12, max: 14 }),
				(ms, hours) => {
					const text = DateTime.fromMillis(ms, { zone: `UTC${hours >= 0 ? '+' : ''}${hours}` }).toISO() as string;
					expect(parseDateMs(text, 'iso', where)).toBe(ms);
					expect(parseDateMs(new Date(ms).toISOString(), 'auto', where)).toBe(ms);
				},
			),
		);
	});

	it('names the row, field and value of a date that does not parse', () => {
		let caught: unknown;
		try {
			parseDate('31/02/2024', 'auto', where);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		const error = caught as InputError;
		expect(error.message).toContain('Item 3');
		expect(error.message).toContain('"createdAt"');
		expect(error.message).toContain('"31/02/2024"');
		expect(error.row).toBe(3);
		expect(error.field).toBe('createdAt');
		expect(error.value).toBe('31/02/2024');
	});

	it('rejects empty and non-date values, but parseOptionalDateMs turns empty cells into null', () => {
		for (const value of ['', '  ', null, undefined, {}, true, NaN, Infinity, 'soon']) {
			expect(() => parseDateMs(value, 'auto', where)).toThrow(InputError);
		}
		expect(parseOptionalDateMs('', 'auto', where)).toBeNull();
		expect(parseOptionalDateMs(null, 'auto', where)).toBeNull();
		expect(parseOptionalDateMs(undefined, 'auto', where)).toBeNull();
		expect(() => parseOptionalDateMs('soon', 'auto', where)).toThrow(InputError);
	});
});

describe('daysBetween and toIsoDate', () => {
	it('count fractional days like plain millisecond arithmetic, across DST-free UTC', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 4e12 }), (a, b) => {
				expect(daysBetween(a, b)).toBeCloseTo((b - a) / 86_400_000, 9);
				expect(daysBetween(DateTime.fromMillis(a), DateTime.fromMillis(b))).toBeCloseTo((b - a) / 86_400_000, 9);
			}),
		);
		expect(daysBetween(parseDate('2024-02-28', 'iso', where), parseDate('2024-03-01', 'iso', where))).toBe(2);
	});

	it('gives the UTC calendar date', () => {
		expect(toIsoDate(parseDate('2024-03-01T23:30:00-02:00', 'iso', where))).toBe('2024-03-02');
	});
});
