/**
 * Small dense linear algebra for the models (IRLS / Newton steps, covariance matrices,
 * collinearity checks). Matrices are row-major Float64Array: element (i, j) of an m x n
 * matrix is `A[i * n + j]`. Inputs are never modified; every function returns new arrays.
 *
 * Algorithms follow Golub & Van Loan, "Matrix Computations" (4th ed.):
 * Cholesky (Alg. 4.2.2), LU with partial pivoting (Alg. 3.4.1), Householder QR with column
 * pivoting (Alg. 5.4.1), cyclic Jacobi for symmetric eigenvalues (Alg. 8.5.3), and the
 * pivoted (semi-definite) Cholesky of Higham, "Accuracy and Stability of Numerical
 * Algorithms" (2nd ed.), section 10.3 (LAPACK dpstrf).
 */

/** Thrown when a matrix is singular or not positive definite where that is required. */
export class LinearAlgebraError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LinearAlgebraError';
	}
}

const EPSILON = 2.220446049250313e-16;

function checkSquare(A: ArrayLike<number>, n: number, name: string): void {
	if (!Number.isInteger(n) || n < 0 || A.length !== n * n) {
		throw new LinearAlgebraError(`${name}: expected a ${n} x ${n} matrix (${n * n} values), got ${A.length} values`);
	}
}

function checkVector(b: ArrayLike<number>, n: number, name: string): void {
	if (b.length !== n) throw new LinearAlgebraError(`${name}: expected a vector of ${n} values, got ${b.length}`);
}

/**
 * Cholesky factor L (lower triangular, A = L Lᵀ) of a symmetric positive-definite matrix.
 * Only the lower triangle of A is read. Returns null when A is not (numerically) positive
 * definite: a pivot at or below n·ε·max|diag(A)| counts as zero, so exactly singular Gram
 * matrices are reported even when rounding leaves a tiny positive pivot.
 */
export function choleskyDecompose(A: ArrayLike<number>, n: number): Float64Array<ArrayBuffer> | null {
	checkSquare(A, n, 'choleskyDecompose');
	let maxDiagonal = 0;
	for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, Math.abs(A[i * n + i]));
	const tolerance = n * EPSILON * maxDiagonal;
	const L = new Float64Array(n * n);
	for (let j = 0; j < n; j++) {
		const rowJ = j * n;
		let pivot = A[rowJ + j];
		for (let k = 0; k < j; k++) pivot -= L[rowJ + k] * L[rowJ + k];
		if (!(pivot > tolerance)) return null; // also catches NaN
		const diagonal = Math.sqrt(pivot);
		L[rowJ + j] = diagonal;
		for (let i = j + 1; i < n; i++) {
			const rowI = i * n;
			let sum = A[rowI + j];
			for (let k = 0; k < j; k++) sum -= L[rowI + k] * L[rowJ + k];
			L[rowI + j] = sum / diagonal;
		}
	}
	return L;
}

/** Solves L Lᵀ x = b given the Cholesky factor L from `choleskyDecompose`. */
export function choleskySolve(L: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array<ArrayBuffer> {
	checkSquare(L, n, 'choleskySolve');
	checkVector(b, n, 'choleskySolve');
	const x = Float64Array.from(b);
	// Forward substitution: L y = b.
	for (let i = 0; i < n; i++) {
		let sum = x[i];
		for (let k = 0; k < i; k++) sum -= L[i * n + k] * x[k];
		x[i] = sum / L[i * n + i];
	}
	// Back substitution: Lᵀ x = y.
	for (let i = n - 1; i >= 0; i--) {
		let sum = x[i];
		for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
		x[i] = sum / L[i * n + i];
	}
	return x;
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor (used for the
 * covariance matrix = inverse Fisher information). Throws LinearAlgebraError when A is not
 * positive definite. The result is exactly symmetric.
 */
export function invertSymmetricPositiveDefinite(A: ArrayLike<number>, n: number): Float64Array<ArrayBuffer> {
	const L = choleskyDecompose(A, n);
	if (L === null) throw new LinearAlgebraError('Matrix is not positive definite (singular or collinear columns)');
	// Invert L in place of a copy (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
	const inverseL = new Float64Array(n * n);
	for (let j = 0; j < n; j++) {
		inverseL[j * n + j] = 1 / L[j * n + j];
		for (let i = j + 1; i < n; i++) {
			let sum = 0;
			for (let k = j; k < i; k++) sum -= L[i * n + k] * inverseL[k * n + j];
			inverseL[i * n + j] = sum / L[i * n + i];
		}
	}
	const inverse = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j <= i; j++) {
			let sum = 0;
			for (let k = i; k < n; k++) sum += inverseL[k * n + i] * inverseL[k * n + j];
			inverse[i * n + j] = sum;
			inverse[j * n + i] = sum;
		}
	}
	return inverse;
}

