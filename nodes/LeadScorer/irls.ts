/**
 * Logistic regression by Newton–Raphson (= IRLS / Fisher scoring for the canonical logit
 * link; McCullagh & Nelder, "Generalized Linear Models", 2nd ed., §4.4) on a Design.
 * Works on the standardized scale; fitLogisticRegression.ts maps coefficients back to the original scale.
 *
 * Penalized log-likelihood (optional ridge, intercept not penalized):
 *   ℓ(β) = Σ wᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − λ/2 Σ_{j≥1} βⱼ²,  ηᵢ = xᵢᵀβ
 *   gradient g = Xᵀ W₀ (y − p) − λβ,  Hessian H = Xᵀ diag(w₀ p(1 − p)) X + λI
 * (w₀ = prior weights). XᵀWX is accumulated from the numeric block in blocks of rows (SIMD
 * kernel in trainingKernel.ts) and from the level codes, never from dense one-hot columns: the
 * first categorical field costs nothing per row (rows come grouped by its level), any other
 * field O(number of numeric fields) per row.
 */
import { choleskyDecompose, choleskySolve, invertSymmetricPositiveDefinite } from '../shared/linalg';
import type { Design } from './design';
import { BLOCK_ROWS, blockWidth, trainingBlocks } from './trainingKernel';

/** Linear predictor η of every design row for coefficients β (standardized scale). */
export function linearPredictor(design: Design, beta: Float64Array): Float64Array {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const X = design.numeric;
	const eta = new Float64Array(n);
	for (let r = 0; r < n; r++) {
		let sum = beta[0];
		const base = r * q;
		for (let j = 0; j < q; j++) sum += beta[1 + j] * X[base + j];
		eta[r] = sum;
	}
	const { codes, offsets } = factorColumns(design);
	for (let f = 0; f < codes.length; f++) for (let r = 0; r < n; r++) if (codes[f][r] > 0) eta[r] += beta[offsets[f] + codes[f][r]];
	return eta;
}

/** Linear predictor, gradient and XᵀWX at one β. */
export interface Pass {
	/** η = Xβ of every design row. */
	eta: Float64Array;
	gradient: Float64Array;
	/** Null from `gradientPass`, which leaves XᵀWX out. */
	hessian: Float64Array | null;
}

/**
 * Unpenalized deviance −2 Σ prior·[y η − log(1 + e^η)] from the linear predictor, with
 * log(1 + e^η) computed without overflow as η + log1p(e^−η) or log1p(e^η).
 */
export function devianceAt(design: Design, eta: Float64Array, prior: Float64Array): number {
	const y = design.outcome;
	let sum = 0;
	for (let r = 0; r < design.rowCount; r++) {
		const prior0 = prior[r];
		if (prior0 === 0) continue;
		const etaR = eta[r];
		const softplus = etaR > 0 ? etaR + Math.log1p(Math.exp(-etaR)) : Math.log1p(Math.exp(etaR));
		sum += prior0 * (softplus - y[r] * etaR);
	}
	return 2 * sum;
}

/** Each factor's level codes and the column before its first level (level l ≥ 1 is column offset + l). */
function factorColumns(design: Design): { codes: Int32Array[]; offsets: Int32Array } {
	return { codes: design.factors.map((factor) => factor.codes), offsets: Int32Array.from(design.factors, (factor) => factor.firstColumn - 1) };
}

/** η and gradient Xᵀ prior (y − p) at β, without XᵀWX: about half of `accumulate`'s time. */
export function gradientPass(design: Design, beta: Float64Array, prior: Float64Array): Pass {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const d = q + 1; // intercept + numeric; block column d holds the residuals
	const y = design.outcome;
	const { codes, offsets } = factorColumns(design);
	const factorCount = codes.length;
	const eta = new Float64Array(n);
	const gradient = new Float64Array(design.columnNames.length);
	const blocks = trainingBlocks(design.numeric, q);
	const { WT, dense } = blocks;
	const blockEta = blocks.eta;
	const residuals = d * BLOCK_ROWS; // where the block's residual column starts
	blocks.beta.set(beta.subarray(0, d));
	for (let start = 0; start < n; start += BLOCK_ROWS) {
		const size = Math.min(BLOCK_ROWS, n - start);
		blocks.loadRows(start, size);
		blocks.predict(size);
		for (let b = 0; b < size; b++) {
			const r = start + b;
			let etaR = blockEta[b];
			for (let f = 0; f < factorCount; f++) if (codes[f][r] > 0) etaR += beta[offsets[f] + codes[f][r]];
			eta[r] = etaR;
			const residual = prior[r] * (y[r] - 1 / (1 + Math.exp(-etaR)));
			WT[residuals + b] = residual;
			for (let f = 0; f < factorCount; f++) if (codes[f][r] > 0) gradient[offsets[f] + codes[f][r]] += residual;
		}
		blocks.addRowProducts(d, size);
	}
	for (let k = 0; k < d; k++) gradient[k] = dense[d * blockWidth(q) + k];
	return { eta, gradient, hessian: null };
}

