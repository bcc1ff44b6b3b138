// Public library API of the Sales CRM (Sheets) node's pure parts and the shared Sheets CRM layer.
export { planUpsert, toCrmRecord } from './upsert';
export type { RecordOptions, UnknownFields, UpsertAction, UpsertInput, UpsertItemResult, UpsertPlan } from './upsert';
export { filterRecords, findByKey } from './records';
export type { FieldFilter, FoundRecord } from './records';
export { planSetUp } from './setUp';
export type { SetUpPlan } from './setUp';
export {
	planCellWrites,
	toSheetValue,
	toSnapshot,
	normalizeKey,
	sameCellValue,
	toAppendRows,
	checkHeaders,
} from '../shared/sheets/crm';
export type { CellChange, CellValue, CrmRecord, TableSnapshot, WritePlan, ValueInputOption } from '../shared/sheets/crm';
export { STANDARD_TABS, standardTab } from '../shared/sheets/schema';
export type { StandardTab } from '../shared/sheets/schema';
export { spreadsheetIdFrom } from '../shared/sheets/spreadsheetId';
