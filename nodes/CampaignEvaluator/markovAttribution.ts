/**
 * First-order Markov-chain attribution with removal effects (Anderl, Becker, von Wangenheim
 * & Schumann, "Mapping the customer journey: Lessons learned from graph-based online
 * attribution modeling", IJRM 33(3), 2016, §3; the model of R ChannelAttribution's
 * markov_model with order = 1).
 *
 * States: (start), every channel, and the absorbing (conversion) and (null). Transition
 * probabilities are the observed transition counts, each path weighted by its conversions +
 * non-conversions; non-converting journeys end in (null). The conversion probability from
 * each transient state solves the absorbing-chain system (I - Q) x = r (Kemeny & Snell,
 * Finite Markov Chains, 1960, Thm 3.3.7), with Q the transient-to-transient and r the
 * transient-to-(conversion) probabilities — solved exactly, no simulation.
 *
 * Removal effect of channel c: RE(c) = 1 - P(conversion | c removed) / P(conversion), where
 * removing c sends every transition into c to (null) (its row becomes x_c = 0). Attributed
 * conversions (and value) of c = total × RE(c) / Σ RE.
 */
import { solveLinearSystem } from '../shared/linalg';
import type { Journey } from './journeys';

export const START = '(start)';
export const CONVERSION = '(conversion)';
export const NULL_STATE = '(null)';

export interface MarkovChain {
	/** Channel names; channel k is state k + 1 (state 0 is the start). */
	channels: string[];
	/** Row-major (n+1) x (n+3) transition probabilities: rows start + channels, columns start + channels + conversion + null. */
	probabilities: Float64Array;
}

export interface MarkovAttribution {
	chain: MarkovChain;
	conversionProbability: number;
	removalEffects: Float64Array;
	/** Share of credit per channel: RE(c) / Σ RE. */
	shares: Float64Array;
}

/** Transition probabilities estimated from the journeys (counts weighted by path multiplicity). */
export function buildChain(journeys: Journey[], channels: string[]): MarkovChain {
	const n = channels.length;
	const columns = n + 3;
	const index = new Map(channels.map((c, i) => [c, i + 1]));
	const counts = new Float64Array((n + 1) * columns);
	for (const journey of journeys) {
		const weight = journey.conversions + journey.nonConversions;
		if (weight === 0 || journey.channels.length === 0) continue;
		let from = 0;
		for (const channel of journey.channels) {
			const to = index.get(channel)!;
			counts[from * columns + to] += weight;
			from = to;
		}
		counts[from * columns + n + 1] += journey.conversions;
		counts[from * columns + n + 2] += journey.nonConversions;
	}
	for (let row = 0; row <= n; row++) {
		let total = 0;
		for (let col = 0; col < columns; col++) total += counts[row * columns + col];
		if (total > 0) for (let col = 0; col < columns; col++) counts[row * columns + col] /= total;
	}
	return { channels, probabilities: counts };
}

/**
 * Conversion probability from the start, with channel `removed` (1-based state) absorbing into
 * (null), or with nothing removed when `removed` is 0.
 */
function conversionProbability(chain: MarkovChain, removed: number): number {
	const n = chain.channels.length;
	const size = n + 1;
	const columns = n + 3;
	const A = new Float64Array(size * size);
	const b = new Float64Array(size);
	for (let row = 0; row < size; row++) {
		A[row * size + row] = 1;
		if (row === removed && removed > 0) continue; // x_removed = 0
		for (let col = 0; col < size; col++) A[row * size + col] -= chain.probabilities[row * columns + col];
		b[row] = chain.probabilities[row * columns + n + 1];
	}
	return solveLinearSystem(A, b, size)[0];
}

/** Removal effects and credit shares; the caller checks that some journey converted. */
export function markovAttribution(journeys: Journey[], channels: string[]): MarkovAttribution {
	const chain = buildChain(journeys, channels);
	const base = conversionProbability(chain, 0);
	const removalEffects = new Float64Array(channels.length);
	let sum = 0;
	for (let k = 0; k < channels.length; k++) {
		// Clamp: removing a state cannot raise the absorption probability; rounding can nudge it.
		removalEffects[k] = Math.min(1, Math.max(0, 1 - conversionProbability(chain, k + 1) / base));
		sum += removalEffects[k];
	}
	const shares = removalEffects.map((re) => re / sum);
	return { chain, conversionProbability: base, removalEffects, shares };
}

/** The transition matrix as nested objects { from: { to: probability } }, zero entries left out. */
export function transitionTable(chain: MarkovChain): Record<string, Record<string, number>> {
	const n = chain.channels.length;
	const columns = n + 3;
	const names = [START, ...chain.channels, CONVERSION, NULL_STATE];
	const table: Record<string, Record<string, number>> = {};
	for (let row = 0; row <= n; row++) {
		const entries: Record<string, number> = {};
		for (let col = 0; col < columns; col++) {
			const p = chain.probabilities[row * columns + col];
			if (p > 0) entries[names[col]] = p;
		}
		table[names[row]] = entries;
	}
	return table;
}
