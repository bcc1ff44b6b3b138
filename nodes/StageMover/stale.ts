/**
 * Stale ("rotting") records, as Pipedrive defines them: a deal rots when it has had no activity
 * for more than the stage's allowed number of days. The last activity is the later of the
 * activity date and the date the record entered its stage (entering a stage is activity).
 * Whole days count: a stage with "stale after 14 days" flags a record once 14 full days passed.
 */
import { InputError, describeValue } from '../shared/errors';
import { MS_PER_DAY, parseOptionalDateMs, type DateFormat } from '../shared/dates';
import { definePipeline, isClosed, listStages, resolveStage, stageKey, type Pipeline, type PipelineDefinition } from './pipeline';
import { nowMs, recordKey, type StageRecord } from './plan';
import { isBlank } from './transitions';

export interface StaleOptions {
	now?: Date | number;
	keyField?: string;
	stageField?: string;
	/** Field with the date of the last activity (email, call, reply). Default 'lastActivityAt'. */
	activityField?: string;
	/** Field with the date the record entered its stage. Default 'stageChangedAt'. */
	changedAtField?: string;
	dateFormat?: DateFormat;
}

export interface StaleCheck {
	/** 'stale', 'fresh', 'unknown' (no date to tell from) or 'rejected' (the stage is not in the pipeline). */
	outcome: 'stale' | 'fresh' | 'unknown' | 'rejected';
	key: string;
	stage: string | null;
	stale: boolean | null;
	/** Whole days since the last activity; null without any date. */
	daysInactive: number | null;
	staleAfterDays: number | null;
	/** The last activity as ISO 8601 UTC; null without any date. */
	lastActivityAt: string | null;
	warning?: string;
}

/** Checks one record; `row` is its item index (for date errors). */
export function checkStale(pipeline: Pipeline, record: StageRecord, row: number, options: Required<Omit<StaleOptions, 'now'>> & { nowMs: number }): StaleCheck {
	const key = recordKey(record, options.keyField, row);
	const stageValue = record[options.stageField];
	const stage = isBlank(stageValue) ? null : resolveStage(pipeline, String(stageValue));
	if (stage === undefined) {
		return {
			outcome: 'rejected',
			key,
			stage: null,
			stale: null,
			daysInactive: null,
			staleAfterDays: null,
			lastActivityAt: null,
			warning: `The stage ${describeValue(stageValue)} is not a stage of the pipeline (${listStages(pipeline)})`,
		};
	}
	const staleAfterDays = stage === null || isClosed(pipeline, stage) ? null : (pipeline.byName.get(stageKey(stage))?.staleAfterDays ?? null);
	const dates = [options.activityField, options.changedAtField]
		.map((field) => parseOptionalDateMs(record[field], options.dateFormat, { row, field }))
		.filter((ms): ms is number => ms !== null);
	if (dates.length === 0) {
		const base = { key, stage, daysInactive: null, staleAfterDays, lastActivityAt: null };
		if (staleAfterDays === null) return { outcome: 'fresh', stale: false, ...base };
		return {
			outcome: 'unknown',
			stale: null,
			...base,
			warning: `No "${options.activityField}" or "${options.changedAtField}" date: cannot tell how long it has been inactive`,
		};
	}
	const last = Math.max(...dates);
	// A future date (clock skew, typo) counts as "active now", never as negative days.
	const daysInactive = Math.max(0, Math.floor((options.nowMs - last) / MS_PER_DAY));
	const stale = staleAfterDays !== null && daysInactive >= staleAfterDays;
	return {
		outcome: stale ? 'stale' : 'fresh',
		key,
		stage,
		stale,
		daysInactive,
		staleAfterDays,
		lastActivityAt: new Date(last).toISOString(),
	};
}

/** Flags every record; one check per record, in order. */
export function flagStale(records: StageRecord[], pipelineDefinition: PipelineDefinition, options: StaleOptions = {}): StaleCheck[] {
	const pipeline = definePipeline(pipelineDefinition);
	const resolved = resolveStaleOptions(options);
	return records.map((record, row) => checkStale(pipeline, record, row, resolved));
}

export function resolveStaleOptions(options: StaleOptions): Required<Omit<StaleOptions, 'now'>> & { nowMs: number } {
	for (const name of ['keyField', 'stageField', 'activityField', 'changedAtField'] as const) {
		const value = options[name];
		if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
			throw new InputError(`The option "${name}" must be a field name, not ${describeValue(value)}`, { field: name, value });
		}
	}
	return {
		nowMs: nowMs(options.now),
		keyField: options.keyField ?? 'id',
		stageField: options.stageField ?? 'stage',
		activityField: options.activityField ?? 'lastActivityAt',
		changedAtField: options.changedAtField ?? 'stageChangedAt',
		dateFormat: options.dateFormat ?? 'auto',
	};
}
