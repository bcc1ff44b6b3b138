/**
 * Train model: logistic regression on won/lost history, reported like R's
 * `summary(glm(won ~ ..., family = binomial))`, plus a self-contained model for scoring.
 *
 * Standard errors come from the inverse Fisher information (XᵀWX)⁻¹ at the estimate
 * (McCullagh & Nelder 1989, §4.4.5); z = estimate / SE, p = 2·P(Z > |z|) (Wald test);
 * AIC = deviance + 2k for 0/1 outcomes (Akaike 1974). The fit runs on standardized numeric
 * columns; estimates and covariance are mapped back exactly: β = Tβ*, Cov = T Cov* Tᵀ.
 */
import { InputError, describeValue } from '../shared/errors';
import { normalSurvival } from '../shared/distributions';
import { buildDesign, MISSING_LEVEL, type Design, type DesignSpec } from './design';
import { evaluateBinary, type BinaryEvaluation } from './evaluate';
import { accumulate, fitIrls, linearPredictor, startingCoefficients, type IrlsResult } from './irls';
import { MODEL_SCHEMA, MODEL_VERSION, type LeadScoreModel, type NumericTerm } from './model';
import { findAliasedColumns, findSeparatedColumns, varianceInflation, type SeparatedColumn } from './safeguards';
import { foldAssignment, type ValidationOptions } from './validation';
import type { LeadRow } from './values';

export type ClassWeights = 'balanced' | { won?: number; lost?: number };

export interface LogisticRegressionOptions extends DesignSpec {
	/** Ridge penalty λ on standardized features (0 = none): adds λ/2·Σβ² to −log-likelihood. */
	l2?: number;
	/** Weight of won and lost rows; 'balanced' gives each class half the total weight. */
	classWeights?: ClassWeights;
	/** Newton iterations before giving up (default 50). */
	maxIterations?: number;
	/**
	 * Held-out evaluation: a stratified holdout split or k-fold cross-validation. The metrics
	 * come from fits that did not see the held-out rows; the returned model uses all rows.
	 */
	validation?: ValidationOptions;
	/** Probability at which a lead counts as predicted won, for accuracy/precision/recall (default 0.5). */
	threshold?: number;
}

export interface CoefficientRow {
	/** '(Intercept)', a numeric field, or `field=level`. */
	name: string;
	/** Null when the column is a combination of earlier ones (aliased, as R's NA). */
	estimate: number | null;
	stdError: number | null;
	z: number | null;
	pValue: number | null;
}

export interface SeparationReport {
	/** Columns that on their own separate won from lost (empty when only a combination does). */
	columns: SeparatedColumn[];
	/** L2 penalty used to keep the estimates finite. */
	penaltyUsed: number;
}

export interface LogisticRegressionResult {
	model: LeadScoreModel;
	coefficients: CoefficientRow[];
	/** Residual deviance −2 log L at the estimate (unpenalized). */
	deviance: number;
	nullDeviance: number;
	aic: number;
	degreesOfFreedom: { null: number; residual: number };
	iterations: number;
	converged: boolean;
	rowsUsed: number;
	wonRows: number;
	lostRows: number;
	rowsDropped: number;
	rowsWithoutOutcome: number;
	missingCounts: Record<string, number>;
	/** Column names dropped as combinations of earlier columns. */
	aliased: string[];
	/** Null when the data do not separate won from lost. */
	separation: SeparationReport | null;
	/** Out-of-sample metrics when validation was asked for. */
	validation?: BinaryEvaluation & { method: string; folds: number };
	warnings: string[];
}

/** Penalty used when the data separate won from lost and the user set none. */
export const SEPARATION_PENALTY = 1;
const DEFAULT_MAX_ITERATIONS = 50;

function priorWeights(design: Design, classWeights: ClassWeights | undefined): Float64Array {
	const prior = new Float64Array(design.rowCount).fill(1);
	if (classWeights === undefined) return prior;
	let wonRows = 0;
	for (let r = 0; r < design.rowCount; r++) wonRows += design.outcome[r];
	let won: number;
	let lost: number;
	if (classWeights === 'balanced') {
		// Each class gets half the total weight (scikit-learn's n / (2·n_class)).
		won = design.rowCount / (2 * wonRows);
		lost = design.rowCount / (2 * (design.rowCount - wonRows));
	} else {
		won = classWeights.won ?? 1;
		lost = classWeights.lost ?? 1;
	}
	for (const [name, value] of [['won', won], ['lost', lost]] as const) {
		if (!(Number.isFinite(value) && value > 0)) {
			throw new InputError(`Class weight for ${name} must be a positive number, got ${describeValue(value)}`, { field: 'classWeights', value });
		}
	}
	for (let r = 0; r < design.rowCount; r++) prior[r] = design.outcome[r] === 1 ? won : lost;
	return prior;
}

