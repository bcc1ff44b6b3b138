/**
 * The four operations of the Sales CRM (Sheets) node: n8n glue around the pure planners.
 * Each execution makes a constant number of Sheets calls, whatever the number of items:
 * upsert 1 read + at most 1 batchUpdate + 1 append; get 1; append activity 2; set up at most 4.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { errorJson, toNodeError } from '../shared/glue';
import { InputError } from '../shared/errors';
import { parseA1, quoteTab } from '../shared/sheets/a1';
import { planCellWrites, readHeaders, readTables, toAppendRows, type CellValue, type ValueInputOption } from '../shared/sheets/crm';
import { spreadsheetIdFrom } from '../shared/sheets/spreadsheetId';
import { createTransport, type SheetsTransport } from '../shared/sheets/transport';
import { filterRecords, findByKey, type FoundRecord } from './records';
import { planSetUp } from './setUp';
import { attempt, planUpsert, toCrmRecord, type RecordOptions } from './upsert';

interface CommonSettings {
	spreadsheetId: string;
	headerRow: number;
	recordOptions: RecordOptions;
	dataMode: string;
}

/** Parameters that are the same for every item, read once (index 0). */
function readSettings(ctx: IExecuteFunctions): CommonSettings {
	let spreadsheetId: string;
	try {
		spreadsheetId = spreadsheetIdFrom(ctx.getNodeParameter('spreadsheetId', 0));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const headerRow = Number(options.headerRow ?? 1);
	if (!Number.isInteger(headerRow) || headerRow < 1) {
		throw new NodeOperationError(ctx.getNode(), `Header Row must be a whole number of at least 1, got ${String(options.headerRow)}`);
	}
	return {
		spreadsheetId,
		headerRow,
		dataMode: ctx.getNodeParameter('dataMode', 0, 'autoMap') as string,
		recordOptions: {
			valueInputOption: (options.valueInputOption as ValueInputOption) ?? 'RAW',
			unknownFields: options.unknownFields === 'error' ? 'error' : 'ignore',
			ignoreEmptyValues: options.ignoreEmptyValues !== false,
		},
	};
}

function textParameter(ctx: IExecuteFunctions, name: string, label: string): string {
	const value = String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	if (value === '') throw new NodeOperationError(ctx.getNode(), `${label} is empty`);
	return value;
}

/** A column/value list parameter (Fields, Values for New Records), evaluated for one item. */
function listedFields(ctx: IExecuteFunctions, parameter: string, itemIndex: number): Record<string, unknown> {
	const list = ctx.getNodeParameter(`${parameter}.values`, itemIndex, []) as { fieldName?: string; fieldValue?: unknown }[];
	const fields: Record<string, unknown> = {};
	for (const { fieldName, fieldValue } of list) {
		const name = String(fieldName ?? '').trim();
		if (name !== '') fields[name] = fieldValue;
	}
	return fields;
}

/** An item's fields: its JSON ("Map Automatically") or the Fields list, evaluated for that item. */
function itemFields(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number, dataMode: string): Record<string, unknown> {
	return dataMode === 'define' ? listedFields(ctx, 'fieldValues', itemIndex) : item.json;
}

/** "Values for New Records" of an item, evaluated only when the planner finds its key is new. */
function newRecordFields(ctx: IExecuteFunctions, itemIndex: number): () => Record<string, unknown> {
	return () => listedFields(ctx, 'newRecordValues', itemIndex);
}

/** Whether "Values for New Records" lists anything (looked at once, without evaluating expressions). */
function hasNewRecordValues(ctx: IExecuteFunctions): boolean {
	const raw = ctx.getNodeParameter('newRecordValues', 0, {}, { rawExpressions: true }) as { values?: unknown[] };
	return (raw.values?.length ?? 0) > 0;
}

/** Stops the node at the first bad item, or (On Error: Continue) turns bad items into error items. */
function failOrKeep(ctx: IExecuteFunctions, errors: { item: number; error: InputError }[]): Map<number, IDataObject> {
	if (errors.length > 0 && !ctx.continueOnFail()) throw toNodeError(ctx, errors[0].error, errors[0].item);
	return new Map(errors.map(({ item, error }) => [item, errorJson(error)]));
}

function callStats(transport: SheetsTransport): IDataObject {
	return { apiCalls: transport.apiCalls, retries: transport.retries };
}

export async function upsertRecords(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const settings = readSettings(ctx);
	const tab = textParameter(ctx, 'tab', 'Tab Name');
	const keyField = textParameter(ctx, 'keyField', 'Key Column');
	const { spreadsheetId, headerRow, recordOptions } = settings;
	const withNewRecordValues = hasNewRecordValues(ctx);
	const inputs = items.map((item, i) => ({
		item: i,
		fields: itemFields(ctx, item, i, settings.dataMode),
		newRecordFields: withNewRecordValues ? newRecordFields(ctx, i) : undefined,
	}));

	const transport = await createTransport(ctx);
	const [snapshot] = await readTables(transport, spreadsheetId, [{ tab, keyField, headerRow }]);
	const plan = planUpsert(snapshot, inputs, recordOptions);
	const errorItems = failOrKeep(ctx, plan.errors);

	const writes = planCellWrites([snapshot], plan.changes);
	await transport.batchUpdate(spreadsheetId, writes.data, recordOptions.valueInputOption);
	const createdRow = new Map<number, number>();
	if (plan.newRows.length > 0) {
		const rows = toAppendRows(snapshot, plan.newRows.map((row) => ({ record: row.record, ref: row.items[0] })));
		const response = await transport.append(spreadsheetId, `${quoteTab(tab)}!A${headerRow}`, rows, recordOptions.valueInputOption);
		const firstRow = parseA1(response.updates?.updatedRange ?? '').startRow;
		plan.newRows.forEach((row, index) => {
			for (const item of row.items) if (firstRow !== undefined) createdRow.set(item, firstRow + index);
		});
	}

	const stats = callStats(transport);
	const results = new Map(plan.results.map((r) => [r.item, r]));
	return items.map((item, i) => {
		const error = errorItems.get(i);
		if (error) return { json: error, pairedItem: { item: i } };
		const result = results.get(i)!;
		const crm: IDataObject = {
			action: result.action,
			key: result.key,
			rowNumber: result.rowNumber ?? createdRow.get(i) ?? null,
			changedFields: result.changedFields,
			...stats,
		};
		if (result.ignoredFields.length > 0) crm.ignoredFields = result.ignoredFields;
		return { json: { ...item.json, crm }, pairedItem: { item: i } };
	});
}

function recordItem(found: FoundRecord, item: number): INodeExecutionData {
	return { json: { rowNumber: found.rowNumber, ...found.record }, pairedItem: { item } };
}

export async function getRecords(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const { spreadsheetId, headerRow } = readSettings(ctx);
	const tab = textParameter(ctx, 'tab', 'Tab Name');
	const returnMode = ctx.getNodeParameter('returnMode', 0, 'all') as string;
	// Only lookups by key need a key column; all rows and filters read the tab as a plain list.
	const keyField = returnMode === 'byKey' ? textParameter(ctx, 'keyField', 'Key Column') : '';
	const transport = await createTransport(ctx);
	const [snapshot] = await readTables(transport, spreadsheetId, [{ tab, keyField, headerRow }]);
	if (returnMode === 'all') return snapshot.rows.map((row) => recordItem(row, 0));

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			if (returnMode === 'byKey') {
				const found = findByKey(snapshot, ctx.getNodeParameter('keyValue', i, ''));
				if (found) out.push(recordItem(found, i));
				continue;
			}
			const conditions = ctx.getNodeParameter('filters.conditions', i, []) as { field?: string; value?: CellValue }[];
			const filters = conditions.map((c) => ({ field: String(c.field ?? '').trim(), value: c.value ?? '' }));
			for (const found of filterRecords(snapshot, filters, i)) out.push(recordItem(found, i));
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, i);
			out.push({ json: errorJson(error), pairedItem: { item: i } });
		}
	}
	return out;
}

