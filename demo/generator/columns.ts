/**
 * Column order of each demo tab and the conversion between records and the Sheets API's
 * `values` shape (row 1 = header names, then one array per row). The standard columns come
 * first, in the order of nodes/shared/sheets/schema.ts, then the demo's extra columns.
 */
import type { Campaign, DemoData, Lead, Order, StageMove, Touchpoint, Variant } from './types';

type Columns<T> = ReadonlyArray<keyof T & string>;

export const LEAD_COLUMNS: Columns<Lead> = [
	'email', 'name', 'company', 'phone', 'source', 'campaign', 'stage', 'score', 'owner',
	'createdAt', 'updatedAt', 'lastActivityAt', 'stageChangedAt', 'lostReason', 'notes',
	'id', 'pageViews', 'inquiries', 'emailOpens', 'companySize', 'industry', 'amount', 'currency', 'outcome', 'closedAt', 'wonReason',
];
export const STAGE_MOVE_COLUMNS: Columns<StageMove> = ['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId'];
export const ORDER_COLUMNS: Columns<Order> = ['id', 'customerEmail', 'date', 'amount', 'currency', 'product', 'campaign', 'notes'];
export const CAMPAIGN_COLUMNS: Columns<Campaign> = [
	'id', 'name', 'channel', 'startDate', 'endDate', 'spend', 'impressions', 'clicks', 'leads', 'conversions', 'revenue',
	'budget', 'objective', 'objectiveTarget', 'objectiveAchieved',
];
export const TOUCHPOINT_COLUMNS: Columns<Touchpoint> = [
	'id', 'time', 'email', 'type', 'channel', 'campaign', 'subject', 'details', 'executionId', 'converted', 'value',
];
export const VARIANT_COLUMNS: Columns<Variant> = ['campaign', 'variant', 'description', 'trials', 'successes'];

/** Each record kind: its file in demo/data/ (named after the CRM tab) and its columns. */
export const DEMO_TABS = {
	leads: { file: 'Leads.json', columns: LEAD_COLUMNS },
	stageHistory: { file: 'StageHistory.json', columns: STAGE_MOVE_COLUMNS },
	orders: { file: 'Orders.json', columns: ORDER_COLUMNS },
	campaigns: { file: 'Campaigns.json', columns: CAMPAIGN_COLUMNS },
	variants: { file: 'Variants.json', columns: VARIANT_COLUMNS },
	touchpoints: { file: 'Touchpoints.json', columns: TOUCHPOINT_COLUMNS },
} as const;

export type Cell = string | number | boolean;

export function recordsToRows<T extends object>(records: readonly T[], columns: Columns<T>): Cell[][] {
	return [columns.slice(), ...records.map((record) => columns.map((column) => record[column] as Cell))];
}

/** The inverse: row 1 names the fields; cells missing at a row's end are blank (''), as in Sheets. */
export function rowsToRecords(values: readonly (readonly Cell[])[]): Array<Record<string, Cell>> {
	const [header = [], ...rows] = values;
	return rows.map((row) => Object.fromEntries(header.map((name, index) => [String(name), row[index] ?? ''])));
}

/** One row per line: readable diffs in git, still plain JSON. */
export function serializeRows(rows: readonly (readonly Cell[])[]): string {
	return `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
}

export function serializeDemoData(data: DemoData): Record<string, string> {
	const files: Record<string, string> = {};
	for (const kind of Object.keys(DEMO_TABS) as Array<keyof DemoData>) {
		const { file, columns } = DEMO_TABS[kind];
		files[file] = serializeRows(recordsToRows(data[kind] as object[], columns as Columns<object>));
	}
	return files;
}
