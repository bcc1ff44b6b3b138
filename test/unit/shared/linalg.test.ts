import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fc from 'fast-check';
import {
	LinearAlgebraError,
	choleskyDecompose,
	choleskySolve,
	dependentColumnsInOrder,
	invertSymmetricPositiveDefinite,
	matrixRank,
	pivotedCholeskyRank,
	solveLinearSystem,
	symmetricConditionNumber,
	symmetricEigenvalues,
} from '../../../nodes/shared/linalg';

/** Runs test/reference/lead_linalg.py (numpy.linalg) on a batch of cases. */
function numpy<T>(cases: object[]): T[] {
	const proc = spawnSync('python3', [path.join(__dirname, '../../reference/lead_linalg.py')], {
		input: JSON.stringify(cases),
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(proc.stderr);
	return JSON.parse(proc.stdout) as T[];
}

const entry = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
/** Spread-out values: fc.double favours edge values (0, ±10, tiny), which make most matrices singular. */
const spreadEntry = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((k) => k / 100_000);

/** n x n matrix with entries in [-10, 10]. */
const squareMatrix = fc.integer({ min: 1, max: 9 }).chain((n) =>
	fc.record({ n: fc.constant(n), A: fc.array(entry, { minLength: n * n, maxLength: n * n }), b: fc.array(entry, { minLength: n, maxLength: n }) }),
);

/** Symmetric positive definite B Bᵀ + I (condition bounded by the entry range). */
const spdMatrix = squareMatrix.map(({ n, A, b }) => {
	const S = new Array<number>(n * n).fill(0);
	for (let i = 0; i < n; i++)
		for (let j = 0; j < n; j++) {
			let sum = i === j ? 1 : 0;
			for (let k = 0; k < n; k++) sum += A[i * n + k] * A[j * n + k];
			S[i * n + j] = sum;
		}
	return { n, A: S, b };
});

function matVec(A: ArrayLike<number>, x: ArrayLike<number>, n: number): number[] {
	return Array.from({ length: n }, (_, i) => {
		let sum = 0;
		for (let j = 0; j < n; j++) sum += A[i * n + j] * x[j];
		return sum;
	});
}

function maxAbs(values: ArrayLike<number>): number {
	let m = 0;
	for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
	return m;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
	expect(actual.length).toBe(expected.length);
	const scale = Math.max(1, maxAbs(expected));
	for (let i = 0; i < expected.length; i++) {
		expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance * scale);
	}
}

describe('linalg against numpy.linalg on random matrices', () => {
	const spdCases = fc.sample(spdMatrix, { seed: 42, numRuns: 60 });
	const generalCases = [
		...fc.sample(squareMatrix, { seed: 7, numRuns: 20 }),
		...fc.sample(
			fc.integer({ min: 1, max: 9 }).chain((n) =>
				fc.record({ n: fc.constant(n), A: fc.array(spreadEntry, { minLength: n * n, maxLength: n * n }), b: fc.array(spreadEntry, { minLength: n, maxLength: n }) }),
			),
			{ seed: 8, numRuns: 60 },
		),
	];

	test('choleskyDecompose equals numpy.linalg.cholesky', () => {
		const reference = numpy<{ L: number[] }>(spdCases.map((c) => ({ op: 'cholesky', n: c.n, A: c.A })));
		spdCases.forEach((c, i) => {
			const L = choleskyDecompose(c.A, c.n);
			expect(L).not.toBeNull();
			expectClose(L!, reference[i].L, 1e-10);
		});
	});

	test('choleskySolve and invertSymmetricPositiveDefinite equal numpy.linalg.solve / inv', () => {
		const solved = numpy<{ x: number[] }>(spdCases.map((c) => ({ op: 'choleskySolve', n: c.n, A: c.A, b: c.b })));
		const inverted = numpy<{ inverse: number[] }>(spdCases.map((c) => ({ op: 'inverse', n: c.n, A: c.A })));
		spdCases.forEach((c, i) => {
			// Condition of B Bᵀ + I is at most 1 + 100 n² here, so 1e-8 relative is ample.
			expectClose(choleskySolve(choleskyDecompose(c.A, c.n)!, c.b, c.n), solved[i].x, 1e-8);
			const inverse = invertSymmetricPositiveDefinite(c.A, c.n);
			expectClose(inverse, inverted[i].inverse, 1e-8);
			for (let r = 0; r < c.n; r++) for (let s = 0; s < c.n; s++) expect(inverse[r * c.n + s]).toBe(inverse[s * c.n + r]);
		});
	});

	test('solveLinearSystem equals numpy.linalg.solve (error scaled by the condition number)', () => {
		const reference = numpy<{ x: number[] | null; cond: number | null }>(generalCases.map((c) => ({ op: 'solve', n: c.n, A: c.A, b: c.b })));
		let compared = 0;
		generalCases.forEach((c, i) => {
			const { x, cond } = reference[i];
			if (x === null) {
				// numpy met a zero pivot (LinAlgError or Infinity): we must refuse too.
				expect(() => solveLinearSystem(c.A, c.b, c.n)).toThrow(LinearAlgebraError);
			} else if (cond !== null && cond < 1e10) {
				expectClose(solveLinearSystem(c.A, c.b, c.n), x, 1e-13 * cond + 1e-12);
				compared++;
			}
		});
		expect(compared).toBeGreaterThan(40);
	});

	test('symmetricEigenvalues and the condition number equal numpy.linalg.eigvalsh / cond', () => {
		const reference = numpy<{ values: number[]; cond: number }>(spdCases.map((c) => ({ op: 'eig', n: c.n, A: c.A })));
		spdCases.forEach((c, i) => {
			expectClose(symmetricEigenvalues(c.A, c.n), reference[i].values, 1e-11);
			expect(symmetricConditionNumber(c.A, c.n)).toBeCloseTo(reference[i].cond, 6);
		});
	});

	test('matrixRank and pivotedCholeskyRank equal numpy.linalg.matrix_rank on low-rank products', () => {
		// Integer factors U (m x k) V (k x n) give an exactly representable matrix of rank <= k.
		const lowRank = fc
			.record({ m: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 8 }) })
			.chain(({ m, n, k }) =>
				fc.record({
					m: fc.constant(m),
					n: fc.constant(n),
					U: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: m * k, maxLength: m * k }),
					V: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: k * n, maxLength: k * n }),
					k: fc.constant(k),
				}),
			);
		const cases = fc.sample(lowRank, { seed: 3, numRuns: 80 }).map(({ m, n, k, U, V }) => {
			const A = new Array<number>(m * n).fill(0);
			for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) A[i * n + j] += U[i * k + l] * V[l * n + j];
			return { m, n, A };
		});
		const reference = numpy<{ rank: number }>(cases.map((c) => ({ op: 'rank', ...c })));
		cases.forEach((c, i) => {
			expect(matrixRank(c.A, c.m, c.n).rank).toBe(reference[i].rank);
			// Same rank from the Gram matrix AᵀA with a tolerance suited to squared conditioning.
			const gram = new Array<number>(c.n * c.n).fill(0);
			for (let r = 0; r < c.n; r++) for (let s = 0; s < c.n; s++) for (let t = 0; t < c.m; t++) gram[r * c.n + s] += c.A[t * c.n + r] * c.A[t * c.n + s];
			expect(pivotedCholeskyRank(gram, c.n, 1e-10).rank).toBe(reference[i].rank);
		});
	});
});

