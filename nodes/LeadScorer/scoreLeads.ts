/**
 * Score with model: probability, 0–100 score, grade and the reasons behind each score.
 *
 * A reason is a field's share of the lead's log-odds measured against the average training
 * lead: βⱼ(xⱼ − x̄ⱼ) for a number, β_level − Σ share·β for a category. These add up exactly to
 * logit(p) − logit(p_average), so the reasons explain the whole distance from an average lead.
 */
import { InputError } from '../shared/errors';
import { gradeFor, logistic, normalizeGrades, probabilityToScore, type GradeBand } from './grades';
import { parseModel, type LeadScoreModel } from './model';
import { describeNumber, topReasons, type Contribution } from './reasons';
import { isMissing, readLevel, readNumber, type LeadRow } from './values';

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

function checkMaxReasons(maxReasons: number): void {
	if (!(Number.isInteger(maxReasons) && maxReasons >= 0)) {
		throw new InputError(`Number of reasons must be a whole number >= 0, got ${maxReasons}`, { field: 'maxReasons', value: maxReasons });
	}
}

/**
 * Validates the model and grade bands once and returns a function that scores one lead.
 * Use it when scoring many items; `scoreLeads` is the same over an array.
 */
export function prepareModelScorer(modelInput: unknown, options: ScoreOptions = {}): (row: LeadRow, index: number) => LeadScore {
	const model: LeadScoreModel = parseModel(modelInput);
	const bands = normalizeGrades(options.grades);
	const maxReasons = options.maxReasons ?? 3;
	checkMaxReasons(maxReasons);
	const numeric = model.numeric;
	const categorical = model.categorical.map((term) => {
		const coefficients = new Map(term.levels.map((l) => [l.level, l.coefficient]));
		const average = term.levels.reduce((sum, l) => sum + l.share * l.coefficient, 0);
		return { field: term.field, coefficients, average, baseline: term.levels[0].level, missingLevel: term.missingLevel };
	});
	const explain = maxReasons > 0;

	return (row: LeadRow, index: number): LeadScore => {
		if (row === null || typeof row !== 'object') throw new InputError(`Item ${index} is not an object`, { row: index, value: row });
		let logOdds = model.intercept;
		const contributions: Contribution[] = [];
		const warnings: string[] = [];
		for (const term of numeric) {
			const value = row[term.field];
			if (isMissing(value)) {
				logOdds += term.coefficient * term.mean;
				if (term.missingCoefficient !== undefined) {
					logOdds += term.missingCoefficient;
					if (explain) contributions.push({ logOdds: term.missingCoefficient * (1 - (term.missingShare ?? 0)), text: `${term.field} empty` });
				} else warnings.push(`${term.field} is empty: scored as the training average ${term.mean}`);
				continue;
			}
			const x = readNumber(value, index, term.field);
			logOdds += term.coefficient * x;
			if (term.missingCoefficient !== undefined) {
				if (explain) contributions.push({ logOdds: term.coefficient * (x - term.mean) - term.missingCoefficient * (term.missingShare ?? 0), text: describeNumber(term.field, x) });
			} else if (explain) contributions.push({ logOdds: term.coefficient * (x - term.mean), text: describeNumber(term.field, x) });
		}
		for (const term of categorical) {
			const value = row[term.field];
			let level: string;
			if (isMissing(value)) {
				level = term.missingLevel;
				if (level !== '(missing)') warnings.push(`${term.field} is empty: scored as the most frequent level "${level}"`);
			} else level = readLevel(value, index, term.field);
			let coefficient = term.coefficients.get(level);
			if (coefficient === undefined) {
				warnings.push(`${term.field} "${level}" was not in the training data: scored as the baseline "${term.baseline}"`);
				coefficient = 0;
			}
			logOdds += coefficient;
			if (explain) contributions.push({ logOdds: coefficient - term.average, text: isMissing(value) ? `${term.field} empty` : `${term.field} = ${level}` });
		}
		const probability = logistic(logOdds);
		const score = probabilityToScore(probability);
		return { probability, score, grade: gradeFor(score, bands), reasons: explain ? topReasons(contributions, maxReasons) : [], warnings };
	};
}

/** Scores every row with a trained model (object or JSON text). */
export function scoreLeads(model: unknown, rows: LeadRow[], options: ScoreOptions = {}): LeadScore[] {
	const scorer = prepareModelScorer(model, options);
	return rows.map((row, index) => scorer(row, index));
}
