/**
 * A local stand-in for the part of the Google Sheets API v4 this package uses, for tests and
 * manual runs (loopback only). Behaviour follows Google's documentation:
 * - REST reference: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values
 * - "Basic reading" / "Basic writing" samples (A1 ranges, majorDimension, value render options)
 * - values.append table detection (values are appended after the last row of the table found in the range)
 * - errors as `{ error: { code, message, status } }`, Bearer auth, and the OAuth 2.0 JWT-bearer
 *   token exchange for service accounts (RFC 7523, https://developers.google.com/identity/protocols/oauth2/service-account).
 *
 * Not modelled: number formats beyond $ / % / dates typed as M/D/YYYY or YYYY-MM-DD, formulas
 * beyond arithmetic and SUM/MAX/MIN/COUNT over a range (other formulas show #NAME?), merged cells.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createVerify, randomBytes } from 'node:crypto';
import { colName, formatRange, parseRange, RangeParseError, type ParsedRange } from './sheetsA1';

export type CellValue = string | number | boolean | null;

/** One stored cell: its value, plus the formula or the text a person sees when they differ. */
export interface StoredCell {
	value: string | number | boolean;
	formula?: string;
	/** Display text for parsed input ($20.50, 3/1/2016, 12%). */
	display?: string;
	isDate?: boolean;
	/** How typed input was formatted, so a formula over such cells shows the same way (as Sheets does). */
	format?: 'currency' | 'usDate' | 'isoDate' | 'percent';
}

interface Sheet {
	sheetId: number;
	title: string;
	rowCount: number;
	columnCount: number;
	cells: (StoredCell | undefined)[][];
	/** Set once a formula is stored, so plain sheets skip recalculation. */
	hasFormulas?: boolean;
}

interface Spreadsheet {
	id: string;
	title: string;
	sheets: Sheet[];
	nextSheetId: number;
}

export interface SheetsServerOptions {
	port?: number;
	serviceAccount?: { clientEmail: string; publicKeyPem: string };
	/** Bearer tokens accepted besides those the token endpoint issues. Default ['test-access-token']. */
	acceptedTokens?: string[];
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	status: number;
}

export interface SheetsServer {
	url: string;
	tokenUrl: string;
	close(): Promise<void>;
	createSpreadsheet(tabs: Record<string, CellValue[][]>, opts?: { id?: string; title?: string }): string;
	getValues(spreadsheetId: string, tab: string): CellValue[][];
	getCell(spreadsheetId: string, tab: string, a1: string): StoredCell | undefined;
	setCell(spreadsheetId: string, tab: string, a1: string, value: CellValue): void;
	requests: LoggedRequest[];
	/**
	 * The next `count` API requests fail with `status`. `only` limits the failure to requests whose
	 * "METHOD path" matches (others pass and the failure waits); `afterApplying` runs the request
	 * first and then answers with the error, as when Google applied a write but the answer was lost
	 * (a 500 or a gateway's 502/504 says nothing about whether the write happened).
	 */
	failNext(status: FailureStatus, count: number, opts?: FailureOptions): void;
	delayNext(ms: number, count: number): void;
	beforeNextWrite(fn: () => void): void;
	issuedTokens: number;
}

export type FailureStatus = 429 | 500 | 502 | 503 | 504;
export interface FailureOptions {
	retryAfterSeconds?: number;
	only?: RegExp;
	afterApplying?: boolean;
}

export const DEFAULT_TEST_TOKEN = 'test-access-token';
const SPREADSHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly status: string,
		message: string,
	) {
		super(message);
	}
}

const badRequest = (message: string) => new ApiError(400, 'INVALID_ARGUMENT', message);

// ---------------------------------------------------------------- values in and out