/**
 * Solves A x = b for a general square A by LU decomposition with partial pivoting.
 * Throws LinearAlgebraError when A is singular: a pivot at or below n·ε·max|A| counts as zero.
 */
export function solveLinearSystem(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array<ArrayBuffer> {
	checkSquare(A, n, 'solveLinearSystem');
	checkVector(b, n, 'solveLinearSystem');
	const LU = Float64Array.from(A);
	const x = Float64Array.from(b);
	let maxAbs = 0;
	for (let i = 0; i < LU.length; i++) maxAbs = Math.max(maxAbs, Math.abs(LU[i]));
	if (!Number.isFinite(maxAbs)) throw new LinearAlgebraError('Matrix contains NaN or Infinity');
	const tolerance = n * EPSILON * maxAbs;
	for (let k = 0; k < n; k++) {
		// Partial pivoting: bring the largest entry of column k (rows k..n-1) to the diagonal.
		let pivotRow = k;
		let pivotAbs = Math.abs(LU[k * n + k]);
		for (let i = k + 1; i < n; i++) {
			const value = Math.abs(LU[i * n + k]);
			if (value > pivotAbs) {
				pivotAbs = value;
				pivotRow = i;
			}
		}
		if (!(pivotAbs > tolerance)) {
			throw new LinearAlgebraError(`Matrix is singular: column ${k + 1} is a combination of earlier columns`);
		}
		if (pivotRow !== k) {
			for (let j = 0; j < n; j++) {
				const swap = LU[k * n + j];
				LU[k * n + j] = LU[pivotRow * n + j];
				LU[pivotRow * n + j] = swap;
			}
			const swap = x[k];
			x[k] = x[pivotRow];
			x[pivotRow] = swap;
		}
		const pivot = LU[k * n + k];
		for (let i = k + 1; i < n; i++) {
			const factor = LU[i * n + k] / pivot;
			if (factor === 0) continue;
			LU[i * n + k] = factor;
			for (let j = k + 1; j < n; j++) LU[i * n + j] -= factor * LU[k * n + j];
			x[i] -= factor * x[k];
		}
	}
	for (let i = n - 1; i >= 0; i--) {
		let sum = x[i];
		for (let j = i + 1; j < n; j++) sum -= LU[i * n + j] * x[j];
		x[i] = sum / LU[i * n + i];
	}
	return x;
}

/** Result of a rank-revealing factorization. */
export interface RankReport {
	/** Numerical rank. */
	rank: number;
	/** Column indices in pivot order: the first `rank` are a well-conditioned independent set. */
	order: number[];
	/** Original indices of the columns that are (numerically) combinations of the others, ascending. */
	dependent: number[];
}

/**
 * Pivoted Cholesky of a symmetric positive semi-definite matrix (e.g. a Gram matrix XᵀX),
 * revealing its rank and which columns are collinear with the others (Higham 2002, §10.3).
 * At each step the largest remaining diagonal is taken; it stops when that falls to
 * `relativeTolerance` × the largest initial diagonal. The default n·ε matches LAPACK dpstrf;
 * for collinearity of data columns pass something larger (e.g. 1e-10), since XᵀX squares
 * the condition number of X.
 */
export function pivotedCholeskyRank(A: ArrayLike<number>, n: number, relativeTolerance = n * EPSILON): RankReport {
	checkSquare(A, n, 'pivotedCholeskyRank');
	const work = Float64Array.from(A);
	const order = Array.from({ length: n }, (_, i) => i);
	let maxDiagonal = 0;
	for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, work[i * n + i]);
	const tolerance = relativeTolerance * maxDiagonal;
	let rank = 0;
	for (let k = 0; k < n; k++) {
		// Choose the largest remaining diagonal (Schur complement) as the pivot.
		let pivotIndex = k;
		let pivotValue = work[order[k] * n + order[k]];
		for (let i = k + 1; i < n; i++) {
			const value = work[order[i] * n + order[i]];
			if (value > pivotValue) {
				pivotValue = value;
				pivotIndex = i;
			}
		}
		if (!(pivotValue > tolerance) || maxDiagonal === 0) break;
		[order[k], order[pivotIndex]] = [order[pivotIndex], order[k]];
		const p = order[k];
		const root = Math.sqrt(pivotValue);
		// Update the Schur complement of the remaining columns.
		for (let i = k + 1; i < n; i++) {
			const a = order[i];
			work[a * n + p] /= root;
		}
		for (let i = k + 1; i < n; i++) {
			const a = order[i];
			const la = work[a * n + p];
			for (let j = k + 1; j <= i; j++) {
				const c = order[j];
				const value = work[a * n + c] - la * work[c * n + p];
				work[a * n + c] = value;
				work[c * n + a] = value;
			}
		}
		rank++;
	}
	return { rank, order, dependent: order.slice(rank).sort((a, b) => a - b) };
}

