/**
 * Upsert planning for the Sales CRM node: which items update existing rows (only the given
 * fields), which become new rows (items with the same new key merge into one row, so a
 * key is never appended twice), and which items are bad. Pure: no n8n, no I/O.
 */
import { describeValue, InputError } from '../shared/errors';
import {
	normalizeKey,
	sameCellValue,
	toSheetValue,
	type CellChange,
	type CrmRecord,
	type TableSnapshot,
	type ValueInputOption,
} from '../shared/sheets/crm';

export type UnknownFields = 'ignore' | 'error';

export interface RecordOptions {
	valueInputOption: ValueInputOption;
	/** What to do with item fields the tab has no column for. */
	unknownFields: UnknownFields;
	/** Skip null / undefined / '' values so a missing form field never clears a filled cell. */
	ignoreEmptyValues: boolean;
}

/** An item's fields as cell values, in the tab's columns only. */
export function toCrmRecord(
	fields: Record<string, unknown>,
	headers: string[],
	item: number,
	tab: string,
	options: RecordOptions,
): { record: CrmRecord; ignoredFields: string[] } {
	const record: CrmRecord = {};
	const ignoredFields: string[] = [];
	const columns = new Set(headers);
	for (const [field, value] of Object.entries(fields)) {
		if (options.ignoreEmptyValues && (value === null || value === undefined || value === '')) continue;
		if (!columns.has(field)) {
			if (options.unknownFields === 'error') {
				throw new InputError(`Item ${item}: field "${field}" is not a column of tab "${tab}"`, { row: item, field, value });
			}
			ignoredFields.push(field);
			continue;
		}
		record[field] = toSheetValue(value, options.valueInputOption, { row: item, field });
	}
	return { record, ignoredFields };
}

export type UpsertAction = 'updated' | 'unchanged' | 'created';

export interface UpsertItemResult {
	item: number;
	key: string;
	action: UpsertAction;
	/** Existing row, or undefined until the append tells where new rows landed. */
	rowNumber?: number;
	changedFields: string[];
	ignoredFields: string[];
}

export interface UpsertInput {
	item: number;
	fields: Record<string, unknown>;
	/**
	 * "Values for New Records": fields written only when this item's key is new (e.g. stage = New,
	 * createdAt = now). Called only then, so expressions are not evaluated for existing records.
	 * The item's own fields win over these, as over any default.
	 */
	newRecordFields?: () => Record<string, unknown>;
}

export interface UpsertPlan {
	changes: CellChange[];
	/** New rows in order; `items` are the input items merged into each. */
	newRows: { key: string; record: CrmRecord; items: number[] }[];
	results: UpsertItemResult[];
	errors: { item: number; error: InputError }[];
}

export function planUpsert(
	snapshot: TableSnapshot,
	items: UpsertInput[],
	options: RecordOptions,
): UpsertPlan {
	const plan: UpsertPlan = { changes: [], newRows: [], results: [], errors: [] };
	const newByKey = new Map<string, UpsertPlan['newRows'][number]>();
	for (const { item, fields, newRecordFields } of items) {
		const failure = attempt(() => {
			const rawKey = fields[snapshot.keyField];
			const key = normalizeKey(rawKey);
			if (key === '' || typeof rawKey === 'object') {
				throw new InputError(
					`Item ${item}: the key field "${snapshot.keyField}" is ${key === '' ? 'empty' : describeValue(rawKey)}; every record needs a key`,
					{ row: item, field: snapshot.keyField, value: rawKey },
				);
			}
			const { record, ignoredFields } = toCrmRecord(fields, snapshot.headers, item, snapshot.tab, options);
			const existing = snapshot.byKey.get(key);
			if (existing) {
				const set = { ...record };
				delete set[snapshot.keyField]; // the row is found by its key; the key cell stays as typed
				const changedFields = Object.keys(set).filter((f) => !sameCellValue(existing.record[f], set[f]));
				plan.changes.push({ tab: snapshot.tab, key, set, ref: item });
				plan.results.push({
					item,
					key,
					action: changedFields.length > 0 ? 'updated' : 'unchanged',
					rowNumber: existing.rowNumber,
					changedFields,
					ignoredFields,
				});
				return;
			}
			const pending = newByKey.get(key);
			if (pending) {
				// A later item with the same new key updates the row the first one creates, as it
				// would in a later execution: its own fields apply, its new-record values do not.
				Object.assign(pending.record, record);
				pending.items.push(item);
				plan.results.push({ item, key, action: 'created', changedFields: Object.keys(record), ignoredFields });
				return;
			}
			const defaults = newRecordFields
				? toCrmRecord(newRecordFields(), snapshot.headers, item, snapshot.tab, options)
				: { record: {}, ignoredFields: [] };
			const created = { ...defaults.record, ...record };
			const row = { key, record: created, items: [item] };
			newByKey.set(key, row);
			plan.newRows.push(row);
			const ignored = [...ignoredFields, ...defaults.ignoredFields.filter((f) => !ignoredFields.includes(f))];
			plan.results.push({ item, key, action: 'created', changedFields: Object.keys(created), ignoredFields: ignored });
		});
		if (failure) plan.errors.push({ item, error: failure });
	}
	return plan;
}

/** Runs `fn`; returns the InputError it threw (bad item), rethrows anything else (a bug). */
export function attempt(fn: () => void): InputError | undefined {
	let failure: unknown;
	try {
		fn();
	} catch (error) {
		failure = error;
	}
	if (failure === undefined || failure instanceof InputError) return failure;
	throw failure;
}
