// The shared minimizer on problems with known answers.
import * as fc from 'fast-check';
import { solveLinearSystem } from '../../../nodes/shared/linalg';
import { minimizeBfgs, minimizePositive, numericGradient, numericHessian, withNumericGradient } from '../../../nodes/shared/optimize';

describe('minimizeBfgs', () => {
	test('finds the Rosenbrock minimum (1, 1) from the textbook start (−1.2, 1)', () => {
		const rosenbrock = (x: Float64Array, g?: Float64Array) => {
			if (g) {
				g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
				g[1] = 200 * (x[1] - x[0] * x[0]);
			}
			return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
		};
		const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
		expect(result.converged).toBe(true);
		expect(Math.abs(result.x[0] - 1)).toBeLessThan(1e-7);
		expect(Math.abs(result.x[1] - 1)).toBeLessThan(1e-7);
	});
	test('minimizes random convex quadratics ½xᵀAx − bᵀx at A⁻¹b (solved independently by LU)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1e9 }), (n, seed) => {
				let state = seed;
				const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
				const M = Float64Array.from({ length: n * n }, rand);
				const A = new Float64Array(n * n);
				for (let i = 0; i < n; i++)
					for (let j = 0; j < n; j++) {
						let sum = i === j ? 1 : 0;
						for (let k = 0; k < n; k++) sum += M[k * n + i] * M[k * n + j];
						A[i * n + j] = sum;
					}
				const b = Float64Array.from({ length: n }, rand);
				const f = (x: Float64Array, g?: Float64Array) => {
					let value = 0;
					for (let i = 0; i < n; i++) {
						let Ax = 0;
						for (let j = 0; j < n; j++) Ax += A[i * n + j] * x[j];
						value += 0.5 * x[i] * Ax - b[i] * x[i];
						if (g) g[i] = Ax - b[i];
					}
					return value;
				};
				const result = minimizeBfgs(f, new Float64Array(n));
				const exact = solveLinearSystem(A, b, n);
				expect(result.converged).toBe(true);
				exact.forEach((v, i) => expect(Math.abs(result.x[i] - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v))));
			}),
		);
	});
	test('reports a start where the objective is not finite instead of iterating', () => {
		const result = minimizeBfgs(() => NaN, [0]);
		expect(result.converged).toBe(false);
		expect(result.message).toMatch(/not finite/);
	});
});

describe('minimizePositive', () => {
	test('fits the gamma shape and rate of a sample by maximum likelihood (known closed-form check: mean = shape/rate)', () => {
		// −ln L of Gamma(k, θ) for a fixed sample: the ML solution satisfies k/θ = sample mean.
		const sample = [0.5, 1.2, 2.2, 0.9, 3.1, 1.7, 0.4, 2.6];
		const mean = sample.reduce((s, v) => s + v, 0) / sample.length;
		const meanLog = sample.reduce((s, v) => s + Math.log(v), 0) / sample.length;
		const lgamma = (k: number) => {
			// Stirling with shift, enough for a test objective.
			let shift = 0;
			while (k < 10) {
				shift -= Math.log(k);
				k += 1;
			}
			return shift + (k - 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k ** 3);
		};
		const nll = withNumericGradient((p) => lgamma(p[0]) - p[0] * Math.log(p[1]) - (p[0] - 1) * meanLog + p[1] * mean);
		const result = minimizePositive(nll, [1, 1]);
		expect(result.converged).toBe(true);
		expect(Math.abs(result.parameters[0] / result.parameters[1] - mean)).toBeLessThan(1e-6);
	});
});

describe('numeric derivatives', () => {
	test('numericHessian of a cubic matches its analytic Hessian', () => {
		const f = (x: Float64Array) => x[0] ** 3 + 2 * x[0] * x[1] ** 2 + Math.exp(x[1]);
		const x = Float64Array.from([0.7, -0.4]);
		const H = numericHessian(withNumericGradient(f), x);
		const exact = [6 * x[0], 4 * x[1], 4 * x[1], 4 * x[0] + Math.exp(x[1])];
		exact.forEach((v, i) => expect(Math.abs(H[i] - v)).toBeLessThan(1e-5));
		const g = numericGradient(f, x);
		expect(Math.abs(g[0] - (3 * x[0] ** 2 + 2 * x[1] ** 2))).toBeLessThan(1e-8);
	});
});