/**
 * Numerical rank of a general m x n matrix by Householder QR with column pivoting
 * (Golub & Van Loan Alg. 5.4.1). A column counts as dependent when its remaining norm is at
 * or below `relativeTolerance` × |R₁₁|; the default max(m, n)·ε mirrors numpy.linalg.matrix_rank.
 */
export function matrixRank(A: ArrayLike<number>, m: number, n: number, relativeTolerance = Math.max(m, n) * EPSILON): RankReport {
	if (A.length !== m * n) throw new LinearAlgebraError(`matrixRank: expected ${m * n} values, got ${A.length}`);
	const R = Float64Array.from(A);
	const order = Array.from({ length: n }, (_, i) => i);
	const norms = new Float64Array(n);
	for (let j = 0; j < n; j++) {
		let sum = 0;
		for (let i = 0; i < m; i++) sum += R[i * n + j] * R[i * n + j];
		norms[j] = sum;
	}
	const steps = Math.min(m, n);
	let rank = 0;
	let firstDiagonal = 0;
	const v = new Float64Array(m);
	for (let k = 0; k < steps; k++) {
		// Recompute remaining column norms exactly (cheap at our sizes, avoids downdating drift).
		let pivot = k;
		let best = -1;
		for (let j = k; j < n; j++) {
			let sum = 0;
			for (let i = k; i < m; i++) sum += R[i * n + j] * R[i * n + j];
			norms[j] = sum;
			if (sum > best) {
				best = sum;
				pivot = j;
			}
		}
		const columnNorm = Math.sqrt(best);
		if (k === 0) firstDiagonal = columnNorm;
		if (!(columnNorm > relativeTolerance * firstDiagonal) || firstDiagonal === 0) break;
		if (pivot !== k) {
			for (let i = 0; i < m; i++) {
				const swap = R[i * n + k];
				R[i * n + k] = R[i * n + pivot];
				R[i * n + pivot] = swap;
			}
			[order[k], order[pivot]] = [order[pivot], order[k]];
		}
		// Householder reflection zeroing R[k+1.., k].
		const alpha = R[k * n + k] >= 0 ? -columnNorm : columnNorm;
		let vNorm2 = 0;
		for (let i = k; i < m; i++) {
			v[i] = R[i * n + k] - (i === k ? alpha : 0);
			vNorm2 += v[i] * v[i];
		}
		if (vNorm2 > 0) {
			for (let j = k; j < n; j++) {
				let dot = 0;
				for (let i = k; i < m; i++) dot += v[i] * R[i * n + j];
				const scale = (2 * dot) / vNorm2;
				for (let i = k; i < m; i++) R[i * n + j] -= scale * v[i];
			}
		}
		rank++;
	}
	return { rank, order, dependent: order.slice(rank).sort((a, b) => a - b) };
}

