/**
 * Reads the node's parameters into the models' option objects. Parameters that are the same
 * for every item are read once (item 0); only the grid's two scores are read per item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { InputError } from '../shared/errors';
import { readJsonParameter } from '../shared/glue';
import type { DateFormat } from '../shared/dates';
import type { LogisticRegressionOptions } from './fitLogisticRegression';
import type { MissingPolicy } from './design';
import type { GridThresholds } from './fitEngagementGrid';
import { DEFAULT_GRID } from './fitEngagementGrid';
import type { GradeBand } from './grades';
import type { PointsOptions, PointsRule, RuleOperator, RuleValueType } from './pointsRules';
import { ModelScorer, type ScoreOptions } from './scoreLeads';
import type { WeightsConfig } from './scoreWithWeights';

export type Operation = 'scoreWithWeights' | 'trainModel' | 'scoreWithModel' | 'pointsRules' | 'fitEngagementGrid';

/** "a, b ,c" → ['a', 'b', 'c']. */
export function fieldList(text: unknown): string[] {
	return String(text ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter((field) => field !== '');
}

function entries(ctx: IExecuteFunctions, name: string, key: string): IDataObject[] {
	const collection = ctx.getNodeParameter(name, 0, {}) as IDataObject;
	return (collection[key] as IDataObject[] | undefined) ?? [];
}

export function readScoreOptions(ctx: IExecuteFunctions): ScoreOptions {
	const bands = entries(ctx, 'gradeBands', 'band').map((band): GradeBand => ({ grade: String(band.grade ?? ''), minScore: band.minScore as number }));
	const options = ctx.getNodeParameter('scoreOptions', 0, {}) as IDataObject;
	return { grades: bands.length > 0 ? bands : undefined, maxReasons: (options.maxReasons as number | undefined) ?? 3 };
}

export function readWeights(ctx: IExecuteFunctions): WeightsConfig {
	return {
		intercept: ctx.getNodeParameter('intercept', 0) as number,
		weights: entries(ctx, 'weights', 'weight').map((w) => ({ field: String(w.field ?? '').trim(), weight: w.weight as number })),
	};
}

export function readTrainOptions(ctx: IExecuteFunctions): LogisticRegressionOptions {
	const options = ctx.getNodeParameter('trainOptions', 0, {}) as IDataObject;
	const numeric = fieldList(ctx.getNodeParameter('numericFields', 0));
	const categorical = fieldList(ctx.getNodeParameter('categoryFields', 0));
	const result: LogisticRegressionOptions = {
		target: String(ctx.getNodeParameter('outcomeField', 0)).trim(),
		features: [...numeric, ...categorical],
		categorical,
		missing: (options.missingValues as MissingPolicy | undefined) ?? 'drop',
		l2: (options.l2 as number | undefined) ?? 0,
		maxIterations: (options.maxIterations as number | undefined) ?? 50,
		threshold: (options.threshold as number | undefined) ?? 0.5,
		outcomeValues: { won: fieldList(options.wonValues), lost: fieldList(options.lostValues) },
	};
	if (options.classWeights === 'balanced') result.classWeights = 'balanced';
	if (options.classWeights === 'custom') result.classWeights = { won: (options.wonWeight as number | undefined) ?? 1, lost: (options.lostWeight as number | undefined) ?? 1 };
	const seed = (options.seed as number | undefined) ?? 1;
	if (options.validation === 'holdout') result.validation = { method: 'holdout', testFraction: (options.testShare as number | undefined) ?? 0.2, seed };
	if (options.validation === 'kFold') result.validation = { method: 'kFold', folds: (options.folds as number | undefined) ?? 5, seed };
	return result;
}

export function readPointsOptions(ctx: IExecuteFunctions): PointsOptions {
	const options = ctx.getNodeParameter('pointsOptions', 0, {}) as IDataObject;
	const rules = entries(ctx, 'rules', 'rule').map(
		(rule): PointsRule => ({
			name: String(rule.name ?? ''),
			field: String(rule.field ?? '').trim(),
			operator: rule.operator as RuleOperator,
			value: rule.value,
			valueTo: rule.valueTo,
			type: (rule.type as RuleValueType | undefined) ?? 'auto',
			points: rule.points as number,
			group: String(rule.group ?? ''),
			decayDateField: String(rule.decayDateField ?? ''),
		}),
	);
	const stages = entries(ctx, 'stages', 'stage').map((stage) => ({ stage: String(stage.name ?? ''), minPoints: stage.minPoints as number }));
	const result: PointsOptions = {
		rules,
		groupCaps: entries(ctx, 'groupCaps', 'cap').map((cap) => ({ group: String(cap.group ?? '').trim(), max: cap.maxPoints as number })),
		stages: stages.length > 0 ? stages : undefined,
		dateFormat: (options.dateFormat as DateFormat | undefined) ?? 'auto',
	};
	if (options.maxTotal !== undefined || options.minTotal !== undefined) result.cap = { max: options.maxTotal as number | undefined, min: options.minTotal as number | undefined };
	const halfLifeDays = options.halfLifeDays as number | undefined;
	const usesDecay = halfLifeDays !== undefined || rules.some((r) => r.decayDateField) || Boolean(options.decayDateField);
	if (usesDecay) {
		if (halfLifeDays === undefined) throw new InputError('A rule has a Decay Date Field: set Decay Half-Life (Days) in Options', { field: 'halfLifeDays' });
		result.decay = { halfLifeDays, dateField: String(options.decayDateField ?? '') };
	}
	return result;
}

export function readGridThresholds(ctx: IExecuteFunctions): GridThresholds {
	const options = ctx.getNodeParameter('gridThresholds', 0, {}) as IDataObject;
	return { ...DEFAULT_GRID, ...(options as Partial<GridThresholds>) };
}

/** `={{ $json.a.b }}` / `={{ $json["a"] }}`: a plain path into the item, read without the expression engine. */
const JSON_PATH = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:"[^"]*"|'[^']*')\])+)\s*\}\}$/;

