/**
 * What every input mode produces before the step table is built: per step, how many entered,
 * how many of those reached the next step, and (where dates exist) the time samples.
 */
export interface StepTally {
	entered: number;
	/** Of those who entered, how many also reached the next step (unused at the last step). */
	converted: number;
	/** Milliseconds from reaching this step to reaching the next, one per converted entity. */
	timesToNext: number[];
	/** Milliseconds spent in this stage (records with entry dates). */
	timesInStage: number[];
}

export interface Tally {
	steps: StepTally[];
	/** Whether time samples exist at all in this mode (null outputs otherwise). */
	hasTimes: boolean;
	hasStageTimes: boolean;
}

export function emptyTally(stepCount: number, hasTimes: boolean, hasStageTimes: boolean): Tally {
	return {
		steps: Array.from({ length: stepCount }, () => ({ entered: 0, converted: 0, timesToNext: [], timesInStage: [] })),
		hasTimes,
		hasStageTimes,
	};
}

/** The output of one input mode: step names, the overall tally and (optionally) one per segment. */
export interface ModeResult {
	names: string[];
	overall: Tally;
	bySegment: Map<string, Tally> | null;
	warnings: string[];
}
