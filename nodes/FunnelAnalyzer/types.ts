/**
 * The shapes going in and out of analyzeFunnel. Inputs are loose (values straight from a
 * sheet); outputs are plain JSON with null where a metric is undefined, never NaN.
 */
import type { DateFormat } from '../shared/dates';

/** Mode 1: one count per stage (the seed's table), optionally split by a segment. */
export interface StageCount {
	stage: string;
	count: unknown;
	segment?: unknown;
}

/** Mode 2: one lead or deal with its current stage. */
export interface FunnelRecord {
	id?: unknown;
	stage: unknown;
	/** Won / lost / open, matched case-insensitively against options.wonValues / lostValues. */
	status?: unknown;
	amount?: unknown;
	createdAt?: unknown;
	closedAt?: unknown;
	/** Date the record entered each stage, keyed by stage name ("date entered <stage>" columns). */
	stageDates?: Record<string, unknown>;
	segment?: unknown;
}

/** Mode 3: one event of an event log or stage history. */
export interface FunnelEvent {
	entityId: unknown;
	step: unknown;
	timestamp: unknown;
	/** Other fields of the event; the segment is read from the first step's properties. */
	properties?: Record<string, unknown>;
}

export type FunnelInput = { counts: StageCount[] | Record<string, unknown> } | { records: FunnelRecord[] } | { events: FunnelEvent[] };

export type TimeUnit = 'days' | 'hours' | 'minutes' | 'seconds';

export interface FunnelOptions {
	/** Stage / step names in funnel order. Required for records and events; counts default to input order. */
	stages?: string[];
	/** Format of every date and timestamp (default 'auto'). */
	dateFormat?: DateFormat;
	/** Unit of the time-to-next-step and days-in-stage outputs (default 'days'). */
	timeUnit?: TimeUnit;

	// Records mode
	/** 'currentStage': a record at stage k reached stages 1..k (default); 'entryDates': only stages with an entry date, plus its current stage. */
	reachedBy?: 'currentStage' | 'entryDates';
	/** Current-stage values that are not funnel stages (e.g. "Closed Lost"): not counted by current stage, no error. */
	ignoreStages?: string[];
	/** Status values meaning won / lost (case-insensitive). Defaults: won, closed won / lost, closed lost. */
	wonValues?: string[];
	lostValues?: string[];
	/** Instant (epoch ms) up to which open records' time in their current stage is counted; without it only finished stays count. */
	asOf?: number;
	/** Probability that an open deal in each stage is won, by stage name (0..1). Missing stages use the historical rate. */
	stageProbabilities?: Record<string, number>;

	// Events mode
	/** Conversion window from the first step, in milliseconds (default: no window). */
	conversionWindowMs?: number;
	/** 'strict': steps must happen in the given order (other events may happen in between); 'any': after step 1, in any order. */
	order?: 'strict' | 'any';
	/** Events that disqualify an attempt when they happen after step 1 while the attempt is open. */
	exclusionSteps?: string[];
	/** 'first': only each entity's first entry into step 1 counts; 'reentry': it may enter again after converting or after its window ends. */
	entry?: 'first' | 'reentry';
	/** Property of the first step's event (events) or record/count field to break down by. */
	segmentField?: string;

	// Breakdown
	/** Segment the others are compared with (default: the one with most entries at step 1). */
	baselineSegment?: string;

	// Comparison
	compareWith?: { label: string; conversionRates: Record<string, number> };
}

export interface TimeStats {
	median: number;
	mean: number;
	p90: number;
	count: number;
}

export interface FunnelStep {
	name: string;
	/** How many reached this step. */
	entered: number;
	/** How many of them reached the next step (null at the last step). */
	converted: number | null;
	/** converted / entered (null at the last step, or when nobody entered). */
	conversionRate: number | null;
	/** entered / entered at step 1. */
	overallConversion: number | null;
	dropOff: number | null;
	dropOffRate: number | null;
	medianTimeToNext?: number | null;
	meanTimeToNext?: number | null;
	p90TimeToNext?: number | null;
	/** Records mode with entry dates: average time spent in the stage. */
	averageTimeInStage?: number | null;
	/** Conversion rate of the comparison (benchmark or previous period) and the change in rate. */
	comparisonRate?: number | null;
	changeVsComparison?: number | null;
}

export interface StepRef {
	step: string;
	nextStep: string;
	conversionRate: number;
	dropOff: number;
	entered: number;
	change?: number;
}

export interface Bottleneck {
	byConversion: StepRef | null;
	byDropOff: StepRef | null;
	byChange: StepRef | null;
	sentence: string;
}

export interface SegmentComparison {
	segment: string;
	conversionRate: number | null;
	baselineConversionRate: number | null;
	difference: number | null;
	z: number | null;
	pValue: number | null;
	tested: boolean;
	reason?: string;
}

export interface SegmentStepTest {
	step: string;
	nextStep: string;
	/** Pearson chi-square of independence (segments x converted/not), without Yates' correction. */
	chiSquare: number | null;
	degreesOfFreedom: number | null;
	pValue: number | null;
	testedSegments: string[];
	/** Segments with an expected count below 5 at this step: flagged, left out of the tests. */
	smallSegments: string[];
	comparisons: SegmentComparison[];
}

export interface SegmentBreakdown {
	field: string;
	baseline: string | null;
	segments: Array<{ segment: string; steps: FunnelStep[]; overallConversion: number | null }>;
	tests: SegmentStepTest[];
}

export interface PipelineMetrics {
	open: number;
	won: number;
	lost: number;
	winRate: number | null;
	averageSalesCycleDays: number | null;
	averageWonValue: number | null;
	openPipelineValue: number;
	weightedPipeline: number;
	stageProbabilities: Array<{ stage: string; probability: number | null; source: 'configured' | 'historical' | 'none' }>;
	/** (open deals x average won value x win rate) / average sales cycle days: value per day. */
	salesVelocityPerDay: number | null;
}

export interface FunnelResult {
	mode: 'counts' | 'records' | 'events';
	steps: FunnelStep[];
	/** Entered at the last step / entered at the first. */
	overallConversion: number | null;
	timeUnit: TimeUnit;
	bottleneck: Bottleneck;
	segments?: SegmentBreakdown;
	pipeline?: PipelineMetrics;
	warnings: string[];
}