export async function appendActivity(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const settings = readSettings(ctx);
	const tab = textParameter(ctx, 'activityTab', 'Activity Tab Name');
	const { spreadsheetId, headerRow, recordOptions } = settings;
	const executionId = ctx.getExecutionId();
	const workflowName = ctx.getWorkflow().name ?? '';
	const now = new Date().toISOString();
	// A log node fed by several branches runs more than once per execution: the run index keeps ids unique.
	const runIndex = String(ctx.evaluateExpression('{{ $runIndex }}', 0) ?? 0);

	const transport = await createTransport(ctx);
	const headers = await readHeaders(transport, spreadsheetId, tab, headerRow);
	const rows: { record: Record<string, CellValue>; item: number; ignoredFields: string[] }[] = [];
	const errors: { item: number; error: InputError }[] = [];
	items.forEach((item, i) => {
		const failure = attempt(() => {
			// Fill the log's bookkeeping columns when the item does not: an id stable across re-runs
			// of the same execution and run (so duplicates can be spotted), the time, the execution and
			// (Errors tab) the workflow.
			const defaults: Record<string, unknown> = {};
			if (headers.includes('id')) defaults.id = `${executionId}-${runIndex}-${i}`;
			if (headers.includes('time')) defaults.time = now;
			if (headers.includes('executionId')) defaults.executionId = executionId;
			if (headers.includes('workflow')) defaults.workflow = workflowName;
			const fields = { ...defaults, ...itemFields(ctx, item, i, settings.dataMode) };
			const { record, ignoredFields } = toCrmRecord(fields, headers, i, tab, { ...recordOptions, ignoreEmptyValues: true });
			rows.push({ record, item: i, ignoredFields });
		});
		if (failure) errors.push({ item: i, error: failure });
	});
	const errorItems = failOrKeep(ctx, errors);
	const snapshotLike = { tab, headerRow, headers, keyField: headers[0], rows: [], byKey: new Map() };
	const values = toAppendRows(snapshotLike, rows.map((r) => ({ record: r.record, ref: r.item })));
	const response = await transport.append(spreadsheetId, `${quoteTab(tab)}!A${headerRow}`, values, recordOptions.valueInputOption);
	const firstRow = parseA1(response.updates?.updatedRange ?? `${quoteTab(tab)}`).startRow;
	const rowOf = new Map(rows.map((r, index) => [r.item, firstRow === undefined ? null : firstRow + index]));
	const stats = callStats(transport);
	return items.map((item, i) => {
		const error = errorItems.get(i);
		if (error) return { json: error, pairedItem: { item: i } };
		const ignored = rows.find((r) => r.item === i)?.ignoredFields ?? [];
		const crm: IDataObject = { action: 'appended', tab, rowNumber: rowOf.get(i) ?? null, ...stats };
		if (ignored.length > 0) crm.ignoredFields = ignored;
		return { json: { ...item.json, crm }, pairedItem: { item: i } };
	});
}

