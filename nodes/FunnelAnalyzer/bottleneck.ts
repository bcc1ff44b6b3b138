/** The weakest step, by conversion, by people lost, and by change against a comparison. */
import { InputError, describeValue } from '../shared/errors';
import { unknownStagesError } from './stages';
import type { Bottleneck, FunnelOptions, FunnelResult, FunnelStep, StepRef } from './types';

export function percent(rate: number): string {
	return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/**
 * The step conversion rates of an earlier result, by step name, for options.compareWith
 * (e.g. last month's run against this month's).
 */
export function conversionRatesOf(previous: Pick<FunnelResult, 'steps'>): Record<string, number> {
	const rates: Record<string, number> = {};
	for (const step of previous.steps) if (step.conversionRate !== null) rates[step.name] = step.conversionRate;
	return rates;
}

/** Adds comparisonRate and changeVsComparison (in rate units, +0.05 = 5 points better) to each step. */
export function applyComparison(steps: FunnelStep[], compareWith: FunnelOptions['compareWith']): void {
	if (!compareWith) return;
	const rates = compareWith.conversionRates ?? {};
	const known = new Set(steps.map((s) => s.name));
	const unknown = new Map<string, number>();
	for (const [name, rate] of Object.entries(rates)) {
		if (!known.has(name)) unknown.set(name, 0);
		else if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
			throw new InputError(`Comparison rate for ${JSON.stringify(name)} is ${describeValue(rate)}; use a rate from 0 to 1`, {
				field: 'compareWith',
				value: rate,
			});
		}
	}
	if (unknown.size > 0) throw unknownStagesError(unknown, 'compareWith', [...known]);
	steps.forEach((step, i) => {
		if (i === steps.length - 1) return;
		const reference = rates[step.name];
		step.comparisonRate = reference ?? null;
		step.changeVsComparison = reference !== undefined && step.conversionRate !== null ? step.conversionRate - reference : null;
	});
}

function ref(steps: FunnelStep[], i: number): StepRef {
	const s = steps[i];
	const out: StepRef = {
		step: s.name,
		nextStep: steps[i + 1].name,
		conversionRate: s.conversionRate as number,
		dropOff: s.dropOff as number,
		entered: s.entered,
	};
	if (s.changeVsComparison !== undefined && s.changeVsComparison !== null) out.change = s.changeVsComparison;
	return out;
}

/** Index of the step with the smallest (or largest) value among steps that have one; ties go to the earlier step. */
function pick(steps: FunnelStep[], value: (s: FunnelStep) => number | null | undefined, smallest: boolean): number {
	let best = -1;
	let bestValue = 0;
	steps.forEach((s, i) => {
		const v = value(s);
		if (v === null || v === undefined || i === steps.length - 1) return;
		if (best < 0 || (smallest ? v < bestValue : v > bestValue)) {
			best = i;
			bestValue = v;
		}
	});
	return best;
}

export function findBottleneck(steps: FunnelStep[], comparisonLabel?: string): Bottleneck {
	const withRate = (s: FunnelStep) => (s.conversionRate === null ? null : s.conversionRate);
	const conversion = pick(steps, withRate, true);
	const dropOff = pick(steps, (s) => (s.conversionRate === null ? null : s.dropOff), false);
	const change = pick(steps, (s) => s.changeVsComparison, true);
	const byConversion = conversion >= 0 ? ref(steps, conversion) : null;
	const byDropOff = dropOff >= 0 ? ref(steps, dropOff) : null;
	const byChange = change >= 0 ? ref(steps, change) : null;
	return { byConversion, byDropOff, byChange, sentence: sentence(byConversion, byDropOff, byChange, comparisonLabel) };
}

function sentence(conversion: StepRef | null, dropOff: StepRef | null, change: StepRef | null, label?: string): string {
	if (!conversion || !dropOff) return 'No step has entries to compare, so there is no bottleneck to report.';
	const arrow = (r: StepRef) => `${r.step} → ${r.nextStep}`;
	let text = `The weakest step is ${arrow(conversion)}: ${percent(conversion.conversionRate)} move on (${conversion.dropOff} of ${conversion.entered} drop out)`;
	text +=
		dropOff.step === conversion.step
			? ', which is also where most are lost'
			: `; most are lost at ${arrow(dropOff)} (${dropOff.dropOff} of ${dropOff.entered})`;
	if (change && change.change !== undefined) {
		const points = Math.round(Math.abs(change.change) * 1000) / 10;
		text +=
			change.change < 0
				? `; against ${label ?? 'the comparison'}, ${arrow(change)} fell most (${percent(change.conversionRate)}, ${points} points lower)`
				: `; against ${label ?? 'the comparison'}, no step is lower`;
	}
	return `${text}.`;
}
