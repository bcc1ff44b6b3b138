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
