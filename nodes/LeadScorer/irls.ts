/**
 * Logistic regression by Newton–Raphson (= IRLS / Fisher scoring for the canonical logit
 * link; McCullagh & Nelder, "Generalized Linear Models", 2nd ed., §4.4) on a Design.
 * Works on the standardized scale; fit.ts maps coefficients back to the original scale.
 *
 * Penalized log-likelihood (optional ridge, intercept not penalized):
 *   ℓ(β) = Σ wᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − λ/2 Σ_{j≥1} βⱼ²,  ηᵢ = xᵢᵀβ
 *   gradient g = Xᵀ W₀ (y − p) − λβ,  Hessian H = Xᵀ diag(w₀ p(1 − p)) X + λI
 * (w₀ = prior weights). XᵀWX is accumulated row by row straight from the numeric block and the
 * level codes, so a categorical field costs O(1) per row instead of a dense one-hot block.
 */
import { choleskyDecompose, choleskySolve, invertSymmetricPositiveDefinite } from '../shared/linalg';
import type { Design } from './design';
import { gramBlocks } from './weightedGram';

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
	for (const factor of design.factors) {
		const codes = factor.codes;
		const offset = factor.firstColumn - 1; // level l >= 1 has column firstColumn + l - 1
		for (let r = 0; r < n; r++) if (codes[r] > 0) eta[r] += beta[offset + codes[r]];
	}
	return eta;
}

/** Gradient, XᵀWX and (unpenalized) deviance at one linear predictor. */
export interface Pass {
	gradient: Float64Array;
	/** Null from `gradientPass`, which leaves XᵀWX out. */
	hessian: Float64Array | null;
	/** −2 Σ prior·[y η − log(1 + e^η)] at η; 0 with `gramOnly`. */
	deviance: number;
}

/** The row's log(1 + e^η) from e = e^−η, without overflow: η + log1p(e), or log1p(1 / e). */
function softplusFrom(eta: number, e: number): number {
	return eta > 0 ? eta + Math.log1p(e) : Math.log1p(1 / e);
}

/** Gradient Xᵀ prior (y − p) and deviance at η, without XᵀWX: a tenth of `accumulate`'s work. */
export function gradientPass(design: Design, eta: Float64Array, prior: Float64Array): Pass {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const X = design.numeric;
	const y = design.outcome;
	const gradient = new Float64Array(design.columnNames.length);
	let deviance = 0;
	for (let r = 0; r < n; r++) {
		const prior0 = prior[r];
		if (prior0 === 0) continue;
		const e = Math.exp(-eta[r]);
		const residual = prior0 * (y[r] - 1 / (1 + e));
		deviance += prior0 * (softplusFrom(eta[r], e) - y[r] * eta[r]);
		gradient[0] += residual;
		const base = r * q;
		for (let j = 0; j < q; j++) gradient[1 + j] += residual * X[base + j];
		for (const factor of design.factors) if (factor.codes[r] > 0) gradient[factor.firstColumn + factor.codes[r] - 1] += residual;
	}
	return { gradient, hessian: null, deviance: 2 * deviance };
}

/**
 * One pass over the rows: gradient, lower triangle of XᵀWX and deviance at η, where the working
 * weight is `prior · p(1 − p)`; with `gramOnly` the weight is just the prior (plain weighted XᵀX).
 */
