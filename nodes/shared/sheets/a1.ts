/**
 * A1 notation as the Sheets API writes it: `'Q1 Leads'!A1:C10`, `'It''s'!A:A`, `Leads!2:2`.
 * Reference: https://developers.google.com/sheets/api/guides/concepts#cell (A1 notation).
 * Rows are 1-based sheet row numbers, columns 0-based indexes (A = 0), as the rest of the
 * Sheets layer uses them.
 */

/** 0 → "A", 25 → "Z", 26 → "AA" (bijective base 26). */
export function columnLetters(columnIndex: number): string {
	if (!Number.isInteger(columnIndex) || columnIndex < 0) {
		throw new RangeError(`Column index must be a whole number >= 0, got ${columnIndex}`);
	}
	let letters = '';
	let n = columnIndex + 1;
	while (n > 0) {
		const remainder = (n - 1) % 26;
		letters = String.fromCharCode(65 + remainder) + letters;
		n = Math.floor((n - 1) / 26);
	}
	return letters;
}

/** "A" → 0, "AA" → 26; case-insensitive. */
export function columnIndex(letters: string): number {
	if (!/^[A-Za-z]+$/.test(letters)) throw new RangeError(`Not a column name: ${JSON.stringify(letters)}`);
	let n = 0;
	for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n - 1;
}

/** Tab names are always quoted so spaces, quotes and names like `A1` or `Sheet1!` stay unambiguous. */
export function quoteTab(tab: string): string {
	return `'${tab.replace(/'/g, "''")}'`;
}

/** `'Leads'!C7` or `'Leads'!C7:E7` for a run of cells in one row. */
export function rowRange(tab: string, rowNumber: number, firstColumn: number, lastColumn = firstColumn): string {
	const start = `${columnLetters(firstColumn)}${rowNumber}`;
	const end = lastColumn === firstColumn ? '' : `:${columnLetters(lastColumn)}${rowNumber}`;
	return `${quoteTab(tab)}!${start}${end}`;
}

export interface A1Range {
	tab: string;
	/** Undefined for an open edge (`A:C` has no rows, `A5:C` no end row). */
	startRow?: number;
	startColumn?: number;
	endRow?: number;
	endColumn?: number;
}

const CELL = /^([A-Za-z]*)(\d*)$/;

/** Parses a range as the API returns it (e.g. append's `updates.updatedRange`). */
export function parseA1(range: string): A1Range {
	let tab: string;
	let rest: string;
	if (range.startsWith("'")) {
		// Quoted name: '' inside is one quote; the name ends at a lone quote.
		let i = 1;
		let name = '';
		for (;;) {
			if (i >= range.length) throw new RangeError(`Unable to parse range: ${range}`);
			if (range[i] === "'") {
				if (range[i + 1] === "'") {
					name += "'";
					i += 2;
					continue;
				}
				break;
			}
			name += range[i++];
		}
		tab = name;
		rest = range.slice(i + 1);
		if (rest !== '' && !rest.startsWith('!')) throw new RangeError(`Unable to parse range: ${range}`);
		rest = rest.slice(1);
	} else {
		const bang = range.lastIndexOf('!');
		tab = bang === -1 ? range : range.slice(0, bang);
		rest = bang === -1 ? '' : range.slice(bang + 1);
	}
	if (rest === '') return { tab };
	const [start, end, extra] = rest.split(':');
	if (extra !== undefined) throw new RangeError(`Unable to parse range: ${range}`);
	const a = CELL.exec(start);
	const b = end === undefined ? a : CELL.exec(end);
	if (!a || !b || (a[1] === '' && a[2] === '')) throw new RangeError(`Unable to parse range: ${range}`);
	return {
		tab,
		startColumn: a[1] ? columnIndex(a[1]) : undefined,
		startRow: a[2] ? Number(a[2]) : undefined,
		endColumn: b[1] ? columnIndex(b[1]) : undefined,
		endRow: b[2] ? Number(b[2]) : undefined,
	};
}