describe('linalg properties (fast-check)', () => {
	test('solveLinearSystem: A x reproduces b for well-conditioned A', () => {
		fc.assert(
			fc.property(squareMatrix, ({ n, A, b }) => {
				// Make A diagonally dominant so it is well conditioned.
				const D = A.slice();
				for (let i = 0; i < n; i++) D[i * n + i] += (i % 2 ? -1 : 1) * 10 * n;
				const x = solveLinearSystem(D, b, n);
				expectClose(matVec(D, x, n), b, 1e-10);
			}),
		);
	});

	test('Cholesky: L Lᵀ reproduces A and the inverse times A is the identity', () => {
		fc.assert(
			fc.property(spdMatrix, ({ n, A }) => {
				const L = choleskyDecompose(A, n)!;
				const product = new Array<number>(n * n).fill(0);
				for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) product[i * n + j] += L[i * n + k] * L[j * n + k];
				expectClose(product, A, 1e-12);
				for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
				const inverse = invertSymmetricPositiveDefinite(A, n);
				const identity = new Array<number>(n * n).fill(0);
				for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) identity[i * n + j] += A[i * n + k] * inverse[k * n + j];
				expectClose(identity, Array.from({ length: n * n }, (_, t) => (t % (n + 1) === 0 ? 1 : 0)), 1e-8);
			}),
		);
	});

	test('inputs are not modified', () => {
		fc.assert(
			fc.property(spdMatrix, ({ n, A, b }) => {
				const copyA = A.slice();
				const copyB = b.slice();
				solveLinearSystem(A, b, n);
				invertSymmetricPositiveDefinite(A, n);
				choleskySolve(choleskyDecompose(A, n)!, b, n);
				pivotedCholeskyRank(A, n);
				symmetricEigenvalues(A, n);
				expect(A).toEqual(copyA);
				expect(b).toEqual(copyB);
			}),
		);
	});
});

