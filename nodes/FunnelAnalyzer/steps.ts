/** Turns a tally into the per-step table: rates, drop-off and time summaries. */
import type { Tally } from './tally';
import { summarizeTimes } from './timeStats';
import type { FunnelStep, TimeUnit } from './types';

/** Division that gives null instead of NaN/Infinity when nobody entered. */
export function ratio(part: number, whole: number): number | null {
	return whole > 0 ? part / whole : null;
}

export function buildSteps(names: string[], tally: Tally, unit: TimeUnit): FunnelStep[] {
	const first = tally.steps[0]?.entered ?? 0;
	return names.map((name, i) => {
		const step = tally.steps[i];
		const isLast = i === names.length - 1;
		const converted = isLast ? null : step.converted;
		const row: FunnelStep = {
			name,
			entered: step.entered,
			converted,
			conversionRate: converted === null ? null : ratio(converted, step.entered),
			overallConversion: ratio(step.entered, first),
			dropOff: converted === null ? null : step.entered - converted,
			dropOffRate: converted === null ? null : ratio(step.entered - converted, step.entered),
		};
		if (tally.hasTimes) {
			const times = isLast ? null : summarizeTimes(step.timesToNext, unit);
			row.medianTimeToNext = times?.median ?? null;
			row.meanTimeToNext = times?.mean ?? null;
			row.p90TimeToNext = times?.p90 ?? null;
		}
		if (tally.hasStageTimes) row.averageTimeInStage = summarizeTimes(step.timesInStage, unit)?.mean ?? null;
		return row;
	});
}
