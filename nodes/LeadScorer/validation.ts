/**
 * Which rows are held out for validation: a stratified holdout split or stratified k folds
 * (each fold keeps the won/lost mix of the whole history), reproducible from a seed.
 */
import { InputError, describeValue } from '../shared/errors';

export type ValidationOptions =
	| { method: 'holdout'; /** Share of rows held out (default 0.2). */ testFraction?: number; seed?: number }
	| { method: 'kFold'; /** Number of folds (default 5). */ folds?: number; seed?: number };

/** Deterministic PRNG (mulberry32, Tommy Ettinger 2017) so a seed gives the same split. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates shuffle in place (Knuth, TAOCP vol. 2, Algorithm P). */
function shuffle(values: number[], random: () => number): void {
	for (let i = values.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[values[i], values[j]] = [values[j], values[i]];
	}
}

/**
 * Fold number per row (0-based). Holdout: fold 0 = held-out rows, everything else is -1
 * (never held out), and `folds` is 1. k-fold: every row is held out exactly once.
 */
export function foldAssignment(outcome: ArrayLike<number>, options: ValidationOptions): { folds: number; fold: Int32Array } {
	const random = mulberry32(options.seed ?? 1);
	const fold = new Int32Array(outcome.length).fill(-1);
	const byClass: number[][] = [[], []];
	for (let r = 0; r < outcome.length; r++) byClass[outcome[r] === 1 ? 1 : 0].push(r);
	if (options.method === 'holdout') {
		const fraction = options.testFraction ?? 0.2;
		if (!(fraction > 0 && fraction < 1)) {
			throw new InputError(`Holdout share must be between 0 and 1, got ${describeValue(fraction)}`, { field: 'testFraction', value: fraction });
		}
		for (const rows of byClass) {
			shuffle(rows, random);
			const held = Math.max(1, Math.round(rows.length * fraction));
			if (held >= rows.length) throw new InputError(`Too few ${rows === byClass[1] ? 'won' : 'lost'} rows (${rows.length}) for a holdout split`);
			for (let k = 0; k < held; k++) fold[rows[k]] = 0;
		}
		return { folds: 1, fold };
	}
	if (options.method !== 'kFold') throw new InputError(`Validation method must be holdout or kFold, got ${describeValue((options as { method: unknown }).method)}`);
	const folds = options.folds ?? 5;
	if (!(Number.isInteger(folds) && folds >= 2)) throw new InputError(`Number of folds must be a whole number >= 2, got ${describeValue(folds)}`, { field: 'folds', value: folds });
	const smallest = Math.min(byClass[0].length, byClass[1].length);
	if (smallest < folds) throw new InputError(`${folds}-fold validation needs at least ${folds} won and ${folds} lost rows; the smaller class has ${smallest}`);
	let next = 0;
	for (const rows of byClass) {
		shuffle(rows, random);
		// Deal rows round-robin, continuing where the other class stopped, so fold sizes stay even.
		for (const r of rows) fold[r] = next++ % folds;
	}
	return { folds, fold };
}