function checkBothClasses(design: Design, target: string): { wonRows: number; lostRows: number } {
	let wonRows = 0;
	for (let r = 0; r < design.rowCount; r++) wonRows += design.outcome[r];
	const lostRows = design.rowCount - wonRows;
	if (wonRows === 0 || lostRows === 0) {
		throw new InputError(
			`Outcome field "${target}" has only ${wonRows === 0 ? 'lost' : 'won'} rows (${wonRows} won, ${lostRows} lost): a model needs both won and lost leads`,
			{ field: target },
		);
	}
	return { wonRows, lostRows };
}

interface GuardedFit {
	irls: IrlsResult;
	active: boolean[];
	aliased: number[];
	gram: Float64Array;
	separation: SeparationReport | null;
	l2Used: number;
}

/** Fits with aliasing and separation handled: never runaway coefficients, never NaN. */
function guardedFit(design: Design, prior: Float64Array, l2: number, maxIterations: number): GuardedFit {
	// The first Newton pass (at the intercept-only start) doubles as the collinearity check.
	const firstPass = accumulate(design, startingCoefficients(design, prior), prior, false);
	const { active, aliased, gram } = findAliasedColumns(design, prior, firstPass.hessian);
	const separated = findSeparatedColumns(design, prior).filter((column) => {
		const index = design.columnNames.indexOf(column.name);
		return index < 0 || active[index]; // baseline levels (no column) still separate
	});
	let irls = fitIrls(design, { l2, prior, active, maxIterations, firstPass });
	let separation: SeparationReport | null = null;
	let l2Used = l2;
	if (separated.length > 0 || !irls.converged) {
		if (l2 === 0) {
			l2Used = SEPARATION_PENALTY;
			irls = fitIrls(design, { l2: l2Used, prior, active, maxIterations, firstPass });
		}
		if (separated.length > 0 || l2 === 0) separation = { columns: separated, penaltyUsed: l2Used };
	}
	return { irls, active, aliased, gram, separation, l2Used };
}

/** Maps standardized-scale coefficients and covariance to the original scale (β = Tβ*). */
function toOriginalScale(design: Design, beta: Float64Array, covariance: Float64Array | null): { estimate: Float64Array; covariance: Float64Array | null } {
	const p = design.columnNames.length;
	const q = design.numericFields.length;
	const T = new Float64Array(p * p);
	for (let j = 0; j < p; j++) T[j * p + j] = 1;
	for (let j = 0; j < q; j++) {
		const sd = design.standardDeviations[j];
		T[(1 + j) * p + (1 + j)] = 1 / sd;
		T[1 + j] = -design.means[j] / sd; // intercept row: β₀ = β₀* − Σ βⱼ* mⱼ / sⱼ
	}
	const estimate = new Float64Array(p);
	for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) estimate[i] += T[i * p + k] * beta[k];
	if (covariance === null) return { estimate, covariance: null };
	const TC = new Float64Array(p * p);
	for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) if (T[i * p + k] !== 0) for (let j = 0; j < p; j++) TC[i * p + j] += T[i * p + k] * covariance[k * p + j];
	const result = new Float64Array(p * p);
	for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) result[i * p + j] += TC[i * p + k] * T[j * p + k];
	return { estimate, covariance: result };
}

function coefficientTable(design: Design, active: boolean[], estimate: Float64Array, covariance: Float64Array | null): CoefficientRow[] {
	const p = design.columnNames.length;
	return design.columnNames.map((name, j) => {
		if (!active[j]) return { name, estimate: null, stdError: null, z: null, pValue: null };
		const variance = covariance === null ? NaN : covariance[j * p + j];
		if (!(variance > 0) || !Number.isFinite(variance)) return { name, estimate: estimate[j], stdError: null, z: null, pValue: null };
		const stdError = Math.sqrt(variance);
		const z = estimate[j] / stdError;
		return { name, estimate: estimate[j], stdError, z, pValue: 2 * normalSurvival(Math.abs(z)) };
	});
}

