/**
 * Frequentist tests on conversion counts: the pooled two-proportion z-test with a Newcombe
 * interval for the difference, Pearson's chi-square for several variants, and the sample size
 * per arm for a chosen minimum detectable effect and power.
 */
import { chiSquareSurvival, normalQuantile, normalSurvival } from '../shared/distributions';

export interface Proportion {
	trials: number;
	successes: number;
}

export interface TwoProportionTest {
	/** pB - pA. */
	difference: number;
	/** Pooled z statistic (pB - pA) / sqrt(p(1-p)(1/nA + 1/nB)), p the pooled rate. */
	zScore: number;
	/** Two-sided p-value 2·P(Z > |z|). */
	pValue: number;
}

/**
 * Pooled two-proportion z-test (Fleiss, Levin & Paik, Statistical Methods for Rates and
 * Proportions, 3rd ed., 2003, §2.5 / eq. 2.13 without continuity correction; the same z as
 * R's prop.test(correct = FALSE), whose chi-square equals z²). Null when the pooled rate is 0
 * or 1 (no variation: the test is undefined).
 */
export function twoProportionZTest(a: Proportion, b: Proportion): TwoProportionTest | null {
	const pA = a.successes / a.trials;
	const pB = b.successes / b.trials;
	const pooled = (a.successes + b.successes) / (a.trials + b.trials);
	const variance = pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials);
	if (!(variance > 0)) return null;
	const zScore = (pB - pA) / Math.sqrt(variance);
	return { difference: pB - pA, zScore, pValue: Math.min(1, 2 * normalSurvival(Math.abs(zScore))) };
}

/** Wilson score interval for one proportion (Wilson 1927; Newcombe 1998 method 3). */
export function wilsonInterval(p: Proportion, z: number): { lower: number; upper: number } {
	const n = p.trials;
	const rate = p.successes / n;
	const z2 = z * z;
	const centre = (rate + z2 / (2 * n)) / (1 + z2 / n);
	const halfWidth = (z / (1 + z2 / n)) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
	return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}

/**
 * Confidence interval for pB - pA by Newcombe's hybrid score method (Newcombe, Statistics in
 * Medicine 1998;17:873-890, method 10): it combines the two Wilson intervals and, unlike the
 * Wald interval, keeps its coverage with small counts and rates near 0 or 1.
 */
export function newcombeInterval(a: Proportion, b: Proportion, confidenceLevel: number): { lower: number; upper: number } {
	const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
	const pA = a.successes / a.trials;
	const pB = b.successes / b.trials;
	const wa = wilsonInterval(a, z);
	const wb = wilsonInterval(b, z);
	const difference = pB - pA;
	return {
		lower: difference - Math.sqrt((pB - wb.lower) ** 2 + (wa.upper - pA) ** 2),
		upper: difference + Math.sqrt((wb.upper - pB) ** 2 + (pA - wa.lower) ** 2),
	};
}

export interface ChiSquareTest {
	statistic: number;
	degreesOfFreedom: number;
	pValue: number;
}

/**
 * Pearson's chi-square test of equal conversion rates across k variants (2 x k table,
 * df = k - 1; Agresti, Categorical Data Analysis, 3rd ed., §3.2.1, eq. 3.10). Null when every
 * variant has the same all-or-nothing outcome (an expected count of 0).
 */
export function chiSquareTest(variants: Proportion[]): ChiSquareTest | null {
	const totalTrials = variants.reduce((s, v) => s + v.trials, 0);
	const totalSuccesses = variants.reduce((s, v) => s + v.successes, 0);
	const rate = totalSuccesses / totalTrials;
	if (!(rate > 0 && rate < 1)) return null;
	let statistic = 0;
	for (const v of variants) {
		const expectedSuccesses = v.trials * rate;
		const expectedFailures = v.trials * (1 - rate);
		statistic += (v.successes - expectedSuccesses) ** 2 / expectedSuccesses;
		statistic += (v.trials - v.successes - expectedFailures) ** 2 / expectedFailures;
	}
	const degreesOfFreedom = variants.length - 1;
	return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/**
 * Visitors per arm to detect a change from rate p1 to p2 with a two-sided test at level
 * `significanceLevel` and the given power (Fleiss, Levin & Paik 2003, eq. 4.14, without
 * continuity correction):
 *   n = [z(1-α/2)·sqrt(2·p̄(1-p̄)) + z(power)·sqrt(p1(1-p1) + p2(1-p2))]² / (p2 - p1)²,
 * p̄ = (p1 + p2)/2, rounded up.
 */
export function sampleSizePerArm(p1: number, p2: number, significanceLevel: number, power: number): number {
	const zAlpha = normalQuantile(1 - significanceLevel / 2);
	const zPower = normalQuantile(power);
	const mean = (p1 + p2) / 2;
	const root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	return Math.ceil((root * root) / ((p2 - p1) * (p2 - p1)));
}
