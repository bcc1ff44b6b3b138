/** analyzeFunnel: one entry point for the three input modes. */
import { InputError } from '../shared/errors';
import { applyComparison, findBottleneck } from './bottleneck';
import { tallyCounts } from './counts';
import { tallyEvents } from './events';
import { tallyRecords } from './records';
import { analyzeSegments } from './segments';
import { buildSteps, ratio } from './steps';
import type { ModeResult } from './tally';
import { MS_PER_UNIT } from './timeStats';
import type { FunnelInput, FunnelOptions, FunnelResult, PipelineMetrics } from './types';

/**
 * Analyzes a funnel from stage counts, records with a current stage, or an event log.
 * @example analyzeFunnel({ counts: { Lead: 100, Quote: 70, Negotiation: 50, Won: 30 } }).steps[1].conversionRate // 50 / 70
 */
export function analyzeFunnel(input: FunnelInput, options: FunnelOptions = {}): FunnelResult {
	const unit = options.timeUnit ?? 'days';
	if (!(unit in MS_PER_UNIT)) throw new InputError(`Unknown time unit ${JSON.stringify(unit)}`, { field: 'timeUnit', value: unit });
	let mode: FunnelResult['mode'];
	let tallied: ModeResult;
	let pipeline: PipelineMetrics | null = null;
	if ('counts' in input) {
		mode = 'counts';
		tallied = tallyCounts(input.counts, options);
	} else if ('records' in input) {
		mode = 'records';
		const result = tallyRecords(input.records, options);
		tallied = result;
		pipeline = result.pipeline;
	} else if ('events' in input) {
		mode = 'events';
		tallied = tallyEvents(input.events, options);
	} else {
		throw new InputError('Give the funnel as { counts }, { records } or { events }', { field: 'input' });
	}
	const { names, overall, bySegment, warnings } = tallied;
	const steps = buildSteps(names, overall, unit);
	applyComparison(steps, options.compareWith);
	const bottleneck = findBottleneck(steps, options.compareWith?.label);
	const result: FunnelResult = {
		mode,
		steps,
		overallConversion: ratio(overall.steps[names.length - 1].entered, overall.steps[0].entered),
		timeUnit: unit,
		bottleneck,
		warnings,
	};
	if (bySegment) result.segments = analyzeSegments(names, bySegment, unit, options, options.segmentField ?? 'segment');
	if (pipeline) result.pipeline = pipeline;
	return result;
}
