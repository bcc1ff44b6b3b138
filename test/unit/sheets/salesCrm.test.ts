import fc from 'fast-check';
import { planUpsert } from '../../../nodes/SalesCrmSheet/upsert';
import { planSetUp } from '../../../nodes/SalesCrmSheet/setUp';
import { filterRecords } from '../../../nodes/SalesCrmSheet/records';
import { toSnapshot, type CellValue } from '../../../nodes/shared/sheets/crm';
import { STANDARD_TABS } from '../../../nodes/shared/sheets/schema';

const HEADERS = ['email', 'name', 'stage', 'score'];
const options = { valueInputOption: 'RAW' as const, unknownFields: 'ignore' as const, ignoreEmptyValues: true };

describe('planUpsert', () => {
	test('every item is accounted for once; existing keys update, new keys append once (brute force)', () => {
		const emails = ['a', 'b', 'c', 'd', 'e', ''];
		fc.assert(
			fc.property(
				fc.subarray(['a', 'b', 'c']),
				fc.array(fc.record({ email: fc.constantFrom(...emails), stage: fc.constantFrom('New', 'MQL', ''), extra: fc.constant('x') }), { maxLength: 20 }),
				(existing, items) => {
					const grid: CellValue[][] = [HEADERS, ...existing.map((e) => [e, e.toUpperCase(), 'New', 1])];
					const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, grid);
					const plan = planUpsert(snapshot, items.map((fields, item) => ({ item, fields })), options);
					const accounted = [...plan.results.map((r) => r.item), ...plan.errors.map((e) => e.item)].sort((x, y) => x - y);
					expect(accounted).toEqual(items.map((_, i) => i));
					// Brute force: which items have a blank key, which keys exist, which new keys appear (first-seen order).
					expect(plan.errors.map((e) => e.item)).toEqual(items.flatMap((it, i) => (it.email === '' ? [i] : [])));
					expect(plan.changes.map((c) => c.ref)).toEqual(items.flatMap((it, i) => (existing.includes(it.email) ? [i] : [])));
					const newKeys = [...new Set(items.map((it) => it.email).filter((e) => e !== '' && !existing.includes(e)))];
					expect(plan.newRows.map((r) => r.key)).toEqual(newKeys);
					for (const row of plan.newRows) {
						expect(row.items).toEqual(items.flatMap((it, i) => (it.email === row.key ? [i] : [])));
						// Later items win, empty values never overwrite.
						const stages = row.items.map((i) => items[i].stage).filter((s) => s !== '');
						expect(row.record.stage).toBe(stages.length ? stages[stages.length - 1] : undefined);
					}
					for (const result of plan.results) expect(result.ignoredFields).toEqual(['extra']);
				},
			),
		);
	});

	test('the key cell of an existing row is never rewritten; unchanged rows are reported as such', () => {
		const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, [HEADERS, ['A@x.com ', 'Ann', 'New', 1]]);
		const plan = planUpsert(snapshot, [{ item: 0, fields: { email: 'A@x.com', stage: 'New', score: '1' } }], options);
		expect(plan.changes).toEqual([{ tab: 'Leads', key: 'A@x.com', set: { stage: 'New', score: '1' }, ref: 0 }]);
		expect(plan.results[0]).toMatchObject({ action: 'unchanged', rowNumber: 2, changedFields: [] });
	});

	test('Values for New Records: only rows being created get them, items win, evaluated only for new keys (sequential model)', () => {
		fc.assert(
			fc.property(
				fc.subarray(['a', 'b', 'c']),
				fc.array(
					fc.record({ email: fc.constantFrom('a', 'b', 'c', 'd', 'e'), stage: fc.constantFrom('MQL', 'SQL', ''), score: fc.constantFrom(5, '') }),
					{ maxLength: 15 },
				),
				fc.record({ stage: fc.constantFrom('New', ''), score: fc.constantFrom(0, ''), notes: fc.constant('from form') }),
				(existing, items, newValues) => {
					const grid: CellValue[][] = [HEADERS, ...existing.map((e) => [e, e.toUpperCase(), 'Won', 99])];
					const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, grid);
					const evaluated: number[] = [];
					const plan = planUpsert(
						snapshot,
						items.map((fields, item) => ({ item, fields, newRecordFields: () => (evaluated.push(item), newValues) })),
						options,
					);
					// Model: the items one by one against a sheet, as if each ran in its own execution.
					const sheet = new Map<string, Record<string, unknown>>(existing.map((e) => [e, {}]));
					const created = new Map<string, Record<string, unknown>>();
					const firstItems: number[] = [];
					const nonEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));
					items.forEach((it, i) => {
						const own = nonEmpty(it);
						if (sheet.has(it.email)) {
							Object.assign(sheet.get(it.email)!, own);
							return;
						}
						firstItems.push(i);
						const record = { ...nonEmpty(newValues), ...own };
						delete (record as Record<string, unknown>).notes; // not a column: ignored
						sheet.set(it.email, record);
						created.set(it.email, record);
					});
					expect(evaluated).toEqual(firstItems);
					expect(new Map(plan.newRows.map((r) => [r.key, r.record]))).toEqual(created);
					// Updates of existing rows never carry new-record values.
					for (const change of plan.changes) expect(change.set).toEqual(nonEmpty({ stage: items[change.ref as number].stage, score: items[change.ref as number].score }));
					for (const r of plan.results.filter((x) => firstItems.includes(x.item))) expect(r.ignoredFields).toEqual(['notes']);
				},
			),
		);
	});

	test('object keys and unknown fields (error mode) are item errors naming item and field', () => {
		const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, [HEADERS]);
		const plan = planUpsert(
			snapshot,
			[
				{ item: 0, fields: { email: { nested: true } } },
				{ item: 1, fields: { email: 'b', budget: 1 } },
			],
			{ ...options, unknownFields: 'error' },
		);
		expect(plan.errors.map((e) => [e.item, e.error.field, e.error.message])).toEqual([
			[0, 'email', 'Item 0: the key field "email" is {"nested":true}; every record needs a key'],
			[1, 'budget', 'Item 1: field "budget" is not a column of tab "Leads"'],
		]);
	});
});

