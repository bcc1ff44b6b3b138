/**
 * The local Sheets server's own A1 parser, written separately from the package's
 * (nodes/shared/sheets/a1.ts) so a mistake in one is not mirrored in the other.
 * Grammar (https://developers.google.com/sheets/api/guides/concepts#cell):
 *   range  := sheet | sheet '!' cells | cells
 *   sheet  := name without spaces/specials | "'" name with '' for a quote "'"
 *   cells  := ref | ref ':' ref ; ref := letters? digits?  (A1, A, 1; open ends allowed)
 */

export interface ParsedRange {
	/** Undefined when the range names no sheet (means the first sheet). */
	sheet?: string;
	/** True when the whole sheet is meant (`Sheet1`, `'Q1 Leads'`). */
	wholeSheet: boolean;
	/** 0-based, inclusive; undefined = open. */
	startRow?: number;
	startCol?: number;
	endRow?: number;
	endCol?: number;
}

export class RangeParseError extends Error {}

function letterIndex(letters: string): number {
	let n = 0;
	for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
	return n - 1;
}

export function colName(index: number): string {
	let s = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

const REF = /^([A-Za-z]{0,3})([0-9]{0,7})$/;

function parseRef(text: string): { col?: number; row?: number } | undefined {
	const m = REF.exec(text);
	if (!m || (m[1] === '' && m[2] === '')) return undefined;
	if (m[2] !== '' && Number(m[2]) < 1) return undefined;
	return { col: m[1] ? letterIndex(m[1]) : undefined, row: m[2] ? Number(m[2]) - 1 : undefined };
}

function parseCells(text: string): Omit<ParsedRange, 'sheet' | 'wholeSheet'> | undefined {
	const parts = text.split(':');
	if (parts.length > 2) return undefined;
	const a = parseRef(parts[0]);
	if (!a) return undefined;
	if (parts.length === 1) {
		// A single reference must be a cell (A1); `A` or `1` alone is not a range.
		if (a.col === undefined || a.row === undefined) return undefined;
		return { startRow: a.row, startCol: a.col, endRow: a.row, endCol: a.col };
	}
	const b = parseRef(parts[1]);
	if (!b) return undefined;
	// Row-only refs pair with row-only (2:5); column-only with column refs (A:C, A2:C).
	if ((a.col === undefined) !== (b.col === undefined) && !(a.col !== undefined && b.col !== undefined)) return undefined;
	return { startRow: a.row, startCol: a.col, endRow: b.row, endCol: b.col };
}

const PLAIN_SHEET = /^[A-Za-z0-9_.]+$/;

export function parseRange(range: string): ParsedRange {
	const fail = () => new RangeParseError(`Unable to parse range: ${range}`);
	if (range.startsWith("'")) {
		let i = 1;
		let name = '';
		while (true) {
			if (i >= range.length) throw fail();
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
		const rest = range.slice(i + 1);
		if (name === '') throw fail();
		if (rest === '') return { sheet: name, wholeSheet: true };
		if (!rest.startsWith('!')) throw fail();
		const cells = parseCells(rest.slice(1));
		if (!cells) throw fail();
		return { sheet: name, wholeSheet: false, ...cells };
	}
	const bang = range.indexOf('!');
	if (bang === -1) {
		const cells = parseCells(range);
		if (cells) return { wholeSheet: false, ...cells, sheet: undefined };
		if (PLAIN_SHEET.test(range)) return { sheet: range, wholeSheet: true };
		throw fail();
	}
	const name = range.slice(0, bang);
	if (!PLAIN_SHEET.test(name)) throw fail();
	const cells = parseCells(range.slice(bang + 1));
	if (!cells) throw fail();
	return { sheet: name, wholeSheet: false, ...cells };
}

/** How Google writes a sheet name in responses: quoted unless plain. */
export function sheetRef(title: string): string {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}[0-9]+$/.test(title)
		? title
		: `'${title.replace(/'/g, "''")}'`;
}

export function formatRange(title: string, r0: number, c0: number, r1: number, c1: number): string {
	const start = `${colName(c0)}${r0 + 1}`;
	const end = `${colName(c1)}${r1 + 1}`;
	return `${sheetRef(title)}!${start === end ? start : `${start}:${end}`}`;
}
