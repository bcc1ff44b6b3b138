/** Reading records for the Sales CRM node's Get operation. Pure. */
import { normalizeKey, sameCellValue, type CellValue, type CrmRecord, type TableSnapshot } from '../shared/sheets/crm';
import { InputError } from '../shared/errors';

export interface FieldFilter {
	field: string;
	value: CellValue;
}

export interface FoundRecord {
	rowNumber: number;
	record: CrmRecord;
}

/** Rows whose fields all equal the filter values (blank equals blank; 70 equals "70"). */
export function filterRecords(snapshot: TableSnapshot, filters: FieldFilter[], item?: number): FoundRecord[] {
	for (const { field } of filters) {
		if (!snapshot.headers.includes(field)) {
			throw new InputError(`Filter field "${field}" is not a column of tab "${snapshot.tab}"`, { row: item, field, value: field });
		}
	}
	return snapshot.rows
		.filter((row) => filters.every(({ field, value }) => sameCellValue(row.record[field], value)))
		.map(({ rowNumber, record }) => ({ rowNumber, record }));
}

export function findByKey(snapshot: TableSnapshot, key: unknown): FoundRecord | undefined {
	return snapshot.byKey.get(normalizeKey(key));
}