function buildModel(design: Design, target: string, estimate: Float64Array, active: boolean[], l2: number, rowsUsed: number): LeadScoreModel {
	const coefficient = (column: number) => (active[column] ? estimate[column] : 0);
	const numeric = design.numericFields.map((field, j): NumericTerm => ({
		field,
		coefficient: coefficient(1 + j),
		mean: design.means[j],
		standardDeviation: design.standardDeviations[j],
	}));
	const categorical: LeadScoreModel['categorical'] = [];
	for (const factor of design.factors) {
		if (factor.missingIndicator) {
			const term = numeric.find((t) => t.field === factor.field)!;
			Object.assign(term, { missingCoefficient: coefficient(factor.firstColumn), missingShare: factor.shares[1] });
			continue;
		}
		const levels = factor.levels.map((level, l) => ({ level, coefficient: l === 0 ? 0 : coefficient(factor.firstColumn + l - 1), share: factor.shares[l] }));
		let mostFrequent = 0;
		factor.shares.forEach((share, l) => {
			if (share > factor.shares[mostFrequent]) mostFrequent = l;
		});
		const missingLevel = factor.levels.includes(MISSING_LEVEL) ? MISSING_LEVEL : factor.levels[mostFrequent];
		categorical.push({ field: factor.field, levels, missingLevel });
	}
	let averageLogOdds = coefficient(0);
	for (const term of numeric) averageLogOdds += term.coefficient * term.mean;
	for (const term of numeric) averageLogOdds += (term.missingCoefficient ?? 0) * (term.missingShare ?? 0);
	for (const term of categorical) for (const level of term.levels) averageLogOdds += level.coefficient * level.share;
	return {
		schema: MODEL_SCHEMA,
		version: MODEL_VERSION,
		target,
		intercept: coefficient(0),
		numeric,
		categorical,
		missingPolicy: design.missingPolicy,
		l2,
		trainingRows: rowsUsed,
		averageLogOdds,
	};
}

function validate(design: Design, prior: Float64Array, options: LogisticRegressionOptions, l2: number, maxIterations: number): LogisticRegressionResult['validation'] {
	const validation = options.validation!;
	// Folds are dealt, and held-out rows listed, in input order (design rows are grouped by
	// level), so a seed splits the same items whatever the grouping.
	const inputOrder = Int32Array.from({ length: design.rowCount }, (_, r) => r).sort((a, b) => design.sourceRows[a] - design.sourceRows[b]);
	const dealt = foldAssignment(Float64Array.from(inputOrder, (r) => design.outcome[r]), validation);
	const folds = dealt.folds;
	const fold = new Int32Array(design.rowCount);
	inputOrder.forEach((r, i) => (fold[r] = dealt.fold[i]));
	const probabilities = new Float64Array(design.rowCount);
	const heldOut = new Uint8Array(design.rowCount);
	for (let k = 0; k < folds; k++) {
		const foldPrior = Float64Array.from(prior);
		for (let r = 0; r < design.rowCount; r++) if (fold[r] === k) foldPrior[r] = 0;
		let won = 0;
		let weight = 0;
		for (let r = 0; r < design.rowCount; r++) {
			won += foldPrior[r] * design.outcome[r];
			weight += foldPrior[r];
		}
		if (won === 0 || won === weight) throw new InputError(`Validation fold ${k + 1} has only one class left to train on: use fewer folds or more history`);
		const { irls } = guardedFit(design, foldPrior, l2, maxIterations);
		const eta = linearPredictor(design, irls.beta);
		for (let r = 0; r < design.rowCount; r++) {
			if (fold[r] !== k) continue;
			probabilities[r] = 1 / (1 + Math.exp(-eta[r]));
			heldOut[r] = 1;
		}
	}
	const labels: number[] = [];
	const predicted: number[] = [];
	for (const r of inputOrder) {
		if (!heldOut[r]) continue;
		labels.push(design.outcome[r]);
		predicted.push(probabilities[r]);
	}
	return { method: validation.method, folds, ...evaluateBinary(labels, predicted, { threshold: options.threshold ?? 0.5 }) };
}

/**
 * Fits P(won) = 1 / (1 + e^−(β₀ + Σ βⱼ xⱼ)) by maximum likelihood (optionally ridge-penalized).
 * Throws InputError for empty input, a single outcome class, or a bad cell (item, field, value).
 */