export function accumulate(design: Design, eta: Float64Array, prior: Float64Array, gramOnly: boolean): Pass & { hessian: Float64Array } {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const p = design.columnNames.length;
	const d = q + 1; // dense part: intercept + numeric
	// Padded with zero columns to a multiple of 4 for the kernel, with room for one more
	// row, d, that holds the residuals: its products with the columns are the gradient.
	const width = Math.ceil((d + 1) / 4) * 4;
	const X = design.numeric;
	const y = design.outcome;
	const gradient = new Float64Array(p);
	let deviance = 0;
	// The dense d x d block (in `blocks`) is kept compact for cache locality; factor blocks go
	// straight into H.
	const H = new Float64Array(p * p);
	const factors = design.factors;
	const factorCount = factors.length;
	const columns = new Int32Array(factorCount);
	// Rows are processed in blocks of BLOCK, copied column by column (T) and weighted (WT), so
	// the dense block of XᵀWX is a set of dot products over contiguous memory, which the kernel
	// in weightedGram.ts sums with SIMD: about 3× faster than updating the d x d block per row.
	const BLOCK = 64;
	const blocks = gramBlocks(width, BLOCK);
	const { T, WT, dense } = blocks;
	T.fill(1, 0, BLOCK); // the intercept column
	for (let start = 0; start < n; start += BLOCK) {
		const size = Math.min(BLOCK, n - start);
		for (let b = 0; b < size; b++) {
			const r = start + b;
			const prior0 = prior[r];
			let w = 0;
			let residual = 0;
			if (prior0 !== 0) {
				if (gramOnly) w = prior0;
				else {
					const etaR = eta[r];
					const e = Math.exp(-etaR);
					const probability = 1 / (1 + e);
					w = prior0 * probability * (1 - probability);
					residual = prior0 * (y[r] - probability);
					deviance += prior0 * (softplusFrom(etaR, e) - y[r] * etaR);
				}
			}
			WT[b] = w;
			WT[d * BLOCK + b] = residual;
			const base = r * q;
			for (let j = 0; j < q; j++) {
				const xj = X[base + j];
				T[(1 + j) * BLOCK + b] = xj;
				WT[(1 + j) * BLOCK + b] = w * xj;
			}
			if (w === 0 && residual === 0) continue;
			for (let f = 0; f < factorCount; f++) {
				const code = factors[f].codes[r];
				if (code === 0) {
					columns[f] = -1;
					continue;
				}
				const column = factors[f].firstColumn + code - 1;
				columns[f] = column;
				const row = column * p;
				gradient[column] += residual;
				H[row] += w;
				for (let j = 0; j < q; j++) H[row + 1 + j] += w * X[base + j];
				for (let g = 0; g < f; g++) if (columns[g] >= 0) H[row + columns[g]] += w;
				H[row + column] += w;
			}
		}
		blocks.addBlock(d + 1, size);
	}
	for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) H[j * p + k] = dense[j * width + k];
	for (let k = 0; k < d; k++) gradient[k] = dense[d * width + k];
	// Mirror the lower triangle (factor columns always come after the dense block, and a later
	// factor writes into an earlier factor's column, so every entry above was written below).
	for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) H[k * p + j] = H[j * p + k];
	return { gradient, hessian: H, deviance: 2 * deviance };
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
	let eta = linearPredictor(design, beta);
	let pass: Pass = options.firstPass ?? accumulate(design, eta, prior, false);
	let deviance = pass.deviance;
	let objective = deviance + penalty(beta);
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
		let candidateEta = eta;
		let candidatePass = pass;
		let candidateObjective = Infinity;
		for (let halving = 0; halving < 30; halving++) {
			candidate = Float64Array.from(beta);
			for (let a = 0; a < m; a++) candidate[active[a]] += scale * step[a];
			candidateEta = linearPredictor(design, candidate);
			candidatePass = keepHessian ? gradientPass(design, candidateEta, prior) : accumulate(design, candidateEta, prior, false);
			candidateObjective = candidatePass.deviance + penalty(candidate);
			if (candidateObjective <= objective * (1 + 1e-12) + 1e-12) break;
			scale /= 2;
		}
		if (!(candidateObjective <= objective * (1 + 1e-12) + 1e-12)) {
			// No step improves the fit: we are at the optimum to machine precision.
			converged = largestStep < 1e-4;
			break;
		}
		beta.set(candidate);
		eta = candidateEta;
		pass = candidatePass;
		deviance = pass.deviance;
		objective = candidateObjective;
		if (largestStep < 1e-8) {
			converged = true;
			break;
		}
	}

	let maxAbsLinearPredictor = 0;
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
