/**
 * Breakdown by segment (lead source, campaign...): each segment's step table, and per step
 * whether the conversion to the next step differs between segments.
 *
 * - Chi-square test of independence on the segments × (converted, not converted) table:
 *   Pearson's X² = Σ (O - E)² / E, df = segments - 1, without Yates' continuity correction
 *   (Pearson 1900; scipy.stats.chi2_contingency(correction=False)).
 * - Two-proportion z-test of each segment against the baseline segment, pooled variance:
 *   z = (p1 - p0) / sqrt(p(1 - p)(1/n1 + 1/n0)), p = (x1 + x0) / (n1 + n0), two-sided
 *   p-value 2·(1 - Φ(|z|)), computed as P(χ²₁ > z²) (e.g. Agresti, Categorical Data Analysis, 3rd ed., §2.1.3).
 * - Small segments: a segment whose expected converted or not-converted count at a step,
 *   n × pooled rate or n × (1 - pooled rate), is below 5 (Cochran's rule) is flagged and left
 *   out of that step's tests; the pooled rate is that of all segments at the step.
 */
import { chiSquareSurvival } from '../shared/distributions';
import { InputError } from '../shared/errors';
import { buildSteps } from './steps';
import type { Tally } from './tally';
import type { FunnelOptions, SegmentBreakdown, SegmentComparison, SegmentStepTest, TimeUnit } from './types';

export const MIN_EXPECTED = 5;

export interface ChiSquareResult {
	chiSquare: number;
	degreesOfFreedom: number;
	pValue: number;
}

/** Pearson chi-square of independence for rows of (converted, entered); null if a column is empty. */
export function chiSquareIndependence(rows: Array<{ converted: number; entered: number }>): ChiSquareResult | null {
	const total = rows.reduce((s, r) => s + r.entered, 0);
	const convertedTotal = rows.reduce((s, r) => s + r.converted, 0);
	if (rows.length < 2 || convertedTotal === 0 || convertedTotal === total) return null;
	const pooled = convertedTotal / total;
	let chiSquare = 0;
	for (const r of rows) {
		const expectedYes = r.entered * pooled;
		const expectedNo = r.entered - expectedYes;
		chiSquare += (r.converted - expectedYes) ** 2 / expectedYes + (r.entered - r.converted - expectedNo) ** 2 / expectedNo;
	}
	const degreesOfFreedom = rows.length - 1;
	return { chiSquare, degreesOfFreedom, pValue: chiSquareSurvival(chiSquare, degreesOfFreedom) };
}

/** Two-sided pooled two-proportion z-test of x1/n1 against x0/n0; null when the pooled rate is 0 or 1. */
export function twoProportionZTest(x1: number, n1: number, x0: number, n0: number): { z: number; pValue: number } | null {
	const pooled = (x1 + x0) / (n1 + n0);
	if (!(pooled > 0 && pooled < 1)) return null;
	const z = (x1 / n1 - x0 / n0) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
	// 2·(1 - Φ(|z|)) = P(χ²₁ > z²) (χ²₁ is the square of a standard normal, A&S 26.4.4).
	return { z, pValue: chiSquareSurvival(z * z, 1) };
}

/** Whether a segment of n entries is too small to test at a step whose pooled rate is `pooled`. */
export function isSmall(n: number, pooled: number): boolean {
	return n * pooled < MIN_EXPECTED || n * (1 - pooled) < MIN_EXPECTED;
}

export function analyzeSegments(
	names: string[],
	bySegment: Map<string, Tally>,
	unit: TimeUnit,
	options: FunnelOptions,
	field: string,
): SegmentBreakdown {
	const labels = [...bySegment.keys()].sort();
	const segments = labels.map((segment) => {
		const steps = buildSteps(names, bySegment.get(segment) as Tally, unit);
		return { segment, steps, overallConversion: steps[steps.length - 1]?.overallConversion ?? null };
	});
	let baseline: string | null = null;
	if (options.baselineSegment !== undefined && options.baselineSegment !== '') {
		if (!bySegment.has(options.baselineSegment)) {
			throw new InputError(
				`Baseline segment ${JSON.stringify(options.baselineSegment)} does not occur in "${field}"; segments found: ${labels.map((l) => JSON.stringify(l)).join(', ')}`,
				{ field: 'baselineSegment', value: options.baselineSegment },
			);
		}
		baseline = options.baselineSegment;
	} else if (labels.length > 0) {
		// The largest segment at step 1: its rate is the most precise yardstick.
		baseline = labels.reduce((best, s) => (entered(bySegment, s, 0) > entered(bySegment, best, 0) ? s : best), labels[0]);
	}
	const tests: SegmentStepTest[] = [];
	for (let i = 0; i + 1 < names.length; i++) tests.push(testStep(names, i, labels, bySegment, baseline));
	return { field, baseline, segments, tests };
}

function entered(bySegment: Map<string, Tally>, segment: string, step: number): number {
	return (bySegment.get(segment) as Tally).steps[step].entered;
}

function testStep(names: string[], i: number, labels: string[], bySegment: Map<string, Tally>, baseline: string | null): SegmentStepTest {
	const cell = (s: string) => (bySegment.get(s) as Tally).steps[i];
	const active = labels.filter((s) => cell(s).entered > 0);
	const invalid = active.filter((s) => cell(s).converted > cell(s).entered);
	const total = active.reduce((sum, s) => sum + cell(s).entered, 0);
	const pooled = total > 0 ? active.reduce((sum, s) => sum + cell(s).converted, 0) / total : 0;
	const smallSegments = active.filter((s) => !invalid.includes(s) && isSmall(cell(s).entered, pooled));
	const tested = active.filter((s) => !invalid.includes(s) && !smallSegments.includes(s));
	const chi = invalid.length > 0 ? null : chiSquareIndependence(tested.map((s) => cell(s)));
	const rate = (s: string) => (cell(s).entered > 0 ? cell(s).converted / cell(s).entered : null);
	const comparisons: SegmentComparison[] = labels
		.filter((s) => s !== baseline)
		.map((segment) => {
			const base: SegmentComparison = {
				segment,
				conversionRate: rate(segment),
				baselineConversionRate: baseline === null ? null : rate(baseline),
				difference: null,
				z: null,
				pValue: null,
				tested: false,
			};
			if (base.conversionRate !== null && base.baselineConversionRate !== null) {
				base.difference = base.conversionRate - base.baselineConversionRate;
			}
			if (baseline === null || !tested.includes(segment) || !tested.includes(baseline)) {
				base.reason = invalid.length > 0 ? 'counts grow down the funnel' : 'too small to test (expected count below 5)';
				if (cell(segment).entered === 0) base.reason = 'nobody entered this step';
				return base;
			}
			const a = cell(segment);
			const b = cell(baseline);
			const z = twoProportionZTest(a.converted, a.entered, b.converted, b.entered);
			if (!z) {
				base.reason = 'everyone or no one converted in both segments';
				return base;
			}
			return { ...base, z: z.z, pValue: z.pValue, tested: true };
		});
	return {
		step: names[i],
		nextStep: names[i + 1],
		chiSquare: chi?.chiSquare ?? null,
		degreesOfFreedom: chi?.degreesOfFreedom ?? null,
		pValue: chi?.pValue ?? null,
		testedSegments: tested,
		smallSegments,
		comparisons,
	};
}
