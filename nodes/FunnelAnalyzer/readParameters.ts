/**
 * n8n glue: the node's parameters read once into FunnelOptions, and input items mapped to the
 * model's counts, records or events. Per-item parameters (stage counts) are read per item.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { DateFormat } from '../shared/dates';
import { InputError, describeValue } from '../shared/errors';
import { readJsonParameter } from '../shared/glue';
import type { FunnelInput, FunnelOptions, FunnelRecord, TimeUnit } from './types';

export type Operation = 'stageCounts' | 'records' | 'eventLog';

export interface FunnelRun {
	operation: Operation;
	options: FunnelOptions;
	output: 'summary' | 'steps' | 'both';
	includeChart: boolean;
	chartTitle: string;
}

const WINDOW_UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 };

interface RawOptions {
	segmentField?: string;
	baselineSegment?: string;
	benchmarkRates?: { rate?: Array<{ stage: string; percent: number }> };
	previousResult?: unknown;
	comparisonLabel?: string;
	chartTitle?: string;
	amountField?: string;
	closedAtField?: string;
	createdAtField?: string;
	dateFormat?: DateFormat;
	ignoreStages?: string;
	includeCurrentStageTime?: boolean;
	lostValues?: string;
	wonValues?: string;
	reachedBy?: 'currentStage' | 'entryDates';
	stageDateFields?: string;
	stageProbabilities?: { probability?: Array<{ stage: string; percent: number }> };
	statusField?: string;
	timeUnit?: TimeUnit;
	entry?: 'first' | 'reentry';
	exclusionSteps?: string;
}

function commaList(text: string | undefined): string[] | undefined {
	if (text === undefined) return undefined;
	return text
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** Everything that is the same for every item, read once (item 0). */
export function readRun(ctx: IExecuteFunctions, nowMs: number): FunnelRun {
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const raw = ctx.getNodeParameter('options', 0, {}) as RawOptions;
	const stages = ((ctx.getNodeParameter('stages', 0, {}) as { stage?: Array<{ name: string }> }).stage ?? []).map((s) => s.name);
	const options: FunnelOptions = {
		stages: stages.length > 0 ? stages : undefined,
		dateFormat: raw.dateFormat,
		timeUnit: raw.timeUnit,
		segmentField: raw.segmentField?.trim() || undefined,
		baselineSegment: raw.baselineSegment?.trim() || undefined,
		compareWith: readComparison(ctx, raw),
	};
	if (operation === 'records') {
		options.reachedBy = raw.reachedBy;
		options.ignoreStages = commaList(raw.ignoreStages);
		options.wonValues = commaList(raw.wonValues);
		options.lostValues = commaList(raw.lostValues);
		if (raw.includeCurrentStageTime ?? true) options.asOf = nowMs;
		const probabilities = raw.stageProbabilities?.probability ?? [];
		if (probabilities.length > 0) {
			options.stageProbabilities = Object.fromEntries(probabilities.map((p) => [p.stage.trim(), p.percent / 100]));
		}
	}
	if (operation === 'eventLog') {
		const window = ctx.getNodeParameter('conversionWindow', 0, 30) as number;
		const unit = ctx.getNodeParameter('conversionWindowUnit', 0, 'days') as string;
		if (!(window >= 0) || WINDOW_UNIT_MS[unit] === undefined) {
			throw new NodeOperationError(ctx.getNode(), `Conversion window ${describeValue(window)} ${unit} is not valid; use 0 or more (0 = no limit)`);
		}
		options.conversionWindowMs = window > 0 ? window * WINDOW_UNIT_MS[unit] : undefined;
		options.order = ctx.getNodeParameter('stepOrder', 0, 'strict') as 'strict' | 'any';
		options.entry = raw.entry;
		options.exclusionSteps = commaList(raw.exclusionSteps);
	}
	return {
		operation,
		options,
		output: ctx.getNodeParameter('output', 0, 'summary') as FunnelRun['output'],
		includeChart: ctx.getNodeParameter('includeChart', 0, false) as boolean,
		chartTitle: raw.chartTitle || 'Funnel',
	};
}

