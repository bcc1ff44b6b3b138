/**
 * The trained model as self-contained, versioned JSON: everything needed to score a lead
 * (coefficients on the original scale, levels, imputation values) and to explain a score
 * (the average lead each contribution is measured against). `parseModel` validates a model
 * that comes back from a workflow, a Sheet or a paste, so a tampered or foreign JSON is
 * rejected with a message rather than scoring NaN.
 */
import { InputError, describeValue } from '../shared/errors';
import type { MissingPolicy } from './design';

export const MODEL_SCHEMA = 'n8n-nodes-solo-sales/lead-score-model';
export const MODEL_VERSION = 1;

export interface NumericTerm {
	field: string;
	/** Change in log-odds per unit of the field (original scale). */
	coefficient: number;
	/** Training mean: the value of an average lead, and the value used for an empty cell. */
	mean: number;
	standardDeviation: number;
	/** Log-odds of an empty cell (policy ownCategory), else absent. */
	missingCoefficient?: number;
	/** Share of training rows where the field was empty (with missingCoefficient). */
	missingShare?: number;
}

export interface LevelTerm {
	level: string;
	/** Log-odds relative to the baseline level (0 for the baseline itself). */
	coefficient: number;
	/** Share of training rows at this level. */
	share: number;
}

export interface CategoricalTerm {
	field: string;
	/** levels[0] is the baseline. */
	levels: LevelTerm[];
	/** Level used when the cell is empty (the '(missing)' level or the most frequent one). */
	missingLevel: string;
}

export interface LeadScoreModel {
	schema: typeof MODEL_SCHEMA;
	version: typeof MODEL_VERSION;
	/** Outcome field the model was trained on. */
	target: string;
	intercept: number;
	numeric: NumericTerm[];
	categorical: CategoricalTerm[];
	missingPolicy: MissingPolicy;
	l2: number;
	trainingRows: number;
	/** Log-odds of the average training lead: contributions in reasons are measured from it. */
	averageLogOdds: number;
}

function fail(message: string, value?: unknown): never {
	throw new InputError(`Model JSON: ${message}`, { field: 'model', value });
}

function finite(value: unknown, where: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where} must be a finite number, got ${describeValue(value)}`, value);
	return value;
}

function text(value: unknown, where: string): string {
	if (typeof value !== 'string' || value === '') fail(`${where} must be a non-empty text, got ${describeValue(value)}`, value);
	return value;
}

function list(value: unknown, where: string): unknown[] {
	if (!Array.isArray(value)) fail(`${where} must be a list, got ${describeValue(value)}`, value);
	return value;
}

function object(value: unknown, where: string): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where} must be an object, got ${describeValue(value)}`, value);
	return value as Record<string, unknown>;
}

/** Validates a model (object or JSON text) and returns it typed. Throws InputError on any defect. */
export function parseModel(input: unknown): LeadScoreModel {
	let raw = input;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw);
		} catch (error) {
			fail(`not valid JSON (${(error as Error).message})`);
		}
	}
	const model = object(raw, 'the model');
	if (model.schema !== MODEL_SCHEMA) {
		fail(`not a Lead Scorer model (schema ${describeValue(model.schema)}, expected "${MODEL_SCHEMA}"); train one with the Train Model operation`, model.schema);
	}
	if (model.version !== MODEL_VERSION) {
		fail(`schema version ${describeValue(model.version)} is not supported by this node (it reads version ${MODEL_VERSION}); retrain the model`, model.version);
	}
	const policy = model.missingPolicy;
	if (policy !== 'drop' && policy !== 'imputeMean' && policy !== 'ownCategory') fail(`missingPolicy ${describeValue(policy)} is unknown`, policy);
	const fields = new Set<string>();
	const checkField = (field: string) => {
		if (fields.has(field)) fail(`field "${field}" appears twice`, field);
		fields.add(field);
	};
	const numeric = list(model.numeric, 'numeric').map((entry, i): NumericTerm => {
		const term = object(entry, `numeric[${i}]`);
		const field = text(term.field, `numeric[${i}].field`);
		checkField(field);
		const parsed: NumericTerm = {
			field,
			coefficient: finite(term.coefficient, `numeric "${field}" coefficient`),
			mean: finite(term.mean, `numeric "${field}" mean`),
			standardDeviation: finite(term.standardDeviation, `numeric "${field}" standardDeviation`),
		};
		if (term.missingCoefficient !== undefined) {
			parsed.missingCoefficient = finite(term.missingCoefficient, `numeric "${field}" missingCoefficient`);
			parsed.missingShare = finite(term.missingShare, `numeric "${field}" missingShare`);
		}
		return parsed;
	});
	const categorical = list(model.categorical, 'categorical').map((entry, i): CategoricalTerm => {
		const term = object(entry, `categorical[${i}]`);
		const field = text(term.field, `categorical[${i}].field`);
		checkField(field);
		const levels = list(term.levels, `categorical "${field}" levels`).map((levelEntry, l): LevelTerm => {
			const level = object(levelEntry, `categorical "${field}" levels[${l}]`);
			if (typeof level.level !== 'string') fail(`categorical "${field}" levels[${l}].level must be a text, got ${describeValue(level.level)}`, level.level);
			return {
				level: level.level,
				coefficient: finite(level.coefficient, `categorical "${field}" level "${level.level}" coefficient`),
				share: finite(level.share, `categorical "${field}" level "${level.level}" share`),
			};
		});
		if (levels.length === 0) fail(`categorical "${field}" has no levels`);
		if (levels[0].coefficient !== 0) fail(`categorical "${field}" baseline level "${levels[0].level}" must have coefficient 0`, levels[0].coefficient);
		if (new Set(levels.map((l) => l.level)).size !== levels.length) fail(`categorical "${field}" has a level twice`);
		if (typeof term.missingLevel !== 'string' || !levels.some((l) => l.level === term.missingLevel)) {
			fail(`categorical "${field}" missingLevel ${describeValue(term.missingLevel)} is not one of its levels`, term.missingLevel);
		}
		return { field, levels, missingLevel: term.missingLevel };
	});
	if (numeric.length + categorical.length === 0) fail('it has no features');
	const l2 = finite(model.l2, 'l2');
	const trainingRows = finite(model.trainingRows, 'trainingRows');
	return {
		schema: MODEL_SCHEMA,
		version: MODEL_VERSION,
		target: text(model.target, 'target'),
		intercept: finite(model.intercept, 'intercept'),
		numeric,
		categorical,
		missingPolicy: policy,
		l2,
		trainingRows,
		averageLogOdds: finite(model.averageLogOdds, 'averageLogOdds'),
	};
}