/** Days since 1899-12-30 (the Sheets/Lotus serial date). */
function dateSerial(year: number, month: number, day: number): number | undefined {
	const time = Date.UTC(year, month - 1, day);
	const d = new Date(time);
	if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
	return Math.round((time - Date.UTC(1899, 11, 30)) / 86_400_000);
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** What Sheets stores for a value written with valueInputOption (RAW or USER_ENTERED). */
export function toStored(input: unknown, option: 'RAW' | 'USER_ENTERED'): StoredCell | undefined | null {
	if (input === null || input === undefined) return null; // null = leave the cell unchanged
	if (typeof input === 'number' || typeof input === 'boolean') return { value: input };
	const text = String(input);
	if (text === '') return undefined; // clears the cell
	if (option === 'RAW') return { value: text };
	if (text.startsWith("'")) return { value: text.slice(1) };
	if (text.startsWith('=')) return { value: '', formula: text };
	const trimmed = text.trim();
	if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
	if (NUMBER.test(trimmed)) return { value: Number(trimmed) };
	const money = /^(-?)\$(\d+(?:,\d{3})*(?:\.\d+)?)$/.exec(trimmed);
	if (money) return { value: Number(`${money[1]}${money[2].replace(/,/g, '')}`), display: trimmed, format: 'currency' };
	if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed)) return { value: Number(trimmed.replace(/,/g, '')), display: trimmed };
	const percent = /^([-+]?\d+(?:\.\d+)?)%$/.exec(trimmed);
	if (percent) return { value: Number(percent[1]) / 100, display: trimmed, format: 'percent' };
	const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
	const serial = us
		? dateSerial(Number(us[3]), Number(us[1]), Number(us[2]))
		: iso
			? dateSerial(Number(iso[1]), Number(iso[2]), Number(iso[3]))
			: undefined;
	if (serial !== undefined) return { value: serial, display: trimmed, isDate: true, format: us ? 'usDate' : 'isoDate' };
	return { value: text };
}

function formatNumber(n: number): string {
	if (Number.isInteger(n)) return String(n);
	return String(Number(n.toPrecision(10)));
}

