/**
 * Attribute conversions to channels with any of six models over the same journeys. Every
 * model hands out the total conversions and value: per-journey weights sum to 1 and the
 * rounding residue is given to the largest channel (see balanceToTotal), so the channels add
 * up to the total to within an ulp or two.
 */
import { MS_PER_DAY } from '../shared/dates';
import { InputError, describeValue } from '../shared/errors';
import { collapseRepeats, type Journey } from './journeys';
import { markovAttribution, transitionTable } from './markovAttribution';
import {
	firstTouchWeights,
	lastTouchWeights,
	linearWeights,
	positionBasedWeights,
	timeDecayWeights,
	type PositionWeights,
} from './ruleAttribution';

export type AttributionModel = 'firstTouch' | 'lastTouch' | 'linear' | 'positionBased' | 'timeDecay' | 'markov';

export const ATTRIBUTION_MODELS: readonly AttributionModel[] = ['firstTouch', 'lastTouch', 'linear', 'positionBased', 'timeDecay', 'markov'];

export interface AttributeOptions {
	/** Default: all six models. */
	models?: AttributionModel[];
	/** Position-based shares of the first and last touch; default 0.4 / 0.4. */
	positionWeights?: PositionWeights;
	/** Time-decay half-life in days for touch input with timestamps; default 7 (Google's default). */
	halfLifeDays?: number;
	/** Time-decay half-life in touches for path input (no timestamps); default 1. */
	halfLifeTouches?: number;
	/** Merge runs of the same channel ("a > a > b" -> "a > b") before attributing. Default false. */
	collapseRepeats?: boolean;
	includeRemovalEffects?: boolean;
	includeTransitionMatrix?: boolean;
}

export interface ChannelCredit {
	conversions: number;
	value: number;
	/** conversions / total conversions. */
	share: number;
}

export type ChannelCredits = Record<string, ChannelCredit>;

export interface AttributionTotals {
	journeys: number;
	convertingJourneys: number;
	conversions: number;
	value: number;
	nonConversions: number;
	channels: number;
}

export type AttributionResult = Partial<Record<AttributionModel, ChannelCredits>> & {
	/** Markov removal effect per channel: 1 - P(conversion without it) / P(conversion). */
	removalEffects?: Record<string, number>;
	/** Markov transition probabilities { from: { to: p } }, including (start), (conversion), (null). */
	transitionMatrix?: Record<string, Record<string, number>>;
	totals: AttributionTotals;
	warnings: string[];
};

function checkOptions(options: AttributeOptions): { models: AttributionModel[]; position: PositionWeights; halfLifeDays: number; halfLifeTouches: number } {
	const models = options.models ?? [...ATTRIBUTION_MODELS];
	if (models.length === 0) throw new InputError('Choose at least one attribution model.', { field: 'models' });
	for (const model of models) {
		if (!ATTRIBUTION_MODELS.includes(model)) {
			throw new InputError(`Unknown attribution model ${describeValue(model)}; use one of ${ATTRIBUTION_MODELS.join(', ')}.`, { field: 'models', value: model });
		}
	}
	const position = options.positionWeights ?? { first: 0.4, last: 0.4 };
	if (!(position.first >= 0 && position.last >= 0 && position.first + position.last <= 1 && position.first + position.last > 0)) {
		throw new InputError(
			`Position-based shares must be >= 0 with first + last between 0 and 1 (exclusive of 0), got first ${describeValue(position.first)}, last ${describeValue(position.last)}.`,
			{ field: 'positionWeights', value: position },
		);
	}
	const positive = (value: number | undefined, fallback: number, field: string) => {
		const v = value ?? fallback;
		if (!(v > 0 && Number.isFinite(v))) throw new InputError(`${field} must be a number above 0, got ${describeValue(value)}`, { field, value });
		return v;
	};
	return {
		models,
		position,
		halfLifeDays: positive(options.halfLifeDays, 7, 'halfLifeDays'),
		halfLifeTouches: positive(options.halfLifeTouches, 1, 'halfLifeTouches'),
	};
}

