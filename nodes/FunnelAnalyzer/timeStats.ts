/** Summaries of time samples: median, mean and 90th percentile. */
import type { TimeStats, TimeUnit } from './types';

export const MS_PER_UNIT: Record<TimeUnit, number> = {
	days: 86_400_000,
	hours: 3_600_000,
	minutes: 60_000,
	seconds: 1_000,
};

/**
 * Quantile of sorted data by linear interpolation between closest ranks: Hyndman & Fan (1996)
 * definition 7, the default of numpy.percentile, R's quantile() and Excel PERCENTILE.INC.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
	const h = (sorted.length - 1) * p;
	const lo = Math.floor(h);
	const hi = Math.min(lo + 1, sorted.length - 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median, mean and p90 of millisecond samples, in the given unit; null when there are none. */
export function summarizeTimes(samplesMs: number[], unit: TimeUnit): TimeStats | null {
	if (samplesMs.length === 0) return null;
	const sorted = Float64Array.from(samplesMs).sort();
	let sum = 0;
	for (const value of sorted) sum += value;
	const scale = MS_PER_UNIT[unit];
	return {
		median: quantileSorted(sorted, 0.5) / scale,
		mean: sum / sorted.length / scale,
		p90: quantileSorted(sorted, 0.9) / scale,
		count: sorted.length,
	};
}
