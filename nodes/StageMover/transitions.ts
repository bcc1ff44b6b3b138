/**
 * Which stage moves the pipeline allows, and what a record must carry to make them.
 *
 * Allowed moves (Pipedrive/HubSpot defaults, tightened to a written rule):
 * - from an open stage forward one step (the step after the last open stage is "won");
 * - from any open stage to "lost";
 * - with allowSkipping: forward over stages (including straight to "won");
 * - with allowMovingBack: to an earlier open stage, and reopening a won/lost record to any open stage;
 * - a record with an empty stage (not in the pipeline yet) may enter the first stage, or any open
 *   stage with allowSkipping;
 * - won ↔ lost is never allowed directly (reopen first).
 * Required fields are cumulative: entering a stage needs the fields of that stage and of every
 * stage before it (entering Negotiation needs Proposal's `amount` too), so skipping cannot dodge
 * them. Entering "lost" needs only lost's own fields.
 */
import { isClosed, stageKey, type Pipeline } from './pipeline';

export type RejectionReason = 'transition not allowed' | 'missing required field' | 'unknown stage' | 'conflict' | 'not found';

export interface Rejection {
	reason: RejectionReason;
	/** A sentence for people: what was wrong and with which stage/field. */
	detail: string;
}

/** A cell counts as filled unless it is missing, null or only whitespace (0 and false are values). */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Is `from → to` allowed by the pipeline's transition rules? Both are resolved stage names; from null = no stage yet. */
export function isTransitionAllowed(pipeline: Pipeline, from: string | null, to: string): boolean {
	if (from === to) return true;
	const { lostStage, rank, allowSkipping, allowMovingBack } = pipeline;
	if (from === null) {
		// Entering the pipeline: the first open stage, or any open stage when skipping is allowed.
		const target = rank.get(to);
		return to !== pipeline.wonStage && to !== lostStage && target !== undefined && (target === 0 || allowSkipping);
	}
	if (isClosed(pipeline, from)) {
		return allowMovingBack && !isClosed(pipeline, to);
	}
	if (to === lostStage) return true;
	const step = (rank.get(to) as number) - (rank.get(from) as number);
	if (step === 1) return true;
	if (step > 1) return allowSkipping;
	return allowMovingBack;
}

/** The fields a record must have filled to enter `to` (see the cumulative rule above). */
export function requiredFieldsFor(pipeline: Pipeline, to: string): string[] {
	if (to === pipeline.lostStage) return pipeline.byName.get(stageKey(to))?.requiredFields ?? [];
	const target = pipeline.rank.get(to) as number;
	const fields = new Set<string>();
	for (const stage of pipeline.stages) {
		const rank = pipeline.rank.get(stage.name);
		if (rank !== undefined && rank <= target) stage.requiredFields.forEach((f) => fields.add(f));
	}
	return [...fields];
}

/**
 * Checks one move; null when it is allowed. `from` and `to` are resolved stage names
 * (unknown names are the caller's concern: it reports them as 'unknown stage').
 */
export function checkMove(
	pipeline: Pipeline,
	record: Record<string, unknown>,
	from: string | null,
	to: string,
	reason: string | undefined,
): Rejection | null {
	if (!isTransitionAllowed(pipeline, from, to)) {
		return { reason: 'transition not allowed', detail: `Moving from ${from === null ? 'no stage' : `"${from}"`} to "${to}" is not allowed by the pipeline${hint(pipeline, from, to)}` };
	}
	const missing = requiredFieldsFor(pipeline, to).filter((field) => isBlank(record[field]));
	if (missing.length > 0) {
		return {
			reason: 'missing required field',
			detail: `"${to}" needs ${missing.map((f) => `"${f}"`).join(', ')} filled in first`,
		};
	}
	if (pipeline.reasonRequiredOnClose && isClosed(pipeline, to) && isBlank(reason)) {
		return { reason: 'missing required field', detail: `Closing as "${to}" needs a reason` };
	}
	return null;
}

function hint(pipeline: Pipeline, from: string | null, to: string): string {
	if (from !== null && isClosed(pipeline, from)) return ' (closed records can only be reopened when "Allow Moving Back" is on)';
	if (from !== null && !isClosed(pipeline, to) && (pipeline.rank.get(to) as number) < (pipeline.rank.get(from) as number)) {
		return ' (moving back needs "Allow Moving Back")';
	}
	return ' (skipping stages needs "Allow Skipping")';
}