function formatAs(value: number, format: StoredCell['format']): string {
	if (format === 'currency') return `${value < 0 ? '-' : ''}$${formatNumber(Math.abs(value))}`;
	if (format === 'percent') return `${formatNumber(value * 100)}%`;
	if (format === 'usDate' || format === 'isoDate') {
		const d = new Date(Date.UTC(1899, 11, 30) + Math.round(value) * 86_400_000);
		const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
		return format === 'usDate' ? `${m}/${day}/${y}` : `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	}
	return formatNumber(value);
}

type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';

function render(cell: StoredCell | undefined, valueRender: ValueRender, dateRender: string): CellValue {
	if (!cell) return '';
	if (valueRender === 'FORMULA' && cell.formula) return cell.formula;
	if (valueRender === 'FORMATTED_VALUE') {
		if (cell.display !== undefined) return cell.display;
		if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE';
		if (typeof cell.value === 'number') return formatNumber(cell.value);
		return cell.value;
	}
	if (cell.isDate && dateRender === 'FORMATTED_STRING') return cell.display ?? cell.value;
	return cell.value;
}

// ---------------------------------------------------------------- formulas (tiny subset)

function evaluateFormulas(sheet: Sheet): void {
	if (!sheet.hasFormulas) return;
	for (const row of sheet.cells) {
		for (const cell of row ?? []) {
			if (cell?.formula) {
				const { value, format } = evaluate(cell.formula.slice(1), sheet);
				cell.value = value;
				cell.format = format;
				cell.isDate = format === 'usDate' || format === 'isoDate';
				cell.display = typeof value === 'number' ? (format ? formatAs(value, format) : undefined) : value;
			}
		}
	}
}

function evaluate(expression: string, sheet: Sheet): { value: number | string; format?: StoredCell['format'] } {
	const aggregate = /^\s*(SUM|MAX|MIN|COUNT)\(\s*([A-Za-z]+)(\d+)\s*:\s*([A-Za-z]+)(\d+)\s*\)\s*$/i.exec(expression);
	if (aggregate) {
		const [, fn, ca, ra, cb, rb] = aggregate;
		const numbers: number[] = [];
		let format: StoredCell['format'];
		const c0 = parseRange(`${ca}1`).startCol ?? 0;
		const c1 = parseRange(`${cb}1`).startCol ?? 0;
		for (let r = Number(ra) - 1; r <= Number(rb) - 1; r++) {
			for (let c = c0; c <= c1; c++) {
				const cell = sheet.cells[r]?.[c];
				if (typeof cell?.value === 'number' && !cell.formula) {
					numbers.push(cell.value);
					format ??= cell.format;
				}
			}
		}
		const name = fn.toUpperCase();
		if (name === 'COUNT') return { value: numbers.length };
		if (numbers.length === 0) return { value: 0 };
		if (name === 'SUM') return { value: numbers.reduce((a, b) => a + b, 0), format };
		return { value: name === 'MAX' ? Math.max(...numbers) : Math.min(...numbers), format };
	}
	if (/^[\d\s+\-*/().]+$/.test(expression)) {
		try {
			const value = Function(`"use strict"; return (${expression});`)() as unknown;
			return { value: typeof value === 'number' && Number.isFinite(value) ? value : '#DIV/0!' };
		} catch {
			return { value: '#ERROR!' };
		}
	}
	return { value: '#NAME?' };
}

// ---------------------------------------------------------------- the spreadsheet model

interface Box {
	sheet: Sheet;
	r0: number;
	c0: number;
	/** Inclusive; Infinity = open (to the grid edge, or unbounded for writes). */
	r1: number;
	c1: number;
}

function findSheet(spreadsheet: Spreadsheet, parsed: ParsedRange, range: string): Sheet {
	const sheet = parsed.sheet === undefined ? spreadsheet.sheets[0] : spreadsheet.sheets.find((s) => s.title === parsed.sheet);
	if (!sheet) throw badRequest(`Unable to parse range: ${range}`);
	return sheet;
}

function resolve(spreadsheet: Spreadsheet, range: string): Box {
	let parsed: ParsedRange;
	try {
		parsed = parseRange(range);
	} catch (error) {
		if (error instanceof RangeParseError) throw badRequest(error.message);
		throw error;
	}
	const sheet = findSheet(spreadsheet, parsed, range);
	if (parsed.wholeSheet) return { sheet, r0: 0, c0: 0, r1: Infinity, c1: Infinity };
	return {
		sheet,
		r0: parsed.startRow ?? 0,
		c0: parsed.startCol ?? 0,
		r1: parsed.endRow ?? Infinity,
		c1: parsed.endCol ?? Infinity,
	};
}

function clipped(box: Box): { r1: number; c1: number } {
	return { r1: Math.min(box.r1, box.sheet.rowCount - 1), c1: Math.min(box.c1, box.sheet.columnCount - 1) };
}

function readBox(box: Box, query: Record<string, string>): { range: string; majorDimension: string; values?: CellValue[][] } {
	const valueRender = (query.valueRenderOption ?? 'FORMATTED_VALUE') as ValueRender;
	if (!['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'].includes(valueRender)) {
		throw badRequest(`Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "${valueRender}"`);
	}
	const dateRender = query.dateTimeRenderOption ?? 'SERIAL_NUMBER';
	const major = query.majorDimension ?? 'ROWS';
	if (major !== 'ROWS' && major !== 'COLUMNS') {
		throw badRequest(`Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${major}"`);
	}
	const { r1, c1 } = clipped(box);
	const grid: CellValue[][] = [];
	for (let r = box.r0; r <= r1; r++) {
		const row: CellValue[] = [];
		for (let c = box.c0; c <= c1; c++) row.push(render(box.sheet.cells[r]?.[c], valueRender, dateRender));
		grid.push(row);
	}
	const oriented = major === 'ROWS' ? grid : transpose(grid, c1 - box.c0 + 1);
	const values = trimTrailing(oriented);
	const result: { range: string; majorDimension: string; values?: CellValue[][] } = {
		range: formatRange(box.sheet.title, box.r0, box.c0, r1, c1),
		majorDimension: major,
	};
	if (values.length > 0) result.values = values;
	return result;
}

function transpose(grid: CellValue[][], width: number): CellValue[][] {
	const out: CellValue[][] = [];
	for (let c = 0; c < width; c++) out.push(grid.map((row) => row[c] ?? ''));
	return out;
}

/** Google omits trailing empty cells in a row and trailing empty rows. */
function trimTrailing(grid: CellValue[][]): CellValue[][] {
	const rows = grid.map((row) => {
		let end = row.length;
		while (end > 0 && (row[end - 1] === '' || row[end - 1] === null)) end--;
		return row.slice(0, end);
	});
	let last = rows.length;
	while (last > 0 && rows[last - 1].length === 0) last--;
	return rows.slice(0, last);
}

function checkInputOption(option: unknown): 'RAW' | 'USER_ENTERED' {
	if (option === undefined || option === '' || option === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
		throw badRequest("'valueInputOption' is required but not specified");
	}
	if (option !== 'RAW' && option !== 'USER_ENTERED') {
		throw badRequest(`Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${String(option)}"`);
	}
	return option;
}

