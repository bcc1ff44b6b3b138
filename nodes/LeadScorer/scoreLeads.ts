/**
 * Score with model: probability, 0–100 score, grade and the reasons behind each score.
 *
 * A reason is a field's share of the lead's log-odds measured against the average training
 * lead: βⱼ(xⱼ − x̄ⱼ) for a number, β_level − Σ share·β for a category. These add up exactly to
 * logit(p) − logit(p_average), so the reasons explain the whole distance from an average lead.
 *
 * Rows are scored in blocks of 1,024, one field at a time, into typed arrays reused from block to
 * block; each reason's text is built once per printed value and then shared (ReasonTexts). Most of
 * the remaining time is V8 reading each field by name from each lead object (see the README's
 * benchmark notes).
 */
import { InputError } from '../shared/errors';
import { gradeFor, logistic, normalizeGrades, probabilityToScore, type GradeBand } from './grades';
import { MISSING_LEVEL } from './design';
import { parseModel, type LeadScoreModel } from './model';
import { ReasonTexts, formatReason } from './reasons';
import { formatValue, isMissing, readLevel, readNumber, type LeadRow } from './values';

export interface ScoreOptions {
	/** Grade bands (default A 75+, B 50+, C 25+, D). */
	grades?: GradeBand[];
	/** How many reasons to list per lead (default 3; 0 for none). */
	maxReasons?: number;
}

export interface LeadScore {
	/** Probability of winning the lead, 0–1. */
	probability: number;
	/** Probability in percent, rounded: 0–100. */
	score: number;
	grade: string;
	/** Largest contributions with sign, e.g. "+1.2: 5 inquiries". */
	reasons: string[];
	/** Cells the model could not use as they were (empty, unknown level). */
	warnings: string[];
}

const BLOCK = 1024;
/** Contributions smaller than this print as ±0.0 and are not worth a reason. */
const SMALLEST_REASON = 0.05;

interface PreparedCategorical {
	field: string;
	/** Level text → its position in `coefficients` and `levels`. */
	levelIndex: Map<string, number>;
	levels: string[];
	coefficients: number[];
	/** Σ share·β: the average lead's log-odds from this field. */
	average: number;
	baseline: string;
	missingLevel: string;
}

/**
 * Working arrays for one block of rows, reused block after block (fresh typed arrays for every
 * block of a million rows kept the garbage collector busy). A row's terms sit side by side
 * (cell = b·terms + t), so picking a lead's top reasons reads one short run of memory.
 */
class BlockScratch {
	readonly logOdds: Float64Array;
	/** Each term's share of the row's log-odds, measured from the average lead. */
	readonly contribution: Float64Array;
	/** The number read (numeric term) or the level's index, −1 if unknown (categorical term). */
	readonly shown: Float64Array;
	readonly empty: Uint8Array;
	readonly failed: Uint8Array;

	constructor(rows: number, terms: number) {
		this.logOdds = new Float64Array(rows);
		this.contribution = new Float64Array(rows * terms);
		this.shown = new Float64Array(rows * terms);
		this.empty = new Uint8Array(rows * terms);
		this.failed = new Uint8Array(rows);
	}

	/** Starts a block. The cell arrays need no clearing: every cell of a row that scores is written. */
	clear(intercept: number): void {
		this.logOdds.fill(intercept);
		this.failed.fill(0);
	}
}

/** Puts term t in the list sorted by size, largest first, at or above position `last` (which it overwrites). */
function insertBySize(chosen: Int32Array, sizes: Float64Array, last: number, t: number, magnitude: number): void {
	let at = last;
	for (; at > 0 && sizes[at - 1] < magnitude; at--) {
		sizes[at] = sizes[at - 1];
		chosen[at] = chosen[at - 1];
	}
	sizes[at] = magnitude;
	chosen[at] = t;
}

/**
 * pickReasons for up to 3 reasons (the default), with the three largest kept in local variables
 * instead of arrays: about 5 % faster scoring of a million leads. Same order and ties.
 */
function pickUpToThree(contribution: Float64Array, first: number, terms: number, chosen: Int32Array, most: number): number {
	let size1 = -1;
	let size2 = -1;
	let size3 = -1;
	let term1 = -1;
	let term2 = -1;
	let term3 = -1;
	for (let t = 0; t < terms; t++) {
		const magnitude = Math.abs(contribution[first + t]);
		// Strictly larger: of two equal contributions the earlier field stays ahead.
		if (!(magnitude > size3 && magnitude >= SMALLEST_REASON)) continue;
		if (magnitude > size2) {
			size3 = size2;
			term3 = term2;
			if (magnitude > size1) {
				size2 = size1;
				term2 = term1;
				size1 = magnitude;
				term1 = t;
			} else {
				size2 = magnitude;
				term2 = t;
			}
		} else {
			size3 = magnitude;
			term3 = t;
		}
	}
	chosen[0] = term1;
	if (most > 1) chosen[1] = term2;
	if (most > 2) chosen[2] = term3;
	const found = term3 >= 0 ? 3 : term2 >= 0 ? 2 : term1 >= 0 ? 1 : 0;
	return Math.min(found, most);
}

