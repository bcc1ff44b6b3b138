/**
 * The CRM table layer: a tab is a table with a header row naming the fields and one row per
 * record, found by a key column. Pure: the only I/O goes through the SheetsTransport passed in.
 *
 * Writes touch only the cells that change (never whole rows), so a person's edits to other
 * cells of the same row survive; rows are found by key in a snapshot read in the same
 * execution, never by a row number remembered from an earlier one.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { describeValue, InputError } from '../errors';
import { columnLetters, quoteTab } from './a1';
import type { SheetsTransport } from './transport';

export type CellValue = string | number | boolean | null;
export type CrmRecord = Record<string, CellValue>;
export type ValueInputOption = 'RAW' | 'USER_ENTERED';

export interface TableSnapshot {
	tab: string;
	/** 1-based sheet row holding the field names. */
	headerRow: number;
	/** Field names by column index (A = 0), trimmed. */
	headers: string[];
	keyField: string;
	/** Every non-blank row below the header, in sheet order. A row whose key cell is blank has key '' and is not in byKey. */
	rows: { rowNumber: number; key: string; record: CrmRecord }[];
	byKey: Map<string, { rowNumber: number; record: CrmRecord }>;
}

export interface TableRequest {
	tab: string;
	keyField: string;
	headerRow?: number;
}

/** Keys are compared as trimmed text, so 1042 (a number cell) and "1042" (text) are the same record. */
export function normalizeKey(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value).trim();
}

function isBlank(value: unknown): boolean {
	return value === null || value === undefined || value === '';
}

/**
 * Whether two cell values mean the same thing: blanks are equal, a number equals the text
 * of that number (values read back from a sheet may be either), anything else by its text.
 */
export function sameCellValue(a: unknown, b: unknown): boolean {
	if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
	if (typeof a === typeof b) return a === b;
	if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
	if (typeof b === 'number' && typeof a === 'string') return a.trim() !== '' && Number(a) === b;
	return String(a) === String(b);
}