/**
 * One pass over the rows: η, gradient and the lower triangle of XᵀWX at β, where the
 * working weight is `prior · p(1 − p)`; with `gramOnly` the weight is just the prior (plain
 * weighted XᵀX, and β is not used).
 */
export function accumulate(design: Design, beta: Float64Array, prior: Float64Array, gramOnly: boolean): Pass & { hessian: Float64Array } {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const p = design.columnNames.length;
	const d = q + 1; // dense part: intercept + numeric
	// The blocks' columns: 0 the intercept, 1..q the numeric fields, d the residuals (their
	// products with the columns are the gradient), zero padding up to a multiple of 4.
	const width = blockWidth(q);
	const X = design.numeric;
	const y = design.outcome;
	const eta = new Float64Array(n);
	const gradient = new Float64Array(p);
	const H = new Float64Array(p * p);
	const { codes, offsets } = factorColumns(design);
	const factorCount = codes.length;
	const columns = new Int32Array(factorCount);
	// Rows are processed in blocks, copied column by column (T) and weighted (WT), so the dense
	// block of XᵀWX (intercept and numeric fields) is a set of dot products over contiguous
	// memory, which trainingKernel.ts sums with SIMD: about 3× faster than row by row.
	const blocks = trainingBlocks(X, q);
	const { WT, dense } = blocks;
	const blockEta = blocks.eta;
	const residuals = d * BLOCK_ROWS; // where the block's residual column starts
	blocks.beta.set(beta.subarray(0, d));
	// The rows come grouped by the first factor's level (design.ts), so the blocks are taken
	// within each level's run, and that level's part of XᵀWX and the gradient is the run's own
	// sums in column 0 of the dense block (Σw, Σw·x, Σ residual): nothing to add row by row.
	// `total` collects the runs' dense blocks.
	const grouped = factorCount > 0 ? codes[0] : null;
	const total = new Float64Array(width * width);
	for (let runStart = 0; runStart < n; ) {
		let runEnd = n;
		if (grouped !== null) for (runEnd = runStart + 1; runEnd < n && grouped[runEnd] === grouped[runStart]; ) runEnd++;
		for (let start = runStart; start < runEnd; start += BLOCK_ROWS) {
			const size = Math.min(BLOCK_ROWS, runEnd - start);
			blocks.loadRows(start, size);
			if (!gramOnly) blocks.predict(size);
			for (let b = 0; b < size; b++) {
				const r = start + b;
				const prior0 = prior[r];
				let etaR = 0;
				if (!gramOnly) {
					etaR = blockEta[b];
					for (let f = 0; f < factorCount; f++) if (codes[f][r] > 0) etaR += beta[offsets[f] + codes[f][r]];
				}
				eta[r] = etaR;
				let w = 0;
				let residual = 0;
				if (prior0 !== 0) {
					if (gramOnly) w = prior0;
					else {
						const probability = 1 / (1 + Math.exp(-etaR));
						w = prior0 * probability * (1 - probability);
						residual = prior0 * (y[r] - probability);
					}
				}
				WT[b] = w;
				WT[residuals + b] = residual;
				if (factorCount < 2 || (w === 0 && residual === 0)) continue;
				// The other factors, row by row: their level × numeric sums and the cross terms.
				columns[0] = codes[0][r] > 0 ? offsets[0] + codes[0][r] : -1;
				const base = r * q;
				for (let f = 1; f < factorCount; f++) {
					const code = codes[f][r];
					if (code === 0) {
						columns[f] = -1;
						continue;
					}
					const column = offsets[f] + code;
					columns[f] = column;
					const row = column * p;
					gradient[column] += residual;
					H[row] += w;
					for (let j = 0; j < q; j++) H[row + 1 + j] += w * X[base + j];
					for (let g = 0; g < f; g++) if (columns[g] >= 0) H[row + columns[g]] += w;
					H[row + column] += w;
				}
			}
			blocks.weightColumns(size);
			blocks.addProducts(d + 1, size);
		}
		for (let i = 0; i < total.length; i++) total[i] += dense[i];
		if (grouped !== null && grouped[runStart] > 0) {
			const column = offsets[0] + grouped[runStart];
			const row = column * p;
			for (let k = 0; k < d; k++) H[row + k] += dense[k * width];
			H[row + column] += dense[0];
			gradient[column] += dense[d * width];
		}
		dense.fill(0);
		runStart = runEnd;
	}
	for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) H[j * p + k] = total[j * width + k];
	for (let k = 0; k < d; k++) gradient[k] = total[d * width + k];
	// Mirror the lower triangle (factor columns always come after the dense block, and a later
	// factor writes into an earlier factor's column, so every entry above was written below).
	for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) H[k * p + j] = H[j * p + k];
	return { eta, gradient, hessian: H };
}