/** A validated model ready to score many rows. */
export class ModelScorer {
	readonly model: LeadScoreModel;
	/** The grade of every score 0–100, looked up rather than searched for each lead. */
	private readonly gradeByScore: string[];
	private readonly maxReasons: number;
	private readonly categorical: PreparedCategorical[];
	/** Per term (numeric fields, then categorical): reason texts already built. */
	private readonly reasonTexts: ReasonTexts[];

	constructor(modelInput: unknown, options: ScoreOptions = {}) {
		this.model = parseModel(modelInput);
		const bands = normalizeGrades(options.grades);
		this.gradeByScore = Array.from({ length: 101 }, (_, score) => gradeFor(score, bands));
		this.maxReasons = options.maxReasons ?? 3;
		if (!(Number.isInteger(this.maxReasons) && this.maxReasons >= 0)) {
			throw new InputError(`Number of reasons must be a whole number >= 0, got ${this.maxReasons}`, { field: 'maxReasons', value: this.maxReasons });
		}
		this.categorical = this.model.categorical.map((term) => ({
			field: term.field,
			levelIndex: new Map(term.levels.map((l, index) => [l.level, index])),
			levels: term.levels.map((l) => l.level),
			coefficients: term.levels.map((l) => l.coefficient),
			average: term.levels.reduce((sum, l) => sum + l.share * l.coefficient, 0),
			baseline: term.levels[0].level,
			missingLevel: term.missingLevel,
		}));
		this.reasonTexts = Array.from({ length: this.model.numeric.length + this.categorical.length }, () => new ReasonTexts());
	}

	/**
	 * Scores every row; a row with a bad cell gets its InputError in place of a score. Errors name
	 * row k as item `itemIndices[k]` (default k), for callers scoring a subset of their items.
	 */
	scoreRows(rows: LeadRow[], itemIndices?: ArrayLike<number>): Array<LeadScore | InputError> {
		const results: Array<LeadScore | InputError> = new Array(rows.length);
		const scratch = new BlockScratch(Math.min(BLOCK, rows.length), this.model.numeric.length + this.categorical.length);
		for (let start = 0; start < rows.length; start += BLOCK) this.scoreBlock(rows, start, Math.min(rows.length, start + BLOCK), results, scratch, itemIndices);
		return results;
	}

	private scoreBlock(rows: LeadRow[], start: number, end: number, results: Array<LeadScore | InputError>, scratch: BlockScratch, itemIndices?: ArrayLike<number>): void {
		const item = (b: number) => (itemIndices ? itemIndices[start + b] : start + b);
		const size = end - start;
		const numeric = this.model.numeric;
		const numericCount = numeric.length;
		const terms = numericCount + this.categorical.length;
		scratch.clear(this.model.intercept);
		const { logOdds, contribution, shown, empty, failed } = scratch;
		const unknownLevels = new Map<number, string>();
		const errors = new Map<number, InputError>();
		const warnings = new Map<number, string[]>();
		const fail = (b: number, error: InputError) => {
			failed[b] = 1;
			errors.set(b, error);
		};
		const warn = (b: number, text: string) => {
			const list = warnings.get(b);
			if (list) list.push(text);
			else warnings.set(b, [text]);
		};

		for (let b = 0; b < size; b++) {
			const row = rows[start + b];
			if (row === null || typeof row !== 'object') fail(b, new InputError(`Item ${item(b)} is not an object`, { row: item(b), value: row }));
		}
		// One field at a time over the block.
		for (let t = 0; t < numericCount; t++) {
			const term = numeric[t];
			const field = term.field;
			const coefficient = term.coefficient;
			const mean = term.mean;
			const missingCoefficient = term.missingCoefficient ?? 0;
			const hasMissingColumn = term.missingCoefficient !== undefined;
			const presentShift = missingCoefficient * (term.missingShare ?? 0);
			for (let b = 0, cell = t; b < size; b++, cell += terms) {
				if (failed[b]) continue;
				const value = rows[start + b][field];
				let x: number;
				if (typeof value === 'number' && value - value === 0) x = value; // finite number
				else if (isMissing(value)) {
					logOdds[b] += coefficient * mean;
					empty[cell] = 1;
					if (hasMissingColumn) {
						logOdds[b] += missingCoefficient;
						contribution[cell] = missingCoefficient - presentShift;
					} else {
						contribution[cell] = 0;
						warn(b, `${field} is empty: scored as the training average ${mean}`);
					}
					continue;
				} else {
					try {
						x = readNumber(value, item(b), field);
					} catch (error) {
						fail(b, error as InputError);
						continue;
					}
				}
				shown[cell] = x;
				empty[cell] = 0;
				logOdds[b] += coefficient * x;
				contribution[cell] = coefficient * (x - mean) - presentShift;
			}
		}
		for (let c = 0; c < this.categorical.length; c++) {
			const term = this.categorical[c];
			const { field, levelIndex, coefficients, average } = term;
			for (let b = 0, cell = numericCount + c; b < size; b++, cell += terms) {
				if (failed[b]) continue;
				const value = rows[start + b][field];
				let level: string;
				empty[cell] = 0;
				if (typeof value === 'string' && value !== '' && value.trim() === value) level = value;
				else if (isMissing(value)) {
					level = term.missingLevel;
					empty[cell] = 1;
					if (level !== MISSING_LEVEL) warn(b, `${field} is empty: scored as the most frequent level "${level}"`);
				} else {
					try {
						level = readLevel(value, item(b), field);
					} catch (error) {
						fail(b, error as InputError);
						continue;
					}
				}
				const index = levelIndex.get(level);
				let coefficient = 0;
				if (index === undefined) {
					warn(b, `${field} "${level}" was not in the training data: scored as the baseline "${term.baseline}"`);
					unknownLevels.set(cell, level);
					shown[cell] = -1;
				} else {
					coefficient = coefficients[index];
					shown[cell] = index;
				}
				logOdds[b] += coefficient;
				contribution[cell] = coefficient - average;
			}
		}

		const chosen = new Int32Array(this.maxReasons);
		const sizes = new Float64Array(this.maxReasons);
		for (let b = 0; b < size; b++) {
			if (failed[b]) {
				results[start + b] = errors.get(b)!;
				continue;
			}
			const probability = logistic(logOdds[b]);
			const score = probabilityToScore(probability);
			const count = this.maxReasons > 0 ? this.pickReasons(contribution, b * terms, terms, chosen, sizes) : 0;
			const reasons = new Array<string>(count);
			for (let k = 0; k < count; k++) {
				const t = chosen[k];
				const cell = b * terms + t;
				// A reason's text depends only on the value as printed and the contribution as printed.
				const key = empty[cell] === 1 ? ReasonTexts.EMPTY : t < numericCount ? ReasonTexts.numberKey(shown[cell]) : ReasonTexts.levelKey(shown[cell]);
				reasons[k] = this.reasonTexts[t].find(key, contribution[cell]) ?? this.newReason(t, cell, key, scratch, unknownLevels);
			}
			const rowWarnings = warnings.size === 0 ? undefined : warnings.get(b);
			results[start + b] = { probability, score, grade: this.gradeByScore[score], reasons, warnings: rowWarnings ?? [] };
		}
	}