/** The tab named in a Google "Unable to parse range" error, if the error is one. */
function unparsableTab(error: unknown, requests: TableRequest[]): string | undefined {
	const e = error as { message?: unknown; description?: unknown };
	const text = `${String(e?.message ?? '')} ${String(e?.description ?? '')}`;
	const match = /Unable to parse range: (.+?)(?:$|\s{2}|"|\n)/.exec(text);
	if (!match) return undefined;
	const range = match[1].trim();
	return requests.find((r) => range === quoteTab(r.tab) || range === r.tab || range.startsWith(`${quoteTab(r.tab)}!`))?.tab;
}

/** Field names of a header row, trimmed; blank or repeated names are errors naming tab, column and row. */
export function checkHeaders(tab: string, headerRow: number, headerCells: CellValue[]): string[] {
	if (!headerCells.some((cell) => !isBlank(cell))) {
		throw new InputError(`Tab "${tab}" has no header row: row ${headerRow} is empty`, { field: 'headerRow', value: headerRow });
	}
	const headers = headerCells.map((cell) => normalizeKey(cell));
	const seen = new Map<string, number>();
	headers.forEach((name, column) => {
		if (name === '') {
			throw new InputError(
				`Tab "${tab}" has a blank header in column ${columnLetters(column)} (row ${headerRow}): name the column or delete it`,
				{ field: columnLetters(column) },
			);
		}
		const first = seen.get(name);
		if (first !== undefined) {
			throw new InputError(
				`Tab "${tab}" has the header "${name}" twice, in columns ${columnLetters(first)} and ${columnLetters(column)} (row ${headerRow})`,
				{ field: name },
			);
		}
		seen.set(name, column);
	});
	return headers;
}

/**
 * Turns one tab's values (from row 1) into a snapshot, checking headers and keys. A blank
 * keyField reads the tab as a plain list (logs such as StageHistory, Models): no key column,
 * no uniqueness check, `byKey` empty.
 */
export function toSnapshot(request: TableRequest, values: CellValue[][]): TableSnapshot {
	const { tab, keyField } = request;
	const headerRow = request.headerRow ?? 1;
	const headers = checkHeaders(tab, headerRow, values[headerRow - 1] ?? []);
	const keyless = keyField.trim() === '';
	const keyColumn = keyless ? -1 : headers.indexOf(keyField.trim());
	if (!keyless && keyColumn === -1) {
		throw new InputError(
			`Tab "${tab}" has no key column "${keyField}" in its header row ${headerRow} (columns: ${headers.join(', ')})`,
			{ field: keyField, value: keyField },
		);
	}

	const rows: TableSnapshot['rows'] = [];
	const byKey: TableSnapshot['byKey'] = new Map();
	const duplicates: string[] = [];
	for (let r = headerRow; r < values.length; r++) {
		const cells = values[r] ?? [];
		if (!cells.some((cell) => !isBlank(cell))) continue;
		const record: CrmRecord = {};
		for (let c = 0; c < headers.length; c++) record[headers[c]] = cells[c] ?? '';
		const rowNumber = r + 1;
		const key = keyless ? '' : normalizeKey(cells[keyColumn]);
		rows.push({ rowNumber, key, record });
		if (key === '') continue;
		const earlier = byKey.get(key);
		if (earlier) duplicates.push(`${describeValue(key)} at rows ${earlier.rowNumber} and ${rowNumber}`);
		else byKey.set(key, { rowNumber, record });
	}
	if (duplicates.length > 0) {
		const shown = duplicates.slice(0, 5).join('; ');
		const more = duplicates.length > 5 ? ` and ${duplicates.length - 5} more` : '';
		throw new InputError(
			`Tab "${tab}" has duplicate keys in column "${keyField}" (${columnLetters(keyColumn)}): ${shown}${more}. Make each key unique in the sheet; rows are never guessed`,
			{ field: keyField },
		);
	}
	return { tab, headerRow, headers, keyField: keyField.trim(), rows, byKey };
}

/** Reads all the tabs in ONE values.batchGet and returns a checked snapshot of each. */
export async function readTables(
	transport: SheetsTransport,
	spreadsheetId: string,
	requests: TableRequest[],
): Promise<TableSnapshot[]> {
	if (requests.length === 0) return [];
	// A missing tab comes back as 400 "Unable to parse range: 'Tab'": say which tab instead.
	const response = await transport
		.batchGet(spreadsheetId, requests.map((r) => quoteTab(r.tab)))
		.catch((error: unknown) => ({ failed: error }));
	if ('failed' in response) {
		const tab = unparsableTab(response.failed, requests);
		if (tab === undefined) return Promise.reject(response.failed);
		throw new InputError(`Tab "${tab}" not found in the spreadsheet`, { field: 'tab', value: tab });
	}
	const valueRanges = (response as sheets_v4.Schema$BatchGetValuesResponse).valueRanges ?? [];
	return requests.map((request, i) => toSnapshot(request, (valueRanges[i]?.values ?? []) as CellValue[][]));
}

/** Reads only a tab's header row (for append-only logs, which can grow long). One values.get-sized batchGet. */
export async function readHeaders(
	transport: SheetsTransport,
	spreadsheetId: string,
	tab: string,
	headerRow = 1,
): Promise<string[]> {
	const request: TableRequest = { tab, keyField: '', headerRow };
	const response = await transport
		.batchGet(spreadsheetId, [`${quoteTab(tab)}!${headerRow}:${headerRow}`])
		.catch((error: unknown) => ({ failed: error }));
	if ('failed' in response) {
		if (unparsableTab(response.failed, [request]) === undefined) return Promise.reject(response.failed);
		throw new InputError(`Tab "${tab}" not found in the spreadsheet`, { field: 'tab', value: tab });
	}
	const row = ((response as sheets_v4.Schema$BatchGetValuesResponse).valueRanges?.[0]?.values?.[0] ?? []) as CellValue[];
	return checkHeaders(tab, headerRow, row);
}

export interface CellChange {
	tab: string;
	key: string;
	set: CrmRecord;
	/** Compare-and-set: write only if these fields still hold these values. */
	expected?: CrmRecord;
	/** The caller's handle, e.g. the item index. */
	ref?: unknown;
}

export interface WritePlan {
	data: sheets_v4.Schema$ValueRange[];
	applied: CellChange[];
	conflicts: { change: CellChange; field: string; expected: CellValue; actual: CellValue }[];
	notFound: CellChange[];
}

function rowOf(change: CellChange): number | undefined {
	return typeof change.ref === 'number' ? change.ref : undefined;
}

function checkField(snapshot: TableSnapshot, field: string, change: CellChange): number {
	const column = snapshot.headers.indexOf(field);
	if (column === -1) {
		throw new InputError(
			`Field "${field}" is not a column of tab "${snapshot.tab}" (header row ${snapshot.headerRow})`,
			{ row: rowOf(change), field, value: field },
		);
	}
	return column;
}

/**
 * Plans one values.batchUpdate holding only the cells whose value changes. Changes apply in
 * order to a working copy of the snapshot, so two changes to one record chain (the second's
 * `expected` sees the first's result); a change whose `expected` no longer holds is a conflict
 * and writes nothing; a key not in the snapshot is notFound.
 */
export function planCellWrites(snapshots: TableSnapshot[], changes: CellChange[]): WritePlan {
	const byTab = new Map(snapshots.map((s) => [s.tab, s]));
	// Keyed by the snapshot's row entry itself: no string keys to build per change.
	const working = new Map<object, { snapshot: TableSnapshot; rowNumber: number; original: CrmRecord; current: CrmRecord }>();
	const plan: WritePlan = { data: [], applied: [], conflicts: [], notFound: [] };

	for (const change of changes) {
		const snapshot = byTab.get(change.tab);
		if (!snapshot) {
			throw new InputError(`Tab "${change.tab}" was not read before planning writes`, { row: rowOf(change), field: 'tab', value: change.tab });
		}
		const found = snapshot.byKey.get(normalizeKey(change.key));
		if (!found) {
			plan.notFound.push(change);
			continue;
		}
		let row = working.get(found);
		if (!row) {
			row = { snapshot, rowNumber: found.rowNumber, original: found.record, current: { ...found.record } };
			working.set(found, row);
		}
		let conflict: WritePlan['conflicts'][number] | undefined;
		for (const [field, expected] of Object.entries(change.expected ?? {})) {
			checkField(snapshot, field, change);
			const actual = row.current[field] ?? '';
			if (!sameCellValue(actual, expected)) {
				conflict = { change, field, expected, actual };
				break;
			}
		}
		if (conflict) {
			plan.conflicts.push(conflict);
			continue;
		}
		for (const [field, value] of Object.entries(change.set)) {
			checkField(snapshot, field, change);
			row.current[field] = value;
		}
		plan.applied.push(change);
	}

	// Emit runs of adjacent changed cells per row, tabs in snapshot order, rows top to bottom.
	const tabOrder = new Map(snapshots.map((snapshot, index) => [snapshot, index]));
	const rows = [...working.values()].sort(
		(a, b) => tabOrder.get(a.snapshot)! - tabOrder.get(b.snapshot)! || a.rowNumber - b.rowNumber,
	);
	const prefixes = new Map(snapshots.map((snapshot) => [snapshot, `${quoteTab(snapshot.tab)}!`]));
	const letters = new Map(snapshots.map((snapshot) => [snapshot, snapshot.headers.map((_, c) => columnLetters(c))]));
	for (const { snapshot, rowNumber, original, current } of rows) {
		const prefix = prefixes.get(snapshot)!;
		const names = letters.get(snapshot)!;
		const { headers } = snapshot;
		let first = -1;
		let values: CellValue[] = [];
		for (let column = 0; column <= headers.length; column++) {
			const field = headers[column];
			const changed = column < headers.length && !sameCellValue(original[field], current[field]);
			if (changed) {
				if (first === -1) first = column;
				values.push(current[field]);
				continue;
			}
			if (first === -1) continue;
			const last = first + values.length - 1;
			const range = `${prefix}${names[first]}${rowNumber}${last === first ? '' : `:${names[last]}${rowNumber}`}`;
			plan.data.push({ range, majorDimension: 'ROWS', values: [values] });
			first = -1;
			values = [];
		}
	}
	return plan;
}

/** New rows for values.append, in the tab's column order; fields the tab lacks are an error. */
export function toAppendRows(snapshot: TableSnapshot, records: { record: CrmRecord; ref?: unknown }[]): CellValue[][] {
	return records.map(({ record, ref }) => {
		for (const field of Object.keys(record)) checkField(snapshot, field, { tab: snapshot.tab, key: '', set: {}, ref });
		return snapshot.headers.map((field) => record[field] ?? '');
	});
}

// A value starting with one of these is run as a formula by Sheets under USER_ENTERED
// (OWASP "CSV Injection": = + - @ tab CR); a leading quote makes Sheets keep it as text.
const FORMULA_PREFIX = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Converts an item's value into what is sent to Sheets. RAW stores text as typed. USER_ENTERED
 * lets Sheets parse numbers and dates, but text that would run as a formula gets a leading
 * quote (and a leading quote is doubled, since Sheets strips one), so it lands as the same text.
 * Empty values clear the cell ('' is how the API clears; null would skip it).
 */
export function toSheetValue(
	value: unknown,
	valueInputOption: ValueInputOption,
	context: { row?: number; field?: string } = {},
): CellValue {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			throw new InputError(
				`Item ${context.row ?? '?'}: field "${context.field ?? '?'}" is ${describeValue(value)}, which a cell cannot hold`,
				{ ...context, value },
			);
		}
		return value;
	}
	if (typeof value === 'boolean') return value;
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'bigint') text = value.toString();
	else if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) {
			throw new InputError(`Item ${context.row ?? '?'}: field "${context.field ?? '?'}" is an invalid date`, { ...context, value });
		}
		text = value.toISOString();
	} else text = JSON.stringify(value);
	if (valueInputOption === 'RAW') return text;
	if (text.startsWith("'")) return `'${text}`;
	if (FORMULA_PREFIX.test(text) && !PLAIN_NUMBER.test(text)) return `'${text}`;
	return text;
}
