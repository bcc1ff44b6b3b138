/**
 * Compare variants (A/B/n): each variant against the control by the pooled z-test (with a
 * Newcombe interval), by Beta-posterior P(variant > control) and expected loss; a chi-square
 * test across all variants when there are more than two; the sample size per arm for a chosen
 * minimum detectable effect; and one verdict sentence.
 */
import { InputError, describeValue } from '../shared/errors';
import { expectedLoss, probabilityBBeatsA, type ProbabilityMethod } from './bayesianAb';
import { formatPercent, formatWhole } from './format';
import { readCount, readName } from './values';
import { chiSquareTest, newcombeInterval, sampleSizePerArm, twoProportionZTest, type ChiSquareTest } from './proportionTests';

export interface VariantCounts {
	name: string;
	/** Visitors (or recipients, sessions...). */
	trials: number;
	/** Conversions among them. */
	successes: number;
}

export interface CompareVariantsOptions {
	/** Name of the control variant; default the first. */
	control?: string;
	/** Beta prior shared by all variants; default Beta(1, 1) (uniform). */
	priorAlpha?: number;
	priorBeta?: number;
	/** For the confidence interval and the sample size's significance level; default 0.95. */
	confidenceLevel?: number;
	/** Power for the sample size; default 0.8. */
	power?: number;
	/** Smallest change worth detecting; default 0.1 (a 10% relative lift). */
	minimumDetectableEffect?: number;
	/** 'relative' (0.1 = +10% of the control rate) or 'absolute' (0.01 = +1 percentage point). */
	effectType?: 'relative' | 'absolute';
}

export interface VariantComparison {
	variant: string;
	control: string;
	conversionRate: number;
	controlConversionRate: number;
	/** Variant rate minus control rate. */
	difference: number;
	/** difference / control rate; null when the control rate is 0. */
	relativeLift: number | null;
	zScore: number | null;
	pValue: number | null;
	confidenceInterval: { lower: number; upper: number; level: number; method: 'newcombe' };
	/** P(variant rate > control rate) under the Beta posteriors. */
	probabilityToBeatControl: number;
	probabilityMethod: ProbabilityMethod;
	/** Expected conversion-rate loss if the variant is chosen and is in fact worse. */
	expectedLossChoosingVariant: number;
	/** Expected conversion-rate loss if the control is kept and the variant is in fact better. */
	expectedLossKeepingControl: number;
}

export interface SampleSizePlan {
	baselineRate: number;
	targetRate: number;
	minimumDetectableEffect: number;
	effectType: 'relative' | 'absolute';
	power: number;
	significanceLevel: number;
	/** Visitors needed in every arm; null when the target rate is outside (0, 1). */
	perArm: number | null;
	/** Whether every arm already has that many visitors. */
	reached: boolean;
}

export interface VariantTestResult {
	control: string;
	variants: Array<{ variant: string; trials: number; successes: number; conversionRate: number }>;
	comparisons: VariantComparison[];
	/** Pearson chi-square across all variants; only with more than two, null when undefined. */
	chiSquare: ChiSquareTest | null;
	sampleSize: SampleSizePlan;
	verdict: string;
	warnings: string[];
}

/** One variant from loose item values (an expression may give text), checked; `row` is the item index. */
export function readVariant(name: unknown, visitors: unknown, conversions: unknown, row: number): VariantCounts {
	const variant = {
		name: readName(name, { row, field: 'Variant Name' }),
		trials: readCount(visitors, { row, field: 'Visitors' }),
		successes: readCount(conversions, { row, field: 'Conversions' }),
	};
	if (variant.successes > variant.trials) {
		throw new InputError(`Item ${row}: conversions (${variant.successes}) exceed visitors (${variant.trials}) for variant ${describeValue(variant.name)}.`, {
			row,
			field: 'Conversions',
			value: variant.successes,
		});
	}
	return variant;
}

function optionInRange(value: number | undefined, fallback: number, field: string, low: number, high: number): number {
	const v = value ?? fallback;
	if (!(typeof v === 'number' && v > low && v < high)) {
		throw new InputError(`${field} must be between ${low} and ${high} (exclusive), got ${describeValue(value)}`, { field, value });
	}
	return v;
}