export interface IrlsOptions {
	/** Ridge penalty λ on the standardized scale (0 = plain maximum likelihood). */
	l2: number;
	/** Prior weights per design row (class weights; 0 leaves a row out, e.g. a validation fold). */
	prior: Float64Array;
	/** Columns to estimate; the others are held at 0 (aliased columns). */
	active: boolean[];
	maxIterations: number;
	/** `accumulate` at `startingCoefficients` if the caller already has it (saves one pass). */
	firstPass?: Pass & { hessian: Float64Array };
}

export interface IrlsResult {
	/** Coefficients on the standardized scale (0 for inactive columns). */
	beta: Float64Array;
	/** (XᵀWX + λI)⁻¹ over all columns (rows/columns of inactive ones are 0); null if singular. */
	covariance: Float64Array | null;
	/** Unpenalized deviance at beta. */
	deviance: number;
	iterations: number;
	converged: boolean;
	/** Largest |η| at the end: beyond ~30 fitted probabilities are numerically 0 or 1. */
	maxAbsLinearPredictor: number;
}

/**
 * Where Newton starts: the intercept-only fit, logit of the weighted share of won leads.
 * There every working weight is prior·p̄(1 − p̄), so the first XᵀWX is a multiple of the
 * weighted Gram matrix, which the collinearity check reuses.
 */
export function startingCoefficients(design: Design, prior: Float64Array): Float64Array {
	let weightTotal = 0;
	let wonTotal = 0;
	for (let r = 0; r < design.rowCount; r++) {
		weightTotal += prior[r];
		wonTotal += prior[r] * design.outcome[r];
	}
	const beta = new Float64Array(design.columnNames.length);
	beta[0] = Math.log(wonTotal / (weightTotal - wonTotal));
	return beta;
}

/** Extracts the active sub-matrix and adds λ to the non-intercept diagonal. */
function activeSystem(H: Float64Array, p: number, active: number[], l2: number): Float64Array {
	const m = active.length;
	const A = new Float64Array(m * m);
	for (let a = 0; a < m; a++) {
		for (let b = 0; b < m; b++) A[a * m + b] = H[active[a] * p + active[b]];
		if (active[a] !== 0) A[a * m + a] += l2;
	}
	return A;
}

/**
 * Newton iterations with step halving until the largest coefficient step is below 1e-8
 * (standardized scale). Newton converges quadratically, so the reported estimates are then
 * accurate to about machine precision — tighter than R's glm default (deviance change < 1e-8).
 */
