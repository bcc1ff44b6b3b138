/**
 * Planning stage moves: for each record, where should it go, and may it? Pure: records in,
 * decisions out; writing them (to a sheet, or to the items) is the caller's business.
 */
import { InputError, describeValue } from '../shared/errors';
import type { DateFormat } from '../shared/dates';
import { definePipeline, listStages, resolveStage, stageKey, type Pipeline, type PipelineDefinition } from './pipeline';
import { defineRules, firstMatchingRule, type RuleDefinition, type StageRule } from './rules';
import { checkMove, isBlank, type RejectionReason } from './transitions';

export type StageRecord = Record<string, unknown>;

export interface MovedStage {
	outcome: 'moved';
	key: string;
	from: string | null;
	to: string;
	/** The rule name or the reason given with the move (written to StageHistory). */
	reason: string;
	/** Win probability of the new stage. */
	probability: number;
}

export interface UnchangedStage {
	outcome: 'unchanged';
	key: string;
	stage: string | null;
	reason: string;
}

export interface RejectedMove {
	outcome: 'rejected';
	rejected: true;
	key: string;
	from: string | null;
	to: string | null;
	reason: RejectionReason;
	detail: string;
}

export type StageMove = MovedStage | UnchangedStage | RejectedMove;

export interface PlanOptions {
	/** "Now" for date conditions (older than / within N days). Default: the current time. */
	now?: Date | number;
	/** Field holding the record's key. Default 'id'. */
	keyField?: string;
	/** Field holding the record's stage. Default 'stage'. */
	stageField?: string;
	/** How date cells are written (see nodes/shared/dates.ts). Default 'auto'. */
	dateFormat?: DateFormat;
}

export function nowMs(now: Date | number | undefined): number {
	const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
	if (!Number.isFinite(ms)) throw new InputError(`"now" is not a valid time: ${describeValue(now)}`, { field: 'now', value: now });
	return ms;
}

/** The record's current stage as the pipeline spells it; null for an empty cell; undefined when not a stage. */
function currentStage(pipeline: Pipeline, value: unknown): string | null | undefined {
	if (isBlank(value)) return null;
	return resolveStage(pipeline, typeof value === 'string' ? value : String(value));
}

/**
 * Decides one move of `record` (key `key`, stage in `stageField`) to `target`. Unknown stage
 * names are rejections, not errors: one badly typed cell must not stop the other records.
 */
export function decideMove(
	pipeline: Pipeline,
	record: StageRecord,
	key: string,
	stageField: string,
	target: unknown,
	reason: string | undefined,
): StageMove {
	const fromValue = record[stageField];
	const from = currentStage(pipeline, fromValue);
	const to = isBlank(target) ? undefined : resolveStage(pipeline, String(target));
	if (from === undefined) {
		return reject(key, null, to ?? null, 'unknown stage', `The current stage ${describeValue(fromValue)} is not a stage of the pipeline (${listStages(pipeline)})`);
	}
	if (to === undefined) {
		const what = isBlank(target) ? 'No target stage was given' : `The target stage ${describeValue(target)} is not a stage of the pipeline (${listStages(pipeline)})`;
		return reject(key, from, null, 'unknown stage', what);
	}
	if (from === to) return { outcome: 'unchanged', key, stage: from, reason: `already in "${to}"` };
	const rejection = checkMove(pipeline, record, from, to, reason);
	if (rejection) return reject(key, from, to, rejection.reason, rejection.detail);
	const probability = pipeline.byName.get(stageKey(to))?.probability ?? 0;
	return { outcome: 'moved', key, from, to, reason: reason?.trim() || `moved to "${to}"`, probability };
}

/** Decides the move a rule asks for, or "unchanged" when no rule matches. */
export function decideRuleMove(
	pipeline: Pipeline,
	rules: StageRule[],
	record: StageRecord,
	key: string,
	stageField: string,
	context: { nowMs: number; dateFormat: DateFormat; row: number },
): StageMove {
	const rule = firstMatchingRule(rules, record, context);
	if (!rule) {
		const stage = currentStage(pipeline, record[stageField]);
		return { outcome: 'unchanged', key, stage: stage ?? null, reason: 'no rule matched' };
	}
	return decideMove(pipeline, record, key, stageField, rule.moveTo, rule.name);
}

/**
 * The library entry point: applies the first matching rule to every record.
 * `planStageMoves(records, pipeline, rules, { now })` → one decision per record, in order.
 * Records must have unique, non-empty keys (duplicates are reported, never guessed).
 */
export function planStageMoves(
	records: StageRecord[],
	pipelineDefinition: PipelineDefinition,
	ruleDefinitions: RuleDefinition[],
	options: PlanOptions = {},
): StageMove[] {
	const pipeline = definePipeline(pipelineDefinition);
	const rules = defineRules(ruleDefinitions, pipeline);
	const keyField = options.keyField ?? 'id';
	const stageField = options.stageField ?? 'stage';
	const context = { nowMs: nowMs(options.now), dateFormat: options.dateFormat ?? 'auto', row: 0 };
	const keys = recordKeys(records, keyField);
	return records.map((record, row) => {
		context.row = row;
		return decideRuleMove(pipeline, rules, record, keys[row], stageField, context);
	});
}

/** The records' keys as text; throws for an empty or duplicate key naming both rows. */
export function recordKeys(records: StageRecord[], keyField: string): string[] {
	const seen = new Map<string, number>();
	return records.map((record, row) => {
		const key = recordKey(record, keyField, row);
		const first = seen.get(key);
		if (first !== undefined) {
			throw new InputError(`Items ${first} and ${row}: the key "${keyField}" ${describeValue(key)} appears twice`, {
				row,
				field: keyField,
				value: key,
			});
		}
		seen.set(key, row);
		return key;
	});
}

/** One record's key as text; throws when the field is missing or empty. */
export function recordKey(record: StageRecord, keyField: string, row: number): string {
	const value = record[keyField];
	if (isBlank(value) || (typeof value !== 'string' && typeof value !== 'number')) {
		throw new InputError(`Item ${row}: the key field "${keyField}" is ${isBlank(value) ? 'empty' : describeValue(value)}`, {
			row,
			field: keyField,
			value,
		});
	}
	return String(value).trim();
}

/**
 * Applies "moved" decisions to copies of the records (new stage and stageChangedAt); others are
 * returned as they were. Used by the pure mode, and as the model of what the sheet write does.
 */
export function applyStageMoves(
	records: StageRecord[],
	moves: StageMove[],
	options: { stageField?: string; changedAtField?: string; changedAt: string },
): StageRecord[] {
	const stageField = options.stageField ?? 'stage';
	const changedAtField = options.changedAtField ?? 'stageChangedAt';
	return records.map((record, i) => {
		const move = moves[i];
		if (move?.outcome !== 'moved') return record;
		return { ...record, [stageField]: move.to, [changedAtField]: options.changedAt };
	});
}

function reject(key: string, from: string | null, to: string | null, reason: RejectionReason, detail: string): RejectedMove {
	return { outcome: 'rejected', rejected: true, key, from, to, reason, detail };
}