/** Benchmark rates (percent per stage) or a previous summary item; not both. */
function readComparison(ctx: IExecuteFunctions, raw: RawOptions): FunnelOptions['compareWith'] {
	const benchmark = raw.benchmarkRates?.rate ?? [];
	const hasPrevious = raw.previousResult !== undefined && raw.previousResult !== '';
	if (benchmark.length > 0 && hasPrevious) {
		throw new NodeOperationError(ctx.getNode(), 'Use either Benchmark Rates or Previous Result to compare with, not both');
	}
	if (benchmark.length > 0) {
		return {
			label: raw.comparisonLabel || 'the benchmark',
			conversionRates: Object.fromEntries(benchmark.map((b) => [b.stage.trim(), b.percent / 100])),
		};
	}
	if (!hasPrevious) return undefined;
	const previous = readJsonParameter(ctx, 'options.previousResult', 0, 'Previous Result') as IDataObject | null;
	const steps = previous && Array.isArray(previous.steps) ? (previous.steps as IDataObject[]) : null;
	if (!steps) {
		throw new NodeOperationError(ctx.getNode(), 'Previous Result must be a summary item of this node (an object with "steps")', {
			description: `Got ${describeValue(previous)}`,
		});
	}
	const conversionRates: Record<string, number> = {};
	for (const step of steps) {
		if (typeof step.name === 'string' && typeof step.conversionRate === 'number') conversionRates[step.name] = step.conversionRate;
	}
	return { label: raw.comparisonLabel || 'the previous period', conversionRates };
}

/** Maps the items (in the given order) to the model's input. Rows in errors are positions in `items`. */
export function buildInput(ctx: IExecuteFunctions, run: FunnelRun, items: Array<{ item: INodeExecutionData; index: number }>): FunnelInput {
	const raw = ctx.getNodeParameter('options', 0, {}) as RawOptions;
	if (run.operation === 'stageCounts') return countsInput(ctx, items);
	if (run.operation === 'records') {
		const stageField = ctx.getNodeParameter('stageField', 0, 'stage') as string;
		const statusField = raw.statusField?.trim();
		const amountField = (raw.amountField ?? 'amount').trim();
		const createdField = (raw.createdAtField ?? 'createdAt').trim();
		const closedField = (raw.closedAtField ?? 'stageChangedAt').trim();
		const pattern = raw.stageDateFields?.trim();
		const dateFields = pattern ? (run.options.stages ?? []).map((stage) => [stage, pattern.split('{stage}').join(stage)] as const) : [];
		const segmentField = run.options.segmentField;
		return {
			records: items.map(({ item }): FunnelRecord => {
				const json = item.json;
				const record: FunnelRecord = { stage: json[stageField] };
				if (statusField) record.status = json[statusField] ?? '';
				if (amountField && json[amountField] !== undefined) record.amount = json[amountField];
				if (createdField) record.createdAt = json[createdField];
				if (closedField) record.closedAt = json[closedField];
				if (dateFields.length > 0) record.stageDates = Object.fromEntries(dateFields.map(([stage, field]) => [stage, json[field]]));
				if (segmentField) record.segment = json[segmentField];
				return record;
			}),
		};
	}
	const idField = ctx.getNodeParameter('entityIdField', 0, 'key') as string;
	const stepField = ctx.getNodeParameter('stepField', 0, 'to') as string;
	const timeField = ctx.getNodeParameter('timestampField', 0, 'time') as string;
	return {
		events: items.map(({ item }) => ({ entityId: item.json[idField], step: item.json[stepField], timestamp: item.json[timeField], properties: item.json })),
	};
}

function countsInput(ctx: IExecuteFunctions, items: Array<{ item: INodeExecutionData; index: number }>): FunnelInput {
	const layout = ctx.getNodeParameter('countsLayout', 0, 'itemPerStage') as string;
	if (layout === 'countsObject') {
		const field = (ctx.getNodeParameter('countsField', 0, 'counts') as string).trim();
		const first = items[0]?.item.json;
		const counts = first === undefined ? undefined : field ? first[field] : first;
		if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) {
			throw new InputError(`Item 0: field "${field}" has ${describeValue(counts)}, not an object of counts such as {"Lead": 100}`, {
				row: 0,
				field,
				value: counts,
			});
		}
		return { counts: counts as Record<string, unknown> };
	}
	// Few items (one per stage), so the per-item expressions are affordable here.
	const rows = items.map(({ index }) => ({
		stage: ctx.getNodeParameter('stageName', index) as unknown as string,
		count: ctx.getNodeParameter('count', index) as unknown,
		segment: ctx.getNodeParameter('segment', index, '') as unknown,
	}));
	const segmented = rows.some((r) => r.segment !== '' && r.segment !== undefined && r.segment !== null);
	return { counts: rows.map((r) => (segmented ? r : { stage: r.stage, count: r.count })) };
}