function checkVariants(variants: VariantCounts[]): void {
	if (variants.length < 2) {
		throw new InputError(`Compare variants needs at least two variants, got ${variants.length}.`, { field: 'variants' });
	}
	const seen = new Set<string>();
	variants.forEach((v, row) => {
		if (seen.has(v.name)) throw new InputError(`Item ${row}: variant name ${describeValue(v.name)} appears twice.`, { row, field: 'name', value: v.name });
		seen.add(v.name);
		if (!Number.isInteger(v.trials) || v.trials <= 0) {
			throw new InputError(`Item ${row}: trials must be a whole number above 0, got ${describeValue(v.trials)} (variant ${describeValue(v.name)}).`, { row, field: 'trials', value: v.trials });
		}
		if (!Number.isInteger(v.successes) || v.successes < 0) {
			throw new InputError(`Item ${row}: successes must be a whole number >= 0, got ${describeValue(v.successes)} (variant ${describeValue(v.name)}).`, { row, field: 'successes', value: v.successes });
		}
		if (v.successes > v.trials) {
			throw new InputError(`Item ${row}: successes (${v.successes}) exceed trials (${v.trials}) for variant ${describeValue(v.name)}.`, { row, field: 'successes', value: v.successes });
		}
	});
}

function compareOne(control: VariantCounts, variant: VariantCounts, prior: { alpha: number; beta: number }, confidenceLevel: number): VariantComparison {
	const posterior = (v: VariantCounts) => ({ alpha: prior.alpha + v.successes, beta: prior.beta + v.trials - v.successes });
	const a = posterior(control);
	const b = posterior(variant);
	const controlRate = control.successes / control.trials;
	const rate = variant.successes / variant.trials;
	const z = twoProportionZTest(control, variant);
	const bayes = probabilityBBeatsA(a, b);
	const loss = expectedLoss(a, b);
	return {
		variant: variant.name,
		control: control.name,
		conversionRate: rate,
		controlConversionRate: controlRate,
		difference: rate - controlRate,
		relativeLift: controlRate > 0 ? (rate - controlRate) / controlRate : null,
		zScore: z ? z.zScore : null,
		pValue: z ? z.pValue : null,
		confidenceInterval: { ...newcombeInterval(control, variant, confidenceLevel), level: confidenceLevel, method: 'newcombe' },
		probabilityToBeatControl: bayes.probability,
		probabilityMethod: bayes.method,
		expectedLossChoosingVariant: loss.choosingB,
		expectedLossKeepingControl: loss.keepingA,
	};
}

function planSampleSize(control: VariantCounts, variants: VariantCounts[], options: CompareVariantsOptions, confidenceLevel: number, power: number, warnings: string[]): SampleSizePlan {
	const effectType = options.effectType ?? 'relative';
	if (effectType !== 'relative' && effectType !== 'absolute') {
		throw new InputError(`Effect type must be "relative" or "absolute", got ${describeValue(effectType)}`, { field: 'effectType', value: effectType });
	}
	const effect = options.minimumDetectableEffect ?? 0.1;
	if (!(typeof effect === 'number' && effect > 0 && Number.isFinite(effect))) {
		throw new InputError(`Minimum detectable effect must be a number above 0, got ${describeValue(effect)}`, { field: 'minimumDetectableEffect', value: effect });
	}
	const baselineRate = control.successes / control.trials;
	const targetRate = effectType === 'relative' ? baselineRate * (1 + effect) : baselineRate + effect;
	// Rounded so 1 - 0.95 reads 0.05, not 0.050000000000000044.
	const significanceLevel = Number((1 - confidenceLevel).toPrecision(12));
	let perArm: number | null = null;
	if (baselineRate > 0 && targetRate < 1) perArm = sampleSizePerArm(baselineRate, targetRate, significanceLevel, power);
	else warnings.push(`Sample size undefined: the control rate is ${formatPercent(baselineRate)} and the target rate ${formatPercent(targetRate)}; both must be strictly between 0% and 100%.`);
	const reached = perArm !== null && variants.every((v) => v.trials >= perArm!);
	return { baselineRate, targetRate, minimumDetectableEffect: effect, effectType, power, significanceLevel, perArm, reached };
}

