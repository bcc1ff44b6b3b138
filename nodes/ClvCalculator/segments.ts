/**
 * RFM quartile scores and an action-oriented segment label per customer.
 *
 * Scores are 1 (worst) to 4 (best) by quartile within the customers scored together:
 * - recencyScore from the time since the last purchase (T − recency; shorter is better),
 * - frequencyScore from frequency, monetaryScore from monetary value,
 * - valueScore from predicted CLV (or expected purchases when CLV is not available).
 * A value scores 1 + the number of quartile cut points (25th, 50th, 75th percentile) it lies
 * strictly above (for recency: strictly below), so ties share a score.
 *
 * Segment rule, first match wins:
 *   lost         P(alive) < 0.25
 *   hibernating  P(alive) < 0.5, or recencyScore = 1 (longest since the last purchase)
 *   champions    recencyScore ≥ 3, frequencyScore ≥ 3 and valueScore = 4
 *   at risk      recencyScore = 2 and (frequencyScore ≥ 3 or valueScore ≥ 3): good customers going quiet
 *   loyal        frequencyScore ≥ 3 or valueScore ≥ 3
 *   potential    everyone else (recent, few purchases so far)
 */
import { quantileSorted } from 'simple-statistics';

export type Segment = 'champions' | 'loyal' | 'potential' | 'at risk' | 'hibernating' | 'lost';

export interface RfmScores {
	recencyScore: number;
	frequencyScore: number;
	monetaryScore: number;
	valueScore: number;
}

export interface SegmentInput {
	frequency: number;
	recency: number;
	T: number;
	monetaryValue: number;
	pAlive: number;
	/** CLV, or null when not available (then expectedPurchases ranks value). */
	clv: number | null;
	expectedPurchases: number;
}

/** Quartile cut points (25th, 50th, 75th percentiles) of the values. */
function cutPoints(values: number[]): [number, number, number] {
	const sorted = Float64Array.from(values).sort();
	const list = Array.from(sorted);
	return [quantileSorted(list, 0.25), quantileSorted(list, 0.5), quantileSorted(list, 0.75)];
}

const above = (value: number, cuts: number[]) => 1 + cuts.filter((c) => value > c).length;
const below = (value: number, cuts: number[]) => 1 + cuts.filter((c) => value < c).length;

/** RFM and value scores for every customer, by quartile within the list. */
export function rfmScores(customers: readonly SegmentInput[]): RfmScores[] {
	if (customers.length === 0) return [];
	const useClv = customers.every((c) => c.clv !== null);
	const value = (c: SegmentInput) => (useClv ? (c.clv as number) : c.expectedPurchases);
	const sinceLast = (c: SegmentInput) => c.T - c.recency;
	const recencyCuts = cutPoints(customers.map(sinceLast));
	const frequencyCuts = cutPoints(customers.map((c) => c.frequency));
	const monetaryCuts = cutPoints(customers.map((c) => c.monetaryValue));
	const valueCuts = cutPoints(customers.map(value));
	return customers.map((c) => ({
		recencyScore: below(sinceLast(c), recencyCuts),
		frequencyScore: above(c.frequency, frequencyCuts),
		monetaryScore: above(c.monetaryValue, monetaryCuts),
		valueScore: above(value(c), valueCuts),
	}));
}

/** The segment label of one customer (rule in the module comment). */
export function segmentOf(pAlive: number, scores: RfmScores): Segment {
	const { recencyScore: r, frequencyScore: f, valueScore: v } = scores;
	if (pAlive < 0.25) return 'lost';
	if (pAlive < 0.5 || r === 1) return 'hibernating';
	if (r >= 3 && f >= 3 && v === 4) return 'champions';
	if (r === 2 && (f >= 3 || v >= 3)) return 'at risk';
	if (f >= 3 || v >= 3) return 'loyal';
	return 'potential';
}
