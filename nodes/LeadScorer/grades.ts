/**
 * From probability to what a founder reads: a 0–100 score and a letter grade.
 */
import { InputError, describeValue } from '../shared/errors';

export interface GradeBand {
	grade: string;
	/** Lowest score (0–100) that earns this grade. */
	minScore: number;
}

/** Default bands: A 75+, B 50–74, C 25–49, D below 25. */
export const DEFAULT_GRADES: GradeBand[] = [
	{ grade: 'A', minScore: 75 },
	{ grade: 'B', minScore: 50 },
	{ grade: 'C', minScore: 25 },
	{ grade: 'D', minScore: 0 },
];

/** Checks bands and returns them sorted from the highest minimum down. */
export function normalizeGrades(bands: GradeBand[] = DEFAULT_GRADES): GradeBand[] {
	if (!Array.isArray(bands) || bands.length === 0) throw new InputError('Grade bands: at least one band is needed', { field: 'grades' });
	for (const band of bands) {
		if (typeof band.grade !== 'string' || band.grade === '') {
			throw new InputError(`Grade bands: a grade name is empty (${describeValue(band)})`, { field: 'grades', value: band });
		}
		if (typeof band.minScore !== 'number' || !Number.isFinite(band.minScore)) {
			throw new InputError(`Grade bands: minimum score of "${band.grade}" must be a number, got ${describeValue(band.minScore)}`, { field: 'grades', value: band.minScore });
		}
	}
	return [...bands].sort((a, b) => b.minScore - a.minScore);
}

/** Score 0–100: the probability in percent, rounded. */
export function probabilityToScore(probability: number): number {
	return Math.round(probability * 100);
}

/** First band (from the top) whose minimum the score reaches; the lowest band otherwise. */
export function gradeFor(score: number, sortedBands: GradeBand[]): string {
	for (const band of sortedBands) if (score >= band.minScore) return band.grade;
	return sortedBands[sortedBands.length - 1].grade;
}

/** Logistic function 1 / (1 + e^−x), without overflow for large |x|. */
export function logistic(x: number): number {
	if (x >= 0) return 1 / (1 + Math.exp(-x));
	const e = Math.exp(x);
	return e / (1 + e);
}