function checkJourneys(journeys: Journey[]): void {
	journeys.forEach((j, row) => {
		if (j.channels.length === 0) throw new InputError(`Item ${row}: empty journey (no channel touched).`, { row, field: 'path', value: j.channels });
		for (const [field, value] of [['conversions', j.conversions], ['value', j.value], ['nonConversions', j.nonConversions]] as const) {
			if (!(Number.isFinite(value) && value >= 0)) {
				throw new InputError(`Item ${row}: ${field} must be a number >= 0, got ${describeValue(value)}.`, { row, field, value });
			}
		}
	});
}

/** Ages of the touches (time before conversion): days with timestamps, else touches before the last. */
function touchAges(journey: Journey, out: Float64Array): boolean {
	const k = journey.channels.length;
	if (journey.touchTimes && journey.conversionTime !== undefined) {
		for (let i = 0; i < k; i++) out[i] = (journey.conversionTime - journey.touchTimes[i]) / MS_PER_DAY;
		return true;
	}
	for (let i = 0; i < k; i++) out[i] = k - 1 - i;
	return false;
}

/** Every touch's channel index in one flat array; journey j's touches are start[j] .. start[j+1]-1. */
interface EncodedJourneys {
	channel: Int32Array;
	start: Int32Array;
	longest: number;
}

function encode(journeys: Journey[], index: Map<string, number>): EncodedJourneys {
	const start = new Int32Array(journeys.length + 1);
	let longest = 0;
	for (let j = 0; j < journeys.length; j++) {
		const k = journeys[j].channels.length;
		start[j + 1] = start[j] + k;
		if (k > longest) longest = k;
	}
	const channel = new Int32Array(start[journeys.length]);
	for (let j = 0; j < journeys.length; j++) {
		const channels = journeys[j].channels;
		for (let i = 0; i < channels.length; i++) channel[start[j] + i] = index.get(channels[i])!;
	}
	return { channel, start, longest };
}

/**
 * Adds the rounding residue total - Σ to the largest entry so the entries sum to the total
 * when added in order (repeated: the correction itself can round).
 */
function balanceToTotal(values: Float64Array, total: number): void {
	if (values.length === 0) return;
	let largest = 0;
	for (let i = 1; i < values.length; i++) if (values[i] > values[largest]) largest = i;
	for (let round = 0; round < 4; round++) {
		let sum = 0;
		for (let i = 0; i < values.length; i++) sum += values[i];
		if (sum === total) return;
		values[largest] += total - sum;
	}
}

function toCredits(channels: string[], conversions: Float64Array, value: Float64Array, totals: AttributionTotals): ChannelCredits {
	balanceToTotal(conversions, totals.conversions);
	balanceToTotal(value, totals.value);
	const credits: ChannelCredits = {};
	channels.forEach((channel, i) => {
		credits[channel] = { conversions: conversions[i], value: value[i], share: totals.conversions > 0 ? conversions[i] / totals.conversions : 0 };
	});
	return credits;
}

function ruleBased(
	model: Exclude<AttributionModel, 'markov'>,
	journeys: Journey[],
	encoded: EncodedJourneys,
	channelCount: number,
	settings: ReturnType<typeof checkOptions>,
	warnings: string[],
): { conversions: Float64Array; value: Float64Array } {
	const conversions = new Float64Array(channelCount);
	const value = new Float64Array(channelCount);
	const weights = new Float64Array(encoded.longest);
	const ages = new Float64Array(encoded.longest);
	let countedInTouches = false;
	for (let j = 0; j < journeys.length; j++) {
		const journey = journeys[j];
		if (journey.conversions === 0 && journey.value === 0) continue;
		const k = journey.channels.length;
		if (model === 'firstTouch') firstTouchWeights(k, weights);
		else if (model === 'lastTouch') lastTouchWeights(k, weights);
		else if (model === 'linear') linearWeights(k, weights);
		else if (model === 'positionBased') positionBasedWeights(k, settings.position, weights);
		else {
			const inDays = touchAges(journey, ages);
			if (!inDays) countedInTouches = true;
			timeDecayWeights(ages.subarray(0, k), inDays ? settings.halfLifeDays : settings.halfLifeTouches, weights);
		}
		const offset = encoded.start[j];
		for (let i = 0; i < k; i++) {
			const c = encoded.channel[offset + i];
			conversions[c] += journey.conversions * weights[i];
			value[c] += journey.value * weights[i];
		}
	}
	if (countedInTouches) warnings.push(`Time decay on paths without timestamps: the half-life counts touches (${settings.halfLifeTouches}), not days.`);
	return { conversions, value };
}