function rowsOf(body: { values?: unknown; majorDimension?: unknown }): unknown[][] {
	const values = body.values ?? [];
	if (!Array.isArray(values) || values.some((row) => !Array.isArray(row))) {
		throw badRequest("Invalid JSON payload received. 'values' must be a list of lists.");
	}
	const major = body.majorDimension ?? 'ROWS';
	if (major === 'ROWS') return values as unknown[][];
	if (major !== 'COLUMNS') throw badRequest(`Invalid value at 'data.major_dimension', "${String(major)}"`);
	const cols = values as unknown[][];
	const height = Math.max(0, ...cols.map((c) => c.length));
	const rows: unknown[][] = [];
	for (let r = 0; r < height; r++) rows.push(cols.map((col) => col[r] ?? null));
	return rows;
}

interface PlannedWrite {
	box: Box;
	rows: unknown[][];
	option: 'RAW' | 'USER_ENTERED';
}

/** Validates one write against its range and the grid; applying happens later (all or nothing). */
function planWrite(box: Box, rows: unknown[][], option: 'RAW' | 'USER_ENTERED', range: string): PlannedWrite {
	const height = rows.length;
	const width = Math.max(0, ...rows.map((r) => r.length));
	if (box.r1 !== Infinity && box.r0 + height - 1 > box.r1) {
		throw badRequest(`Requested writing within range [${range}], but tried writing to row [${box.r0 + height}]`);
	}
	if (box.c1 !== Infinity && box.c0 + width - 1 > box.c1) {
		throw badRequest(`Requested writing within range [${range}], but tried writing to column [${colName(box.c0 + width - 1)}]`);
	}
	if (box.r0 + height > box.sheet.rowCount || box.c0 + width > box.sheet.columnCount) {
		throw badRequest(
			`Range (${formatRange(box.sheet.title, box.r0, box.c0, box.r0 + Math.max(height, 1) - 1, box.c0 + Math.max(width, 1) - 1)}) exceeds grid limits. Max rows: ${box.sheet.rowCount}, max columns: ${box.sheet.columnCount}`,
		);
	}
	return { box, rows, option };
}

interface WriteResult {
	updatedRange: string;
	updatedRows: number;
	updatedColumns: number;
	updatedCells: number;
}

/** Writes the cells; `touched` collects "sheet:row" / "sheet:column" keys for batch totals. */
function applyWrite({ box, rows, option }: PlannedWrite, touched?: { rows: Set<string>; columns: Set<string> }): WriteResult {
	let cellsWritten = 0;
	const ownRows = new Set<number>();
	const ownCols = new Set<number>();
	rows.forEach((row, i) => {
		const r = box.r0 + i;
		row.forEach((input, j) => {
			const stored = toStored(input, option);
			if (stored === null) return;
			const c = box.c0 + j;
			if (!box.sheet.cells[r]) box.sheet.cells[r] = [];
			box.sheet.cells[r][c] = stored;
			if (stored?.formula) box.sheet.hasFormulas = true;
			cellsWritten++;
			ownRows.add(r);
			ownCols.add(c);
			touched?.rows.add(`${box.sheet.sheetId}:${r}`);
			touched?.columns.add(`${box.sheet.sheetId}:${c}`);
		});
	});
	const height = Math.max(rows.length, 1);
	const width = Math.max(1, ...rows.map((r) => r.length));
	return {
		updatedRange: formatRange(box.sheet.title, box.r0, box.c0, box.r0 + height - 1, box.c0 + width - 1),
		updatedRows: ownRows.size,
		updatedColumns: ownCols.size,
		updatedCells: cellsWritten,
	};
}

const hasData = (sheet: Sheet, r: number, c: number) => {
	const cell = sheet.cells[r]?.[c];
	return cell !== undefined && !(cell.value === '' && !cell.formula);
};

/**
 * values.append's table detection: the first row with data inside the range starts the table;
 * its columns are the contiguous run of data around that row's data within the range; the table
 * continues down while the next row has data in those columns. New rows go right below it, from
 * the table's first column. With no data in the range, they go at the range's top-left cell.
 */