export function fitIrls(design: Design, options: IrlsOptions): IrlsResult {
	const p = design.columnNames.length;
	const active: number[] = [];
	options.active.forEach((isActive, j) => isActive && active.push(j));
	const m = active.length;
	const { prior, l2 } = options;

	const beta = startingCoefficients(design, prior);
	const penalty = (b: Float64Array) => {
		let sum = 0;
		for (let j = 1; j < p; j++) sum += b[j] * b[j];
		return l2 * sum; // on the deviance scale: −2 × (−λ/2 Σβ²)
	};
	let pass: Pass = options.firstPass ?? accumulate(design, beta, prior, false);
	// The penalized deviance F = deviance + penalty, which the steps must not increase. F is
	// convex, so along a step s its increase up to a candidate is at most the slope there:
	// F(candidate) − F(β) ≤ ∇F(candidate)·(candidate − β). The candidate's pass gives that
	// gradient, so F itself (a log per row) is computed only when the slope is not small.
	const objectiveAt = (at: Pass, b: Float64Array) => devianceAt(design, at.eta, prior) + penalty(b);
	let weightTotal = 0;
	for (let r = 0; r < design.rowCount; r++) weightTotal += prior[r];
	const tolerance = 1e-12 * (1 + weightTotal); // F is of the order of the total weight
	let objective: number | null = null; // F at β, once computed
	let converged = false;
	let iterations = 0;
	// The XᵀWX steps are solved with (and the covariance comes from), and its Cholesky factor.
	let hessian: Float64Array = pass.hessian!;
	let factor: Float64Array | null = null;

	while (iterations < options.maxIterations) {
		iterations++;
		if (pass.hessian !== null) {
			hessian = pass.hessian;
			factor = choleskyDecompose(activeSystem(hessian, p, active, l2), m);
		}
		if (factor === null) break; // fitted probabilities at 0/1 (separation): caller reports it
		const g = new Float64Array(m);
		for (let a = 0; a < m; a++) g[a] = pass.gradient[active[a]] - (active[a] === 0 ? 0 : l2 * beta[active[a]]);
		const step = choleskySolve(factor, g, m);
		let largestStep = 0;
		for (let a = 0; a < m; a++) largestStep = Math.max(largestStep, Math.abs(step[a]));
		if (!Number.isFinite(largestStep)) break;
		// Within 1e-7 of the optimum XᵀWX no longer changes the step or the standard errors in
		// their first 6 digits, so the next point gets only a gradient pass and the step after it
		// is solved with this XᵀWX again (a simplified Newton step): one full pass fewer per fit.
		const keepHessian = largestStep < 1e-7;
		// Step halving (as R's glm.fit does) keeps the penalized deviance from going up. Each
		// candidate gets the pass the next iteration needs.
		let scale = 1;
		let candidate = new Float64Array(p);
		let candidatePass = pass;
		let candidateObjective: number | null = null;
		let accepted = false;
		for (let halving = 0; halving < 30 && !accepted; halving++) {
			candidate = Float64Array.from(beta);
			for (let a = 0; a < m; a++) candidate[active[a]] += scale * step[a];
			candidatePass = keepHessian ? gradientPass(design, candidate, prior) : accumulate(design, candidate, prior, false);
			candidateObjective = null; // not the value of a rejected, longer step
			// ∇F = −2 (gradient of the log-likelihood − λβ), the intercept unpenalized.
			let slope = 0;
			for (let a = 0; a < m; a++) {
				const j = active[a];
				slope -= 2 * (candidatePass.gradient[j] - (j === 0 ? 0 : l2 * candidate[j])) * scale * step[a];
			}
			if (slope <= tolerance) accepted = true;
			else {
				objective ??= objectiveAt(pass, beta);
				candidateObjective = objectiveAt(candidatePass, candidate);
				accepted = candidateObjective <= objective * (1 + 1e-12) + tolerance;
				if (!accepted) scale /= 2;
			}
		}
		if (!accepted) {
			// No step improves the fit: we are at the optimum to machine precision.
			converged = largestStep < 1e-4;
			break;
		}
		beta.set(candidate);
		pass = candidatePass;
		objective = candidateObjective;
		if (largestStep < 1e-8) {
			converged = true;
			break;
		}
	}

	const deviance = devianceAt(design, pass.eta, prior);
	let maxAbsLinearPredictor = 0;
	const eta = pass.eta;
	for (let r = 0; r < eta.length; r++) if (prior[r] > 0) maxAbsLinearPredictor = Math.max(maxAbsLinearPredictor, Math.abs(eta[r]));
	let covariance: Float64Array | null = null;
	try {
		const inverse = invertSymmetricPositiveDefinite(activeSystem(hessian, p, active, l2), m);
		covariance = new Float64Array(p * p);
		for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) covariance[active[a] * p + active[b]] = inverse[a * m + b];
	} catch {
		covariance = null;
	}
	return { beta, covariance, deviance, iterations, converged, maxAbsLinearPredictor };
}