/**
 * Eigenvalues of a symmetric matrix, ascending, by the cyclic Jacobi method
 * (Golub & Van Loan Alg. 8.5.3): slow for big n but accurate, and our matrices are small.
 */
export function symmetricEigenvalues(A: ArrayLike<number>, n: number): Float64Array<ArrayBuffer> {
	checkSquare(A, n, 'symmetricEigenvalues');
	const S = Float64Array.from(A);
	for (let sweep = 0; sweep < 100; sweep++) {
		let offDiagonal = 0;
		let total = 0;
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < n; j++) {
				const square = S[i * n + j] * S[i * n + j];
				total += square;
				if (i !== j) offDiagonal += square;
			}
		}
		if (offDiagonal <= EPSILON * EPSILON * total) break;
		for (let p = 0; p < n - 1; p++) {
			for (let q = p + 1; q < n; q++) {
				const apq = S[p * n + q];
				if (apq === 0) continue;
				// Rotation angle that zeroes S[p][q] (G&VL Alg. 8.5.1, symmetric Schur).
				const tau = (S[q * n + q] - S[p * n + p]) / (2 * apq);
				const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
				const c = 1 / Math.sqrt(1 + t * t);
				const s = t * c;
				for (let k = 0; k < n; k++) {
					const skp = S[k * n + p];
					const skq = S[k * n + q];
					S[k * n + p] = c * skp - s * skq;
					S[k * n + q] = s * skp + c * skq;
				}
				for (let k = 0; k < n; k++) {
					const spk = S[p * n + k];
					const sqk = S[q * n + k];
					S[p * n + k] = c * spk - s * sqk;
					S[q * n + k] = s * spk + c * sqk;
				}
			}
		}
	}
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) values[i] = S[i * n + i];
	return values.sort();
}

/**
 * 2-norm condition number of a symmetric matrix: max|λ| / min|λ|. Infinity when singular
 * (callers turn that into a warning; it never goes to an output as a number).
 */
export function symmetricConditionNumber(A: ArrayLike<number>, n: number): number {
	const values = symmetricEigenvalues(A, n);
	let largest = 0;
	let smallest = Infinity;
	for (const value of values) {
		largest = Math.max(largest, Math.abs(value));
		smallest = Math.min(smallest, Math.abs(value));
	}
	if (n === 0) return 1;
	return smallest === 0 ? Infinity : largest / smallest;
}

/**
 * Collinearity check that keeps the caller's column order, as R's lm/glm do (limited
 * pivoting in LINPACK dqrdc2): a column is dependent when, after removing what the earlier
 * independent columns explain, its remaining squared norm is at or below `relativeTolerance`
 * × its own. A is a Gram matrix (XᵀX or XᵀWX); zero columns are always dependent.
 * So with x1, x2, x3 = 2·x1 − x2 it flags x3, the later one, exactly like R's NA coefficient.
 */
export function dependentColumnsInOrder(A: ArrayLike<number>, n: number, relativeTolerance = 1e-10): RankReport {
	checkSquare(A, n, 'dependentColumnsInOrder');
	const L = new Float64Array(n * n);
	const independent: number[] = [];
	const dependent: number[] = [];
	for (let j = 0; j < n; j++) {
		const own = A[j * n + j];
		// Coefficients of column j on the earlier independent columns' Cholesky basis.
		let residual = own;
		for (const k of independent) {
			let sum = A[j * n + k];
			for (const m of independent) {
				if (m >= k) break;
				sum -= L[j * n + m] * L[k * n + m];
			}
			const value = sum / L[k * n + k];
			L[j * n + k] = value;
			residual -= value * value;
		}
		if (!(own > 0) || !(residual > relativeTolerance * own)) {
			dependent.push(j);
			continue;
		}
		L[j * n + j] = Math.sqrt(residual);
		independent.push(j);
	}
	return { rank: independent.length, order: [...independent, ...dependent], dependent };
}
