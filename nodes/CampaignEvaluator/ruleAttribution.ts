/**
 * Rule-based attribution: how one converting journey's credit is split over its touches.
 * Each function writes one weight per touch into `out` (reused across journeys, so a million
 * touches allocate nothing), summing to 1; a channel touched twice gets two shares (as in R
 * ChannelAttribution's heuristic_models).
 *
 * The rules follow the definitions Google Ads / GA4 used until 2023:
 * - first touch: all credit to the first touch; last touch: all to the last;
 * - linear: equal shares;
 * - position-based: `first` (default 40%) to the first touch, `last` (40%) to the last, the
 *   rest split evenly over the touches in between; with two touches the rest is split between
 *   them in proportion first : last (50/50 by default), with one touch it gets everything;
 * - time decay: weight 2^(-Δt / half-life), Δt = time from the touch to the conversion
 *   (Google's default half-life is 7 days). Without timestamps (path input) Δt counts touches
 *   before the last one.
 */

export interface PositionWeights {
	first: number;
	last: number;
}

export function firstTouchWeights(touches: number, out: Float64Array = new Float64Array(touches)): Float64Array {
	out.fill(0, 0, touches);
	out[0] = 1;
	return out;
}

export function lastTouchWeights(touches: number, out: Float64Array = new Float64Array(touches)): Float64Array {
	out.fill(0, 0, touches);
	out[touches - 1] = 1;
	return out;
}

export function linearWeights(touches: number, out: Float64Array = new Float64Array(touches)): Float64Array {
	return out.fill(1 / touches, 0, touches);
}

export function positionBasedWeights(touches: number, { first, last }: PositionWeights, out: Float64Array = new Float64Array(touches)): Float64Array {
	const w = out;
	if (touches === 1) {
		w[0] = 1;
	} else if (touches === 2) {
		w[0] = first / (first + last);
		w[1] = last / (first + last);
	} else {
		w.fill((1 - first - last) / (touches - 2), 0, touches);
		w[0] = first;
		w[touches - 1] = last;
	}
	return w;
}

/**
 * Time-decay weights for touches at `ages` (time from each touch to the conversion, in the
 * half-life's unit). Weights are shifted by the youngest age before exponentiating so very
 * old journeys do not underflow to 0/0.
 */
export function timeDecayWeights(ages: ArrayLike<number>, halfLife: number, out: Float64Array = new Float64Array(ages.length)): Float64Array {
	const w = out;
	let youngest = Infinity;
	for (let i = 0; i < ages.length; i++) youngest = Math.min(youngest, ages[i]);
	let sum = 0;
	for (let i = 0; i < ages.length; i++) {
		w[i] = 2 ** (-(ages[i] - youngest) / halfLife);
		sum += w[i];
	}
	for (let i = 0; i < ages.length; i++) w[i] /= sum;
	return w;
}