function describeEffect(plan: SampleSizePlan): string {
	return plan.effectType === 'relative'
		? `a ${formatPercent(plan.minimumDetectableEffect, 0)} lift`
		: `a ${Number((plan.minimumDetectableEffect * 100).toFixed(2))}-point change`;
}

function verdictFor(comparisons: VariantComparison[], plan: SampleSizePlan, chiSquare: ChiSquareTest | null): string {
	const best = comparisons.reduce((x, y) => (y.probabilityToBeatControl > x.probabilityToBeatControl ? y : x));
	const p = best.probabilityToBeatControl;
	let lead = `${best.variant} beats ${best.control} with ${formatPercent(p)} probability`;
	if (p < 0.5) {
		lead =
			comparisons.length === 1
				? `${best.control} beats ${best.variant} with ${formatPercent(1 - p)} probability`
				: `${best.control} beats every variant: the best of them, ${best.variant}, has a ${formatPercent(p)} chance of being better`;
	}
	const overall = chiSquare ? ` (chi-square across all variants: p = ${chiSquare.pValue.toPrecision(2)})` : '';
	const powerText = `${formatPercent(plan.power, 0)} power`;
	let tail = '';
	if (plan.perArm !== null) {
		tail = plan.reached
			? `; every arm has the ~${formatWhole(plan.perArm)} visitors needed for ${powerText} to detect ${describeEffect(plan)}`
			: `; for ${powerText} to detect ${describeEffect(plan)} keep going until ~${formatWhole(plan.perArm)} visitors per arm`;
	}
	return `${lead}${overall}${tail}.`;
}

/**
 * Compares each variant with the control.
 * @example compareVariants([{ name: 'A', trials: 1000, successes: 200 }, { name: 'B', trials: 1000, successes: 240 }]).comparisons[0].probabilityToBeatControl // 0.98454...
 */
export function compareVariants(variants: VariantCounts[], options: CompareVariantsOptions = {}): VariantTestResult {
	checkVariants(variants);
	const confidenceLevel = optionInRange(options.confidenceLevel, 0.95, 'confidenceLevel', 0, 1);
	const power = optionInRange(options.power, 0.8, 'power', 0, 1);
	const prior = {
		alpha: optionInRange(options.priorAlpha, 1, 'priorAlpha', 0, Infinity),
		beta: optionInRange(options.priorBeta, 1, 'priorBeta', 0, Infinity),
	};
	const controlName = options.control ?? variants[0].name;
	const control = variants.find((v) => v.name === controlName);
	if (!control) {
		throw new InputError(`Control variant ${describeValue(controlName)} is not among the variants (${variants.map((v) => v.name).join(', ')}).`, { field: 'control', value: controlName });
	}
	const warnings: string[] = [];
	const others = variants.filter((v) => v !== control);
	const comparisons = others.map((v) => compareOne(control, v, prior, confidenceLevel));
	for (const c of comparisons) {
		if (c.zScore === null) warnings.push(`z-test of ${c.variant} vs ${c.control} undefined: every visitor in both converted, or none did.`);
	}
	const chiSquare = variants.length > 2 ? chiSquareTest(variants) : null;
	if (variants.length > 2) {
		warnings.push('With several variants, some will look better by chance: compare p-values to 0.05 divided by the number of variants (Bonferroni).');
	}
	const sampleSize = planSampleSize(control, variants, options, confidenceLevel, power, warnings);
	return {
		control: control.name,
		variants: variants.map((v) => ({ variant: v.name, trials: v.trials, successes: v.successes, conversionRate: v.successes / v.trials })),
		comparisons,
		chiSquare,
		sampleSize,
		verdict: verdictFor(comparisons, sampleSize, chiSquare),
		warnings,
	};
}
