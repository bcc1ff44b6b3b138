import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { errorJson, toNodeError } from '../shared/glue';
import { spreadsheetIdFrom } from '../shared/sheets/spreadsheetId';
import { createTransport, type SheetsTransport } from '../shared/sheets/transport';
import { StageBoard, type ItemDecision } from './board';
import { moveOutput, staleOutput, type OutputIndex } from './outputs';
import { definePipeline, type Pipeline } from './pipeline';
import type { StageRecord } from './plan';
import { defineRules, type StageRule } from './rules';
import { stageMoverProperties } from './properties';
import { readFieldName, readOptions, readPipeline, readRules, type Operation, type StageMoverOptions } from './readParameters';
import { readSheetState, writeMoves, type SheetSettings, type SheetState } from './sheetMoves';
import { checkStale, resolveStaleOptions } from './stale';

interface Run {
	operation: Operation;
	pipeline: Pipeline;
	rules?: StageRule[];
	options: StageMoverOptions;
	keyField: string;
	stageField: string;
	nowMs: number;
	changedAt: string;
	sheet?: { transport: SheetsTransport; settings: SheetSettings };
}

export class StageMover implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stage Mover',
		name: 'stageMover',
		icon: { light: 'file:stageMover.svg', dark: 'file:stageMover.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Move leads and deals through the sales pipeline in the Google Sheets CRM, by rule or on request, with history',
		defaults: { name: 'Stage Mover' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Moved', 'Unchanged', 'Rejected'],
		credentials: [
			{
				name: 'googleSheetsCrmOAuth2Api',
				required: true,
				displayOptions: { show: { storage: ['sheet'], authentication: ['oAuth2'] } },
			},
			{
				name: 'googleSheetsCrmServiceAccountApi',
				required: true,
				displayOptions: { show: { storage: ['sheet'], authentication: ['serviceAccount'] } },
			},
		],
		properties: stageMoverProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], [], []];
		try {
			const run = await prepareRun(this);
			const state = run.sheet ? await readSheetState(run.sheet.transport, run.sheet.settings, run.operation !== 'flagStale') : undefined;
			if (run.operation === 'flagStale') flagStaleItems(this, run, items, state, outputs);
			else await moveItems(this, run, items, state, outputs);
		} catch (error) {
			// A configuration or sheet problem concerns every item.
			if (!this.continueOnFail()) throw toNodeError(this, error);
			outputs[2] = items.map((_, item) => ({ json: errorJson(error), pairedItem: { item } }));
		}
		return outputs;
	}
}

/** Parameters that are the same for every item, read once; the transport when the sheet is used. */
async function prepareRun(ctx: IExecuteFunctions): Promise<Run> {
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const options = readOptions(ctx);
	const pipeline = definePipeline(readPipeline(ctx, options));
	const rules = operation === 'applyRules' ? defineRules(readRules(ctx), pipeline) : undefined;
	const keyField = readFieldName(ctx, 'keyField', 'email');
	const stageField = readFieldName(ctx, 'stageField', 'stage');
	const nowMs = Date.now();
	const run: Run = { operation, pipeline, rules, options, keyField, stageField, nowMs, changedAt: new Date(nowMs).toISOString() };
	if (ctx.getNodeParameter('storage', 0) === 'sheet') {
		run.sheet = {
			transport: await createTransport(ctx),
			settings: {
				spreadsheetId: spreadsheetIdFrom(ctx.getNodeParameter('spreadsheetId', 0)),
				recordsTab: readFieldName(ctx, 'recordsTab', 'Leads'),
				historyTab: options.historyTab,
				keyField,
				stageField,
				changedAtField: options.changedAtField,
				valueInputOption: options.cellFormat,
				executionId: String(ctx.getExecutionId() ?? ''),
			},
		};
	}
	return run;
}