function findTable(box: Box): { r0: number; c0: number; r1: number; c1: number } | undefined {
	const { sheet } = box;
	const lastRow = Math.min(box.r1, sheet.rowCount - 1);
	const lastCol = Math.min(box.c1, sheet.columnCount - 1);
	for (let r = box.r0; r <= lastRow; r++) {
		let first = -1;
		for (let c = box.c0; c <= lastCol; c++) {
			if (hasData(sheet, r, c)) {
				first = c;
				break;
			}
		}
		if (first === -1) continue;
		let c0 = first;
		let c1 = first;
		while (c0 > 0 && hasData(sheet, r, c0 - 1)) c0--;
		while (c1 + 1 < sheet.columnCount && hasData(sheet, r, c1 + 1)) c1++;
		let r1 = r;
		for (;;) {
			const next = r1 + 1;
			if (next >= sheet.rowCount) break;
			let any = false;
			for (let c = c0; c <= c1; c++) if (hasData(sheet, next, c)) any = true;
			if (!any) break;
			while (c0 > 0 && hasData(sheet, next, c0 - 1)) c0--;
			while (c1 + 1 < sheet.columnCount && hasData(sheet, next, c1 + 1)) c1++;
			r1 = next;
		}
		return { r0: r, c0, r1, c1 };
	}
	return undefined;
}

// ---------------------------------------------------------------- JWT (service account)