function summarize(journeys: Journey[], channels: string[]): AttributionTotals {
	let conversions = 0;
	let value = 0;
	let nonConversions = 0;
	let convertingJourneys = 0;
	for (const j of journeys) {
		conversions += j.conversions;
		value += j.value;
		nonConversions += j.nonConversions;
		if (j.conversions > 0) convertingJourneys++;
	}
	return { journeys: journeys.length, convertingJourneys, conversions, value, nonConversions, channels: channels.length };
}

/** "Email" and "email " count as different channels; say so, since it is rarely meant. */
function caseClashWarnings(channels: string[]): string[] {
	const byKey = new Map<string, string[]>();
	for (const channel of channels) {
		const key = channel.toLowerCase().replace(/\s+/g, ' ');
		byKey.set(key, [...(byKey.get(key) ?? []), channel]);
	}
	return [...byKey.values()]
		.filter((names) => names.length > 1)
		.map((names) => `Channels ${names.map((n) => describeValue(n)).join(' and ')} differ only in case or spacing and are counted separately.`);
}

/**
 * Attributes the journeys' conversions and value to channels with each chosen model.
 * @example attribute([{ channels: ['c1','c2','c3'], conversions: 1, value: 0, nonConversions: 0 }, ...], { models: ['markov'] })
 */
export function attribute(input: Journey[], options: AttributeOptions = {}): AttributionResult {
	const settings = checkOptions(options);
	if (input.length === 0) throw new InputError('No journeys to attribute: the input is empty.');
	checkJourneys(input);
	const journeys = options.collapseRepeats ? input.map(collapseRepeats) : input;
	const seen = new Set<string>();
	for (const journey of journeys) for (const channel of journey.channels) seen.add(channel);
	const channels = [...seen].sort();
	const index = new Map(channels.map((c, i) => [c, i]));
	const totals = summarize(journeys, channels);
	if (totals.conversions === 0) {
		throw new InputError(`No journey converted (${totals.journeys} journeys, 0 conversions): attribution is undefined.`, { field: 'conversions' });
	}
	const warnings = caseClashWarnings(channels);
	const result: AttributionResult = { totals, warnings };
	const wantsMarkovDetails = options.includeRemovalEffects || options.includeTransitionMatrix;
	const models = wantsMarkovDetails && !settings.models.includes('markov') ? [...settings.models, 'markov' as const] : settings.models;
	let encoded: EncodedJourneys | undefined;
	for (const model of models) {
		if (model === 'markov') {
			const markov = markovAttribution(journeys, channels);
			const conversions = markov.shares.map((s) => s * totals.conversions);
			const value = markov.shares.map((s) => s * totals.value);
			if (settings.models.includes('markov')) result.markov = toCredits(channels, conversions, value, totals);
			if (options.includeRemovalEffects) result.removalEffects = Object.fromEntries(channels.map((c, i) => [c, markov.removalEffects[i]]));
			if (options.includeTransitionMatrix) result.transitionMatrix = transitionTable(markov.chain);
		} else {
			encoded ??= encode(journeys, index);
			const { conversions, value } = ruleBased(model, journeys, encoded, channels.length, settings, warnings);
			result[model] = toCredits(channels, conversions, value, totals);
		}
	}
	return result;
}