	/**
	 * Terms of the largest |contribution| in cells first..first+terms−1, largest first (ties keep
	 * field order), into `chosen`; returns how many. Once the list is full, a term must beat its
	 * smallest entry to get in, which most terms fail at that one comparison.
	 */
	private pickReasons(contribution: Float64Array, first: number, terms: number, chosen: Int32Array, sizes: Float64Array): number {
		const most = this.maxReasons;
		if (most <= 3) return pickUpToThree(contribution, first, terms, chosen, most);
		let count = 0;
		let t = 0;
		for (; t < terms && count < most; t++) {
			const magnitude = Math.abs(contribution[first + t]);
			if (magnitude >= SMALLEST_REASON) insertBySize(chosen, sizes, count++, t, magnitude);
		}
		let smallest = sizes[most - 1];
		for (; t < terms; t++) {
			const magnitude = Math.abs(contribution[first + t]);
			if (magnitude > smallest) {
				insertBySize(chosen, sizes, most - 1, t, magnitude);
				smallest = sizes[most - 1];
			}
		}
		return count;
	}

	/** Builds the reason for term t of one lead, e.g. "+1.2: 5 inquiries", and keeps it for the next lead. */
	private newReason(t: number, cell: number, key: number, scratch: BlockScratch, unknownLevels: Map<number, string>): string {
		const numericCount = this.model.numeric.length;
		const isEmpty = scratch.empty[cell] === 1;
		const shown = scratch.shown[cell];
		let words: string;
		if (t < numericCount) {
			const field = this.model.numeric[t].field;
			words = isEmpty ? `${field} empty` : `${formatValue(shown)} ${field}`;
		} else {
			const term = this.categorical[t - numericCount];
			words = isEmpty ? `${term.field} empty` : `${term.field} = ${shown >= 0 ? term.levels[shown] : unknownLevels.get(cell)}`;
		}
		const logOdds = scratch.contribution[cell];
		const text = formatReason({ logOdds, text: words });
		this.reasonTexts[t].keep(key, logOdds, text);
		return text;
	}
}

/**
 * Scores every row with a trained model (object or JSON text). Throws the InputError of the
 * first bad row (item index, field, value); use `ModelScorer.scoreRows` to keep going.
 */
export function scoreLeads(model: unknown, rows: LeadRow[], options: ScoreOptions = {}): LeadScore[] {
	const results = new ModelScorer(model, options).scoreRows(rows);
	for (const result of results) if (result instanceof Error) throw result;
	return results as LeadScore[];
}
