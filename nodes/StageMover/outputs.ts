/**
 * What the Stage Mover's output items look like: the incoming item's fields, the new stage where
 * it moved, and a `stageMove` (or `staleCheck`) object saying what happened and why.
 */
import type { ItemDecision } from './board';
import type { StageRecord } from './plan';
import type { StaleCheck } from './stale';

/** Output index: 0 moved (or stale), 1 unchanged (or fresh), 2 rejected. */
export type OutputIndex = 0 | 1 | 2;

export interface OutputSettings {
	stageField: string;
	changedAtField: string;
	changedAt: string;
	dryRun: boolean;
}

export function moveOutput(json: StageRecord, decision: ItemDecision, settings: OutputSettings): { output: OutputIndex; json: StageRecord } {
	const { move } = decision;
	if (move.outcome === 'moved') {
		const stageMove: StageRecord = {
			from: move.from,
			to: move.to,
			reason: move.reason,
			probability: move.probability,
			changedAt: settings.changedAt,
		};
		if (settings.dryRun) stageMove.dryRun = true;
		if (decision.replay) stageMove.alreadyApplied = true;
		const moved = settings.dryRun ? { ...json } : { ...json, [settings.stageField]: move.to, [settings.changedAtField]: settings.changedAt };
		return { output: 0, json: { ...moved, stageMove } };
	}
	if (move.outcome === 'unchanged') {
		return { output: 1, json: { ...json, stageMove: { stage: move.stage, reason: move.reason } } };
	}
	return { output: 2, json: { ...json, stageMove: { from: move.from, to: move.to, reason: move.reason, detail: move.detail } } };
}

export function staleOutput(json: StageRecord, check: StaleCheck): { output: OutputIndex; json: StageRecord } {
	const output: OutputIndex = check.outcome === 'stale' ? 0 : check.outcome === 'rejected' ? 2 : 1;
	const staleCheck: StageRecord = {
		stale: check.stale,
		stage: check.stage,
		daysInactive: check.daysInactive,
		staleAfterDays: check.staleAfterDays,
		lastActivityAt: check.lastActivityAt,
	};
	if (check.warning !== undefined) staleCheck.warning = check.warning;
	return { output, json: { ...json, staleCheck } };
}
