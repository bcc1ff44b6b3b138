/**
 * Score with model: probability, 0–100 score, grade and the reasons behind each score.
 *
 * A reason is a field's share of the lead's log-odds measured against the average training
 * lead: βⱼ(xⱼ − x̄ⱼ) for a number, β_level − Σ share·β for a category. These add up exactly to
 * logit(p) − logit(p_average), so the reasons explain the whole distance from an average lead.
 *
 * Rows are scored in blocks, one field at a time (the same property name in a tight loop keeps
 * V8's lookups monomorphic); that is what makes a million leads a second possible.
 */
import { InputError } from '../shared/errors';
import { gradeFor, logistic, normalizeGrades, probabilityToScore, type GradeBand } from './grades';
import { MISSING_LEVEL } from './design';
import { parseModel, type LeadScoreModel } from './model';
import { formatReason } from './reasons';
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
	coefficients: Map<string, number>;
	/** Σ share·β: the average lead's log-odds from this field. */
	average: number;
	baseline: string;
	missingLevel: string;
}

/** A validated model ready to score many rows. */
export class ModelScorer {
	readonly model: LeadScoreModel;
	private readonly bands: GradeBand[];
	private readonly maxReasons: number;
	private readonly categorical: PreparedCategorical[];

	constructor(modelInput: unknown, options: ScoreOptions = {}) {
		this.model = parseModel(modelInput);
		this.bands = normalizeGrades(options.grades);
		this.maxReasons = options.maxReasons ?? 3;
		if (!(Number.isInteger(this.maxReasons) && this.maxReasons >= 0)) {
			throw new InputError(`Number of reasons must be a whole number >= 0, got ${this.maxReasons}`, { field: 'maxReasons', value: this.maxReasons });
		}
		this.categorical = this.model.categorical.map((term) => ({
			field: term.field,
			coefficients: new Map(term.levels.map((l) => [l.level, l.coefficient])),
			average: term.levels.reduce((sum, l) => sum + l.share * l.coefficient, 0),
			baseline: term.levels[0].level,
			missingLevel: term.missingLevel,
		}));
	}

	/**
	 * Scores every row; a row with a bad cell gets its InputError in place of a score. Errors name
	 * row k as item `itemIndices[k]` (default k), for callers scoring a subset of their items.
	 */
	scoreRows(rows: LeadRow[], itemIndices?: ArrayLike<number>): Array<LeadScore | InputError> {
		const results: Array<LeadScore | InputError> = new Array(rows.length);
		for (let start = 0; start < rows.length; start += BLOCK) this.scoreBlock(rows, start, Math.min(rows.length, start + BLOCK), results, itemIndices);
		return results;
	}