export function fitLogisticRegression(rows: LeadRow[], options: LogisticRegressionOptions): LogisticRegressionResult {
	const l2 = options.l2 ?? 0;
	if (!(Number.isFinite(l2) && l2 >= 0)) throw new InputError(`L2 penalty must be a number >= 0, got ${describeValue(l2)}`, { field: 'l2', value: l2 });
	const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
	if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new InputError(`maxIterations must be a whole number >= 1, got ${describeValue(maxIterations)}`);

	const design = buildDesign(rows, options);
	const { wonRows, lostRows } = checkBothClasses(design, options.target);
	const prior = priorWeights(design, options.classWeights);
	const fit = guardedFit(design, prior, l2, maxIterations);
	const { irls, active } = fit;
	const { estimate, covariance } = toOriginalScale(design, irls.beta, irls.covariance);
	const coefficients = coefficientTable(design, active, estimate, covariance);

	let weightTotal = 0;
	let wonWeight = 0;
	for (let r = 0; r < design.rowCount; r++) {
		weightTotal += prior[r];
		wonWeight += prior[r] * design.outcome[r];
	}
	const share = wonWeight / weightTotal;
	const nullDeviance = -2 * (wonWeight * Math.log(share) + (weightTotal - wonWeight) * Math.log(1 - share));
	const estimated = active.filter(Boolean).length;

	const warnings = collectWarnings(design, fit, options);
	const result: LogisticRegressionResult = {
		model: buildModel(design, options.target, estimate, active, fit.l2Used, design.rowCount),
		coefficients,
		deviance: irls.deviance,
		nullDeviance,
		aic: irls.deviance + 2 * estimated,
		degreesOfFreedom: { null: design.rowCount - 1, residual: design.rowCount - estimated },
		iterations: irls.iterations,
		converged: irls.converged,
		rowsUsed: design.rowCount,
		wonRows,
		lostRows,
		rowsDropped: design.rowsDropped,
		rowsWithoutOutcome: design.rowsWithoutOutcome,
		missingCounts: design.missingCounts,
		aliased: fit.aliased.map((j) => design.columnNames[j]),
		separation: fit.separation,
		warnings,
	};
	if (options.validation) result.validation = validate(design, prior, options, l2, maxIterations);
	return result;
}

function collectWarnings(design: Design, fit: GuardedFit, options: LogisticRegressionOptions): string[] {
	const warnings: string[] = [];
	const p = design.columnNames.length;
	if (design.rowsWithoutOutcome > 0) warnings.push(`${design.rowsWithoutOutcome} rows have an empty "${options.target}" (open leads) and were skipped`);
	if (design.rowsDropped > 0) warnings.push(`${design.rowsDropped} rows were dropped for an empty feature (missing-value policy "drop")`);
	for (const field of design.constantFields) warnings.push(`"${field}" has the same value in every row, so its effect cannot be estimated`);
	for (const j of fit.aliased) {
		const name = design.columnNames[j];
		if (!design.constantFields.includes(name)) warnings.push(`"${name}" is a combination of earlier features (collinear); its coefficient is left out (null), as R reports NA`);
	}
	const vif = varianceInflation(fit.gram, p, fit.active);
	vif.forEach((value, j) => {
		if (value !== null && value > 1000) warnings.push(`"${design.columnNames[j]}" is nearly collinear with other features (variance inflation ${Math.round(value)}); its standard error is large`);
	});
	if (fit.separation) {
		const cause =
			fit.separation.columns.length > 0
				? fit.separation.columns.map((c) => c.detail).join('; ')
				: 'a combination of features predicts the outcome perfectly';
		warnings.push(
			`Perfect separation: ${cause}. The plain maximum-likelihood estimate does not exist (coefficients grow without bound), so the model was fitted with an L2 penalty of ${fit.separation.penaltyUsed}; treat standard errors and p-values as approximate. Merge rare levels or add more history.`,
		);
	} else if (fit.l2Used > 0) {
		warnings.push(`With an L2 penalty (${fit.l2Used}) estimates are shrunk towards 0; standard errors and p-values are approximate`);
	}
	if (!fit.irls.converged) warnings.push(`The fit did not converge in ${fit.irls.iterations} iterations; estimates may be inaccurate`);
	if (fit.irls.covariance === null) warnings.push('Standard errors could not be computed (singular information matrix)');
	return warnings;
}