export async function setUpSpreadsheet(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const { spreadsheetId } = readSettings(ctx);
	const wanted = ctx.getNodeParameter('tabs', 0, []) as string[];
	const transport = await createTransport(ctx);
	const meta = await transport.getSpreadsheet(spreadsheetId);
	const existing = (meta.sheets ?? []).map((s) => s.properties?.title ?? '');
	const present = wanted.filter((tab) => existing.includes(tab));
	const headerRows: Record<string, CellValue[]> = {};
	if (present.length > 0) {
		const response = await transport.batchGet(spreadsheetId, present.map((tab) => `${quoteTab(tab)}!1:1`));
		present.forEach((tab, i) => (headerRows[tab] = (response.valueRanges?.[i]?.values?.[0] ?? []) as CellValue[]));
	}
	const plan = planSetUp(wanted, existing, headerRows);
	await transport.addSheets(spreadsheetId, plan.addTabs);
	await transport.batchUpdate(spreadsheetId, plan.headerWrites, 'RAW');
	const json: IDataObject = {
		spreadsheetId,
		createdTabs: plan.addTabs,
		headersWritten: plan.headerWrites.map((w) => parseA1(w.range ?? '').tab),
		alreadySetUp: plan.alreadySetUp,
		missingColumns: plan.missingColumns,
		...callStats(transport),
	};
	return [{ json, pairedItem: items.map((_, item) => ({ item })) }];
}