/** Move to Stage and Apply Rules: decide every item in order, then write all moves at once. */
async function moveItems(ctx: IExecuteFunctions, run: Run, items: INodeExecutionData[], state: SheetState | undefined, outputs: INodeExecutionData[][]) {
	const board = new StageBoard({
		pipeline: run.pipeline,
		keyField: run.keyField,
		stageField: run.stageField,
		changedAtField: run.options.changedAtField,
		rules: run.rules,
		nowMs: run.nowMs,
		dateFormat: run.options.dateFormat,
		sheet: state?.byKey,
		history: state?.history?.moves,
		locate: state && ((key) => {
			const row = state.records.byKey.get(key)?.rowNumber;
			return row === undefined ? undefined : `Tab "${state.records.tab}" row ${row}`;
		}),
	});
	const decisions: (ItemDecision | undefined)[] = [];
	const failures = new Map<number, unknown>();
	items.forEach((item, i) => {
		try {
			if (run.operation === 'moveToStage') {
				const target = ctx.getNodeParameter('targetStage', i, '') as unknown;
				const reason = ctx.getNodeParameter('reason', i, '') as unknown;
				decisions[i] = board.decide(item.json, i, target ?? '', reason === undefined || reason === null ? undefined : String(reason));
			} else {
				decisions[i] = board.decide(item.json, i);
			}
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, i);
			failures.set(i, error);
		}
	});
	const dryRun = run.options.dryRun && run.sheet !== undefined;
	if (run.sheet && state && !dryRun) {
		const written = await writeMoves(run.sheet.transport, run.sheet.settings, state, decisions, run.changedAt);
		for (const i of written.conflicts) decisions[i] = asConflict(decisions[i] as ItemDecision);
	}
	const settings = { stageField: run.stageField, changedAtField: run.options.changedAtField, changedAt: run.changedAt, dryRun };
	items.forEach((item, i) => {
		const decision = decisions[i];
		if (!decision) return push(outputs, 2, { json: errorJson(failures.get(i)), pairedItem: { item: i } });
		const { output, json } = moveOutput(item.json, decision, settings);
		if (run.sheet) (json.stageMove as IDataObject).sheetsApiCalls = run.sheet.transport.apiCalls;
		push(outputs, output, { json: json as IDataObject, pairedItem: { item: i } });
	});
}

/** Flag Stale: read-only; dates come from the sheet when it is used (they are fresher than the items). */
function flagStaleItems(ctx: IExecuteFunctions, run: Run, items: INodeExecutionData[], state: SheetState | undefined, outputs: INodeExecutionData[][]) {
	const options = resolveStaleOptions({
		now: run.nowMs,
		keyField: run.keyField,
		stageField: run.stageField,
		activityField: run.options.activityField,
		changedAtField: run.options.changedAtField,
		dateFormat: run.options.dateFormat,
	});
	items.forEach((item, i) => {
		try {
			let record: StageRecord = item.json;
			if (state) {
				const stored = state.byKey.get(String(item.json[run.keyField] ?? '').trim());
				if (!stored) {
					const warning = `No record with ${run.keyField} ${JSON.stringify(item.json[run.keyField] ?? '')} in the sheet`;
					return push(outputs, 2, { json: { ...item.json, staleCheck: { stale: null, warning } } as IDataObject, pairedItem: { item: i } });
				}
				record = { ...item.json, ...stored };
			}
			const { output, json } = staleOutput(item.json, checkStale(run.pipeline, record, i, options));
			push(outputs, output, { json: json as IDataObject, pairedItem: { item: i } });
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, i);
			push(outputs, 2, { json: errorJson(error), pairedItem: { item: i } });
		}
	});
}

function asConflict(decision: ItemDecision): ItemDecision {
	const { move } = decision;
	const from = move.outcome === 'moved' ? move.from : null;
	const to = move.outcome === 'moved' ? move.to : null;
	const detail = 'The sheet changed while the moves were being planned, so nothing was overwritten';
	return { ...decision, move: { outcome: 'rejected', rejected: true, key: move.key, from, to, reason: 'conflict', detail } };
}

function push(outputs: INodeExecutionData[][], output: OutputIndex, item: INodeExecutionData) {
	outputs[output].push(item);
}