	private scoreBlock(rows: LeadRow[], start: number, end: number, results: Array<LeadScore | InputError>, itemIndices?: ArrayLike<number>): void {
		const item = (b: number) => (itemIndices ? itemIndices[start + b] : start + b);
		const size = end - start;
		const numeric = this.model.numeric;
		const numericCount = numeric.length;
		const terms = numericCount + this.categorical.length;
		const logOdds = new Float64Array(size).fill(this.model.intercept);
		const contribution = new Float64Array(terms * size);
		// Per term and row: the number read, or the level text, for the reason's words.
		const values = new Float64Array(numericCount * size);
		const levels: string[][] = this.categorical.map(() => new Array<string>(size));
		const empty = new Uint8Array(terms * size);
		const failed = new Uint8Array(size);
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
		for (let t = 0; t < numericCount; t++) {
			const term = numeric[t];
			const field = term.field;
			const coefficient = term.coefficient;
			const mean = term.mean;
			const missingCoefficient = term.missingCoefficient ?? 0;
			const hasMissingColumn = term.missingCoefficient !== undefined;
			const presentShift = missingCoefficient * (term.missingShare ?? 0);
			const offset = t * size;
			for (let b = 0; b < size; b++) {
				if (failed[b]) continue;
				const value = rows[start + b][field];
				let x: number;
				if (typeof value === 'number' && value - value === 0) x = value; // finite number
				else if (isMissing(value)) {
					logOdds[b] += coefficient * mean;
					empty[offset + b] = 1;
					if (hasMissingColumn) {
						logOdds[b] += missingCoefficient;
						contribution[offset + b] = missingCoefficient - presentShift;
					} else warn(b, `${field} is empty: scored as the training average ${mean}`);
					continue;
				} else {
					try {
						x = readNumber(value, item(b), field);
					} catch (error) {
						fail(b, error as InputError);
						continue;
					}
				}
				values[offset + b] = x;
				logOdds[b] += coefficient * x;
				contribution[offset + b] = coefficient * (x - mean) - presentShift;
			}
		}
		for (let c = 0; c < this.categorical.length; c++) {
			const term = this.categorical[c];
			const offset = (numericCount + c) * size;
			const { field, coefficients, average } = term;
			const levelsOfTerm = levels[c];
			for (let b = 0; b < size; b++) {
				if (failed[b]) continue;
				const value = rows[start + b][field];
				let level: string;
				if (typeof value === 'string' && value !== '' && value.trim() === value) level = value;
				else if (isMissing(value)) {
					level = term.missingLevel;
					empty[offset + b] = 1;
					if (level !== MISSING_LEVEL) warn(b, `${field} is empty: scored as the most frequent level "${level}"`);
				} else {
					try {
						level = readLevel(value, item(b), field);
					} catch (error) {
						fail(b, error as InputError);
						continue;
					}
				}
				let coefficient = coefficients.get(level);
				if (coefficient === undefined) {
					warn(b, `${field} "${level}" was not in the training data: scored as the baseline "${term.baseline}"`);
					coefficient = 0;
				}
				logOdds[b] += coefficient;
				contribution[offset + b] = coefficient - average;
				levelsOfTerm[b] = level;
			}
		}

		const chosen = new Int32Array(this.maxReasons);
		for (let b = 0; b < size; b++) {
			if (failed[b]) {
				results[start + b] = errors.get(b)!;
				continue;
			}
			const probability = logistic(logOdds[b]);
			const score = probabilityToScore(probability);
			const reasons: string[] = [];
			const count = this.maxReasons > 0 ? this.pickReasons(contribution, size, b, terms, chosen) : 0;
			for (let k = 0; k < count; k++) {
				const t = chosen[k];
				const reason = formatReason({ logOdds: contribution[t * size + b], text: this.reasonText(t, b, size, values, levels, empty) });
				reason.charCodeAt(0); // flattens the concatenation now: far fewer live objects for the GC
				reasons.push(reason);
			}
			results[start + b] = { probability, score, grade: gradeFor(score, this.bands), reasons, warnings: warnings.get(b) ?? [] };
		}
	}

	/** Indices of the largest |contribution| terms for row b, largest first; returns how many. */
	private pickReasons(contribution: Float64Array, size: number, b: number, terms: number, chosen: Int32Array): number {
		let count = 0;
		for (let t = 0; t < terms; t++) {
			const magnitude = Math.abs(contribution[t * size + b]);
			if (!(magnitude >= SMALLEST_REASON)) continue;
			let at = count;
			while (at > 0 && Math.abs(contribution[chosen[at - 1] * size + b]) < magnitude) at--;
			if (at >= this.maxReasons) continue;
			for (let k = Math.min(count, this.maxReasons - 1); k > at; k--) chosen[k] = chosen[k - 1];
			chosen[at] = t;
			if (count < this.maxReasons) count++;
		}
		return count;
	}

	private reasonText(t: number, b: number, size: number, values: Float64Array, levels: string[][], empty: Uint8Array): string {
		const numericCount = this.model.numeric.length;
		if (t < numericCount) {
			const field = this.model.numeric[t].field;
			return empty[t * size + b] ? `${field} empty` : `${formatValue(values[t * size + b])} ${field}`;
		}
		const field = this.categorical[t - numericCount].field;
		return empty[t * size + b] ? `${field} empty` : `${field} = ${levels[t - numericCount][b]}`;
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