describe('singular and collinear cases', () => {
	// X has columns x1, x2, x3 = 2·x1 − x2 (exact in floating point with integer entries), x4.
	const rows = 30;
	const X: number[] = [];
	for (let i = 0; i < rows; i++) {
		const x1 = (i * 7) % 11;
		const x2 = (i * 5) % 13 - 6;
		X.push(x1, x2, 2 * x1 - x2, (i * i) % 17);
	}
	const gram = new Array<number>(16).fill(0);
	for (let t = 0; t < rows; t++) for (let r = 0; r < 4; r++) for (let s = 0; s < 4; s++) gram[r * 4 + s] += X[t * 4 + r] * X[t * 4 + s];

	test('a collinear Gram matrix is not positive definite', () => {
		expect(choleskyDecompose(gram, 4)).toBeNull();
		expect(() => invertSymmetricPositiveDefinite(gram, 4)).toThrow(LinearAlgebraError);
		expect(() => invertSymmetricPositiveDefinite(gram, 4)).toThrow(/not positive definite/);
	});

	test('rank 3 and exactly one of the three collinear columns is flagged', () => {
		const report = pivotedCholeskyRank(gram, 4, 1e-10);
		expect(report.rank).toBe(3);
		expect(report.dependent).toHaveLength(1);
		expect([0, 1, 2]).toContain(report.dependent[0]);
		expect(matrixRank(X, rows, 4).rank).toBe(3);
		expect(symmetricConditionNumber(gram, 4)).toBeGreaterThan(1e12);
	});

	test('solveLinearSystem throws a clear error on a singular matrix', () => {
		const singular = [1, 2, 3, 4, 5, 6, 5, 7, 9]; // row 3 = row 1 + row 2
		expect(() => solveLinearSystem(singular, [1, 2, 3], 3)).toThrow(/singular/);
		expect(() => solveLinearSystem([0, 0, 0, 0], [1, 1], 2)).toThrow(LinearAlgebraError);
	});

	test('indefinite and NaN matrices are rejected', () => {
		expect(choleskyDecompose([1, 2, 2, 1], 2)).toBeNull();
		expect(choleskyDecompose([NaN, 0, 0, 1], 2)).toBeNull();
		expect(() => solveLinearSystem([1, NaN, 0, 1], [1, 1], 2)).toThrow(/NaN/);
	});

	test('shape mismatches throw', () => {
		expect(() => choleskyDecompose([1, 2, 3], 2)).toThrow(/2 x 2/);
		expect(() => solveLinearSystem([1, 0, 0, 1], [1], 2)).toThrow(/vector of 2/);
	});
});

describe('dependentColumnsInOrder (R-style aliasing)', () => {
	test('flags the later column of a collinear set, like R lm/glm NA coefficients', () => {
		// Columns: 1, x1, x2, x3 = 2·x1 − x2, x4 = 3 (constant, collinear with the intercept).
		const rows = 25;
		const X: number[] = [];
		for (let i = 0; i < rows; i++) {
			const x1 = (i * 7) % 11;
			const x2 = ((i * 5) % 13) - 6;
			X.push(1, x1, x2, 2 * x1 - x2, 3, (i * i) % 17);
		}
		const p = 6;
		const gram = new Array<number>(p * p).fill(0);
		for (let t = 0; t < rows; t++) for (let r = 0; r < p; r++) for (let s = 0; s < p; s++) gram[r * p + s] += X[t * p + r] * X[t * p + s];
		const report = dependentColumnsInOrder(gram, p);
		expect(report.dependent).toEqual([3, 4]);
		expect(report.rank).toBe(4);
		expect(report.rank).toBe(matrixRank(X, rows, p).rank);
	});

	test('never flags a column of a well-conditioned matrix; rank + dependent = n', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 6 }).chain((n) =>
					fc.record({ n: fc.constant(n), A: fc.array(spreadEntry, { minLength: (n + 3) * n, maxLength: (n + 3) * n }) }),
				),
				({ n, A }) => {
					const m = n + 3;
					const gram = new Array<number>(n * n).fill(0);
					for (let t = 0; t < m; t++) for (let r = 0; r < n; r++) for (let s = 0; s < n; s++) gram[r * n + s] += A[t * n + r] * A[t * n + s];
					const report = dependentColumnsInOrder(gram, n);
					// Random continuous entries: full rank with probability one.
					if (symmetricConditionNumber(gram, n) < 1e6) expect(report.dependent).toEqual([]);
					expect(report.rank + report.dependent.length).toBe(n);
				},
			),
		);
	});
});