function base64UrlDecode(part: string): Buffer {
	return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function verifyAssertion(assertion: string, account: { clientEmail: string; publicKeyPem: string }, tokenUrl: string): string | undefined {
	const parts = assertion.split('.');
	if (parts.length !== 3) return 'Invalid JWT: Token must be a signed JWT';
	let header: { alg?: string; typ?: string };
	let claims: { iss?: string; aud?: string; scope?: string; exp?: number; iat?: number };
	try {
		header = JSON.parse(base64UrlDecode(parts[0]).toString('utf8'));
		claims = JSON.parse(base64UrlDecode(parts[1]).toString('utf8'));
	} catch {
		return 'Invalid JWT: malformed header or claims';
	}
	if (header.alg !== 'RS256') return 'Invalid JWT: the algorithm must be RS256';
	const verifier = createVerify('RSA-SHA256');
	verifier.update(`${parts[0]}.${parts[1]}`);
	let valid = false;
	try {
		valid = verifier.verify(account.publicKeyPem, base64UrlDecode(parts[2]));
	} catch {
		valid = false;
	}
	if (!valid) return 'Invalid JWT Signature.';
	const now = Math.floor(Date.now() / 1000);
	if (claims.iss !== account.clientEmail) return 'Invalid email or User ID';
	if (claims.aud !== tokenUrl) return 'Invalid JWT: audience does not match the token URL';
	if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return 'Invalid JWT: exp and iat are required';
	if (claims.exp <= now) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
	if (claims.exp - claims.iat > 3600 || claims.iat > now + 300) {
		return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
	}
	if (!String(claims.scope ?? '').split(' ').includes(SPREADSHEETS_SCOPE)) return 'Invalid OAuth scope or ID token audience provided.';
	return undefined;
}

// ---------------------------------------------------------------- HTTP

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

// google.rpc.Code for each HTTP status (googleapis/google/rpc/code.proto); 502 is sent as HTML below.
const errorStatus: Record<Exclude<FailureStatus, 502>, string> = {
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	503: 'UNAVAILABLE',
	504: 'DEADLINE_EXCEEDED',
};
const errorMessage: Record<Exclude<FailureStatus, 502>, string> = {
	429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.",
	500: 'Internal error encountered.',
	503: 'The service is currently unavailable.',
	504: 'Deadline expired before operation could complete.',
};

export async function startSheetsServer(opts: SheetsServerOptions = {}): Promise<SheetsServer> {
	const spreadsheets = new Map<string, Spreadsheet>();
	const tokens = new Set<string>(opts.acceptedTokens ?? [DEFAULT_TEST_TOKEN]);
	const failures: ({ status: FailureStatus } & FailureOptions)[] = [];
	const delays: number[] = [];
	const writeHooks: (() => void)[] = [];
	const requests: LoggedRequest[] = [];
	let issuedTokens = 0;
	let base = '';

	const getSpreadsheet = (id: string) => {
		const s = spreadsheets.get(id);
		if (!s) throw new ApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
		return s;
	};
	const beforeWrite = () => writeHooks.shift()?.();

	function newSheet(spreadsheet: Spreadsheet, title: string, values: CellValue[][] = []): Sheet {
		const sheet: Sheet = {
			sheetId: spreadsheet.nextSheetId++,
			title,
			rowCount: Math.max(1000, values.length),
			columnCount: Math.max(26, ...values.map((r) => r.length)),
			cells: [],
		};
		values.forEach((row, r) =>
			row.forEach((v, c) => {
				const stored = toStored(v, 'USER_ENTERED');
				if (stored) (sheet.cells[r] ??= [])[c] = stored;
				if (stored?.formula) sheet.hasFormulas = true;
			}),
		);
		evaluateFormulas(sheet);
		spreadsheet.sheets.push(sheet);
		return sheet;
	}

	function metadata(s: Spreadsheet) {
		return {
			spreadsheetId: s.id,
			properties: { title: s.title, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
			sheets: s.sheets.map((sheet, index) => ({
				properties: {
					sheetId: sheet.sheetId,
					title: sheet.title,
					index,
					sheetType: 'GRID',
					gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
				},
			})),
			spreadsheetUrl: `${base}/spreadsheets/d/${s.id}/edit`,
		};
	}

	function appendValues(s: Spreadsheet, range: string, query: Record<string, string>, body: { values?: unknown; majorDimension?: unknown }) {
		const option = checkInputOption(query.valueInputOption);
		const insert = query.insertDataOption ?? 'OVERWRITE';
		if (insert !== 'OVERWRITE' && insert !== 'INSERT_ROWS') throw badRequest(`Invalid value at 'insert_data_option', "${insert}"`);
		const box = resolve(s, range);
		const rows = rowsOf(body);
		const table = findTable(box);
		const startRow = table ? table.r1 + 1 : box.r0;
		const startCol = table ? table.c0 : box.c0;
		const width = Math.max(1, ...rows.map((r) => r.length));
		beforeWrite();
		const { sheet } = box;
		if (insert === 'INSERT_ROWS') {
			if (sheet.cells.length < startRow) sheet.cells.length = startRow; // splice past the end would append early
			sheet.cells.splice(startRow, 0, ...rows.map(() => [] as (StoredCell | undefined)[]));
			sheet.rowCount += rows.length;
		} else if (startRow + rows.length > sheet.rowCount) {
			sheet.rowCount = startRow + rows.length;
		}
		if (startCol + width > sheet.columnCount) sheet.columnCount = startCol + width;
		const updates = applyWrite({ box: { sheet, r0: startRow, c0: startCol, r1: Infinity, c1: Infinity }, rows, option });
		evaluateFormulas(sheet);
		return {
			spreadsheetId: s.id,
			...(table ? { tableRange: formatRange(sheet.title, table.r0, table.c0, table.r1, table.c1) } : {}),
			updates: { spreadsheetId: s.id, ...updates },
		};
	}

	async function handleApi(method: string, path: string, query: Record<string, string>, rawQuery: URLSearchParams, body: Record<string, unknown>) {
		const match = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(path);
		if (!match) throw new ApiError(404, 'NOT_FOUND', `Method not found: ${path}`);
		const id = decodeURIComponent(match[1]);
		const rest = match[2];
		const s = getSpreadsheet(id);

		if (rest === '' && method === 'GET') return metadata(s);
		if (rest === ':batchUpdate' && method === 'POST') {
			const list = (body.requests ?? []) as Record<string, { properties?: { title?: string } }>[];
			const titles = new Set(s.sheets.map((x) => x.title));
			list.forEach((request, i) => {
				if (!request.addSheet) throw badRequest(`Invalid requests[${i}]: only addSheet is supported by the local server`);
				const title = request.addSheet.properties?.title ?? `Sheet${s.sheets.length + i + 1}`;
				if (titles.has(title)) {
					throw badRequest(`Invalid requests[${i}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`);
				}
				titles.add(title);
			});
			beforeWrite();
			const replies = list.map((request) => {
				const sheet = newSheet(s, request.addSheet.properties?.title ?? `Sheet${s.sheets.length + 1}`);
				return { addSheet: { properties: metadata(s).sheets.find((x) => x.properties.sheetId === sheet.sheetId)?.properties } };
			});
			return { spreadsheetId: s.id, replies };
		}
		if (rest === '/values:batchGet' && method === 'GET') {
			const ranges = rawQuery.getAll('ranges');
			return { spreadsheetId: s.id, valueRanges: ranges.map((r) => readBox(resolve(s, r), query)) };
		}
		if (rest === '/values:batchUpdate' && method === 'POST') {
			const option = checkInputOption(body.valueInputOption);
			const data = (body.data ?? []) as { range?: string; values?: unknown; majorDimension?: unknown }[];
			const planned = data.map((vr) => {
				if (typeof vr.range !== 'string') throw badRequest('Invalid data[]: range is required');
				return planWrite(resolve(s, vr.range), rowsOf(vr), option, vr.range);
			});
			beforeWrite();
			const touched = { rows: new Set<string>(), columns: new Set<string>() };
			const responses = planned.map((p) => ({ spreadsheetId: s.id, ...applyWrite(p, touched) }));
			for (const sheet of new Set(planned.map((p) => p.box.sheet))) evaluateFormulas(sheet);
			return {
				spreadsheetId: s.id,
				totalUpdatedRows: touched.rows.size,
				totalUpdatedColumns: touched.columns.size,
				totalUpdatedCells: responses.reduce((a, r) => a + r.updatedCells, 0),
				totalUpdatedSheets: new Set(planned.map((p) => p.box.sheet.sheetId)).size,
				responses,
			};
		}
		const valuesMatch = /^\/values\/(.+)$/.exec(rest);
		if (valuesMatch) {
			let range = decodeURIComponent(valuesMatch[1]);
			if (method === 'POST' && range.endsWith(':append')) {
				range = range.slice(0, -':append'.length);
				return appendValues(s, range, query, body);
			}
			if (method === 'GET') return readBox(resolve(s, range), query);
			if (method === 'PUT') {
				const option = checkInputOption(query.valueInputOption);
				if (typeof body.range === 'string' && body.range !== range) {
					throw badRequest(`Requested range [${range}] does not match the range in the body [${body.range}]`);
				}
				const planned = planWrite(resolve(s, range), rowsOf(body), option, range);
				beforeWrite();
				const result = { spreadsheetId: s.id, ...applyWrite(planned) };
				evaluateFormulas(planned.box.sheet);
				return result;
			}
		}
		throw new ApiError(404, 'NOT_FOUND', `Method not found: ${method} ${path}`);
	}

	async function handleToken(req: IncomingMessage, res: ServerResponse, text: string) {
		const type = String(req.headers['content-type'] ?? '');
		const form: Record<string, string> = type.includes('json')
			? (JSON.parse(text || '{}') as Record<string, string>)
			: Object.fromEntries(new URLSearchParams(text));
		if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
			return send(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + String(form.grant_type) });
		}
		if (!opts.serviceAccount) return send(res, 400, { error: 'invalid_grant', error_description: 'No service account is configured' });
		const problem = verifyAssertion(String(form.assertion ?? ''), opts.serviceAccount, `${base}/token`);
		if (problem) return send(res, 400, { error: 'invalid_grant', error_description: problem });
		const token = `ya29.local-${randomBytes(12).toString('hex')}`;
		tokens.add(token);
		issuedTokens++;
		return send(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
	}

	const server: Server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const text = await readBody(req);
			if (url.pathname === '/token' && req.method === 'POST') return handleToken(req, res, text);

			const query = Object.fromEntries(url.searchParams);
			let body: unknown = undefined;
			const entry: LoggedRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query, body, status: 0 };
			requests.push(entry);
			const reply = (status: number, payload: unknown, headers?: Record<string, string>) => {
				entry.status = status;
				send(res, status, payload, headers);
			};
			const delay = delays.shift();
			if (delay) await new Promise((r) => setTimeout(r, delay));
			try {
				body = text ? JSON.parse(text) : {};
				entry.body = body;
			} catch {
				return reply(400, { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } });
			}
			const auth = String(req.headers.authorization ?? '');
			const token = /^Bearer (.+)$/.exec(auth)?.[1];
			if (!token || !tokens.has(token)) {
				return reply(401, {
					error: {
						code: 401,
						message:
							'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
						status: 'UNAUTHENTICATED',
					},
				});
			}
			const failure = failures[0] && (!failures[0].only || failures[0].only.test(`${entry.method} ${entry.path}`)) ? failures.shift() : undefined;
			const fail = (f: { status: FailureStatus } & FailureOptions) => {
				const headers: Record<string, string> = f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {};
				if (f.status === 502) {
					// Google's front end answers 502 with an HTML page, not the API's JSON error.
					entry.status = 502;
					const html = '<!DOCTYPE html><title>Error 502 (Server Error)!!1</title><p><b>502.</b> That’s an error.';
					res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(html), ...headers });
					return res.end(html);
				}
				return reply(f.status, { error: { code: f.status, message: errorMessage[f.status], status: errorStatus[f.status] } }, headers);
			};
			if (failure && !failure.afterApplying) return fail(failure);
			try {
				const result = await handleApi(req.method ?? 'GET', url.pathname, query, url.searchParams, (body ?? {}) as Record<string, unknown>);
				if (failure) return fail(failure);
				reply(200, result);
			} catch (error) {
				if (error instanceof ApiError) return reply(error.code, { error: { code: error.code, message: error.message, status: error.status } });
				reply(500, { error: { code: 500, message: `Local server bug: ${(error as Error).message}`, status: 'INTERNAL' } });
			}
		})();
	});

	await new Promise<void>((resolveListen) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	base = `http://127.0.0.1:${port}`;
	let counter = 0;

	const api: SheetsServer = {
		url: base,
		tokenUrl: `${base}/token`,
		requests,
		get issuedTokens() {
			return issuedTokens;
		},
		close: () =>
			new Promise<void>((resolveClose) => {
				server.closeAllConnections?.();
				server.close(() => resolveClose());
			}),
		createSpreadsheet(tabs, createOpts = {}) {
			const id = createOpts.id ?? `local-${++counter}-${randomBytes(6).toString('hex')}`;
			const s: Spreadsheet = { id, title: createOpts.title ?? 'Untitled spreadsheet', sheets: [], nextSheetId: 0 };
			const entries = Object.entries(tabs);
			if (entries.length === 0) entries.push(['Sheet1', []]);
			for (const [title, values] of entries) newSheet(s, title, values);
			spreadsheets.set(id, s);
			return id;
		},
		getValues(spreadsheetId, tab) {
			const sheet = getSpreadsheet(spreadsheetId).sheets.find((x) => x.title === tab);
			if (!sheet) throw new Error(`No tab ${tab}`);
			// What a person sees: a formula's result, typed values as stored; empty cells are null.
			const grid: CellValue[][] = [];
			for (let r = 0; r < sheet.cells.length; r++) {
				const row = sheet.cells[r] ?? [];
				grid.push(Array.from({ length: row.length }, (_, c) => row[c]?.value ?? null));
			}
			return trimTrailing(grid).map((row) => row.map((v) => (v === '' ? null : v)));
		},
		getCell(spreadsheetId, tab, a1) {
			const box = resolve(getSpreadsheet(spreadsheetId), `${a1.includes('!') ? a1 : `'${tab.replace(/'/g, "''")}'!${a1}`}`);
			return box.sheet.cells[box.r0]?.[box.c0];
		},
		setCell(spreadsheetId, tab, a1, value) {
			const s = getSpreadsheet(spreadsheetId);
			const box = resolve(s, `'${tab.replace(/'/g, "''")}'!${a1}`);
			const stored = toStored(value === null ? '' : value, 'USER_ENTERED');
			(box.sheet.cells[box.r0] ??= [])[box.c0] = stored ?? undefined;
			if (stored?.formula) box.sheet.hasFormulas = true;
			evaluateFormulas(box.sheet);
		},
		failNext(status, count, failOpts = {}) {
			for (let i = 0; i < count; i++) failures.push({ status, ...failOpts });
		},
		delayNext(ms, count) {
			for (let i = 0; i < count; i++) delays.push(ms);
		},
		beforeNextWrite(fn) {
			writeHooks.push(fn);
		},
	};
	return api;
}

// Manual use: `npx ts-node test/servers/sheetsServer.ts` (or compiled) prints the base URL.
if (require.main === module) {
	void startSheetsServer({ port: Number(process.env.PORT ?? 0) }).then((server) => {
		const id = server.createSpreadsheet({ Leads: [['email', 'name', 'stage']] }, { id: 'demo' });
		process.stdout.write(`Local Sheets API at ${server.url} (token: ${DEFAULT_TEST_TOKEN}, spreadsheet: ${id})\n`);
	});
}