function jsonPath(expression: string): string[] | null {
	const match = JSON_PATH.exec(expression.trim());
	if (!match) return null;
	return [...match[1].matchAll(/\.([A-Za-z_$][\w$]*)|\["([^"]*)"\]|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * The model scorer for each item. The model is parsed and validated once per distinct model:
 * once for pasted JSON or an expression that does not depend on the item (e.g.
 * `{{ $('Train Model').first().json.model }}`), and once per change when it comes from the
 * item (`{{ $json.model }}`, read straight from the item without the expression engine).
 * A bad per-item model becomes that item's error.
 */
export function readModelScorers(ctx: IExecuteFunctions, items: INodeExecutionData[], options: ScoreOptions): Array<ModelScorer | Error> {
	const raw = ctx.getNode().parameters.model;
	const expression = typeof raw === 'string' && raw.startsWith('=') ? raw : null;
	const path = expression ? jsonPath(expression) : null;
	const perItem = expression !== null && /\$json|\$item|\$input\.item|\$binary/.test(expression);
	if (!perItem) {
		const scorer = new ModelScorer(readJsonParameter(ctx, 'model', 0, 'Model'), options);
		return items.map(() => scorer);
	}
	const scorers: Array<ModelScorer | Error> = [];
	let lastValue: unknown = undefined;
	let lastText: string | undefined;
	let last: ModelScorer | Error | undefined;
	for (let index = 0; index < items.length; index++) {
		let value: unknown;
		try {
			value = path ? path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as IDataObject)[key] : undefined), items[index].json) : readJsonParameter(ctx, 'model', index, 'Model');
		} catch (error) {
			scorers.push(error as Error);
			continue;
		}
		// Same object, or same JSON, as the previous item: reuse its validated scorer.
		const text = last !== undefined && value === lastValue ? lastText : typeof value === 'string' ? value : JSON.stringify(value);
		if (last === undefined || text !== lastText) {
			try {
				last = new ModelScorer(value ?? null, options);
			} catch (error) {
				last = error instanceof InputError ? new InputError(`Item ${index}: ${error.message}`, { row: index, field: 'model', value: error.value }) : (error as Error);
			}
		}
		lastValue = value;
		lastText = text;
		scorers.push(last);
	}
	return scorers;
}