describe('planSetUp', () => {
	test('adds missing tabs, writes headers where row 1 is empty, reports missing columns, never rewrites headers', () => {
		const plan = planSetUp(['Leads', 'Deals', 'StageHistory'], ['Leads', 'Deals'], { Leads: ['email', 'name'], Deals: [] });
		expect(plan.addTabs).toEqual(['StageHistory']);
		expect(plan.headerWrites.map((w) => w.range)).toEqual(["'Deals'!A1:O1", "'StageHistory'!A1:G1"]);
		expect(plan.headerWrites[1].values).toEqual([STANDARD_TABS.find((t) => t.tab === 'StageHistory')!.headers]);
		expect(plan.alreadySetUp).toEqual(['Leads']);
		expect(plan.missingColumns.Leads).toEqual(STANDARD_TABS[0].headers.filter((h) => h !== 'email' && h !== 'name'));
	});

	test('the Errors tab is a standard tab: created with its header row like the others', () => {
		const plan = planSetUp(['Errors'], ['Leads'], {});
		expect(plan.addTabs).toEqual(['Errors']);
		expect(plan.headerWrites).toEqual([
			{
				range: "'Errors'!A1:H1",
				majorDimension: 'ROWS',
				values: [['time', 'workflow', 'executionId', 'source', 'itemIndex', 'field', 'value', 'message']],
			},
		]);
	});
});

describe('filterRecords', () => {
	test('all filters must hold; unknown filter column is an error', () => {
		const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, [HEADERS, ['a', 'A', 'MQL', 70], ['b', 'B', 'MQL', 20]]);
		expect(filterRecords(snapshot, [{ field: 'stage', value: 'MQL' }, { field: 'score', value: '70' }]).map((r) => r.rowNumber)).toEqual([2]);
		expect(filterRecords(snapshot, []).length).toBe(2);
		expect(() => filterRecords(snapshot, [{ field: 'owner', value: 'me' }], 3)).toThrow(
			expect.objectContaining({ row: 3, field: 'owner', message: 'Filter field "owner" is not a column of tab "Leads"' }),
		);
	});
});
