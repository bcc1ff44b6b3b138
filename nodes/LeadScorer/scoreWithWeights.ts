/**
 * Score with weights: the seed documents' formula with weights typed into the node,
 *   P(buy) = 1 / (1 + e^−(b₀ + w₁x₁ + … + wₙxₙ)).
 * (The seed's printed table contradicts its own formula: 0.5·10 + 0.3·5 + 0.2·1 = 6.7 gives
 * P = 0.9988, not the printed 0.832. We follow the formula.)
 */
import { InputError, describeValue } from '../shared/errors';
import { gradeFor, logistic, normalizeGrades, probabilityToScore } from './grades';
import { describeNumber, topReasons, type Contribution } from './reasons';
import type { LeadScore, ScoreOptions } from './scoreLeads';
import { isMissing, readNumber, type LeadRow } from './values';

export interface FieldWeight {
	field: string;
	weight: number;
}

export interface WeightsConfig {
	/** b₀: log-odds of a lead with every field 0. */
	intercept: number;
	weights: FieldWeight[];
}

function checkConfig(config: WeightsConfig): void {
	if (typeof config.intercept !== 'number' || !Number.isFinite(config.intercept)) {
		throw new InputError(`Intercept must be a finite number, got ${describeValue(config.intercept)}`, { field: 'intercept', value: config.intercept });
	}
	if (!Array.isArray(config.weights) || config.weights.length === 0) throw new InputError('Add at least one field weight', { field: 'weights' });
	const seen = new Set<string>();
	for (const { field, weight } of config.weights) {
		if (typeof field !== 'string' || field.trim() === '') throw new InputError('A weight has an empty field name', { field: 'weights' });
		if (seen.has(field)) throw new InputError(`Field "${field}" has two weights`, { field });
		seen.add(field);
		if (typeof weight !== 'number' || !Number.isFinite(weight)) {
			throw new InputError(`Weight of "${field}" must be a finite number, got ${describeValue(weight)}`, { field, value: weight });
		}
	}
}

/**
 * Throws when no row has one of the fields at all: almost always a typo in the field name,
 * which would otherwise score every lead as if the field were 0.
 */
export function checkFieldsPresent(rows: LeadRow[], fields: string[]): void {
	for (const field of fields) {
		if (rows.length > 0 && !rows.some((row) => row !== null && typeof row === 'object' && field in row)) {
			throw new InputError(`No item has a field "${field}": check the field name (items have ${describeValue(Object.keys(rows[0] ?? {}))})`, { field });
		}
	}
}

/** Validates the weights once; returns a function scoring one lead. Empty cells count as 0. */
export function prepareWeightsScorer(config: WeightsConfig, options: ScoreOptions = {}): (row: LeadRow, index: number) => LeadScore {
	checkConfig(config);
	const bands = normalizeGrades(options.grades);
	const maxReasons = options.maxReasons ?? 3;
	return (row, index) => {
		if (row === null || typeof row !== 'object') throw new InputError(`Item ${index} is not an object`, { row: index, value: row });
		let logOdds = config.intercept;
		const contributions: Contribution[] = [];
		for (const { field, weight } of config.weights) {
			const value = row[field];
			const x = isMissing(value) ? 0 : readNumber(value, index, field);
			logOdds += weight * x;
			contributions.push({ logOdds: weight * x, text: describeNumber(field, x) });
		}
		const probability = logistic(logOdds);
		const score = probabilityToScore(probability);
		return { probability, score, grade: gradeFor(score, bands), reasons: topReasons(contributions, maxReasons), warnings: [] };
	};
}

/** Scores every row with hand-set weights. */
export function scoreWithWeights(config: WeightsConfig, rows: LeadRow[], options: ScoreOptions = {}): LeadScore[] {
	const scorer = prepareWeightsScorer(config, options);
	checkFieldsPresent(rows, config.weights.map((w) => w.field));
	return rows.map((row, index) => scorer(row, index));
}
