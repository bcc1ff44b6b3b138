/**
 * Unconstrained minimization for maximum-likelihood fits: BFGS with a strong-Wolfe line search
 * (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 6.1 with Algorithms 3.5/3.6),
 * a log-transform wrapper for models whose parameters must be positive, and numeric
 * derivatives (central differences) for gradients and for the Hessian behind standard errors.
 */

/**
 * An objective: returns f(x) and, when `gradient` is given, writes ∇f(x) into it.
 * It may return a non-finite value for an x outside its domain; the line search then backs off.
 */
export type Objective = (x: Float64Array, gradient?: Float64Array) => number;

export interface MinimizeOptions {
	/** Stop when max |∇f| falls below this (default 1e-9). */
	gradientTolerance?: number;
	/** Also stop when the objective changes by less than this, relatively, between iterations (default 1e-14). */
	functionTolerance?: number;
	/** Default 500. */
	maxIterations?: number;
}

export interface MinimizeResult {
	x: Float64Array;
	value: number;
	gradient: Float64Array;
	iterations: number;
	converged: boolean;
	/** Why it stopped, in words. */
	message: string;
}

const dot = (a: Float64Array, b: Float64Array): number => {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
	return sum;
};

const maxAbs = (a: Float64Array): number => {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
	return m;
};

/** Central-difference gradient, for objectives without an analytic one (step ∝ ε^(1/3)). */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array): Float64Array {
	const gradient = new Float64Array(x.length);
	const probe = Float64Array.from(x);
	for (let i = 0; i < x.length; i++) {
		const h = 6e-6 * Math.max(1, Math.abs(x[i]));
		probe[i] = x[i] + h;
		const up = f(probe);
		probe[i] = x[i] - h;
		const down = f(probe);
		probe[i] = x[i];
		gradient[i] = (up - down) / (2 * h);
	}
	return gradient;
}

/** Wraps a value-only function as an Objective with a central-difference gradient. */
export function withNumericGradient(f: (x: Float64Array) => number): Objective {
	return (x, gradient) => {
		if (gradient) gradient.set(numericGradient(f, x));
		return f(x);
	};
}

/**
 * Hessian by central differences of the gradient (numeric when the objective has none),
 * symmetrized. Row-major n×n.
 */
export function numericHessian(objective: Objective, x: Float64Array, relativeStep = 1e-4): Float64Array {
	const n = x.length;
	const hessian = new Float64Array(n * n);
	const probe = Float64Array.from(x);
	const up = new Float64Array(n);
	const down = new Float64Array(n);
	for (let j = 0; j < n; j++) {
		const h = relativeStep * Math.max(1, Math.abs(x[j]));
		probe[j] = x[j] + h;
		objective(probe, up);
		probe[j] = x[j] - h;
		objective(probe, down);
		probe[j] = x[j];
		for (let i = 0; i < n; i++) hessian[i * n + j] = (up[i] - down[i]) / (2 * h);
	}
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < i; j++) {
			const mean = (hessian[i * n + j] + hessian[j * n + i]) / 2;
			hessian[i * n + j] = mean;
			hessian[j * n + i] = mean;
		}
	}
	return hessian;
}

interface LinePoint {
	step: number;
	value: number;
	slope: number;
}

/** Minimizer of the cubic through two points with values and slopes, kept inside [lo, hi] (N&W eq. 3.59). */
function cubicStep(a: LinePoint, b: LinePoint): number {
	const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
	const disc = d1 * d1 - a.slope * b.slope;
	const lo = Math.min(a.step, b.step);
	const hi = Math.max(a.step, b.step);
	if (disc >= 0) {
		const d2 = Math.sign(b.step - a.step) * Math.sqrt(disc);
		const step = b.step - ((b.step - a.step) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
		// Stay away from the ends so the bracket shrinks every time.
		if (Number.isFinite(step) && step > lo + 0.1 * (hi - lo) && step < hi - 0.1 * (hi - lo)) return step;
	}
	return (lo + hi) / 2;
}

/**
 * Strong-Wolfe line search along `direction` from x (N&W Algorithms 3.5 and 3.6).
 * Returns the accepted point or null when no acceptable step was found.
 */
function wolfeLineSearch(
	objective: Objective,
	x: Float64Array,
	value: number,
	slope0: number,
	direction: Float64Array,
	initialStep: number,
): { step: number; x: Float64Array; value: number; gradient: Float64Array } | null {
	const c1 = 1e-4;
	const c2 = 0.9;
	const n = x.length;
	const trial = new Float64Array(n);
	const gradient = new Float64Array(n);
	const evaluate = (step: number): LinePoint => {
		for (let i = 0; i < n; i++) trial[i] = x[i] + step * direction[i];
		const v = objective(trial, gradient);
		return { step, value: v, slope: Number.isFinite(v) ? dot(gradient, direction) : NaN };
	};
	const accept = (p: LinePoint) => ({ step: p.step, x: Float64Array.from(trial), value: p.value, gradient: Float64Array.from(gradient) });
	const start: LinePoint = { step: 0, value, slope: slope0 };

	const zoom = (lo: LinePoint, hi: LinePoint) => {
		for (let k = 0; k < 40; k++) {
			const p = evaluate(cubicStep(lo, hi));
			if (!Number.isFinite(p.value) || p.value > value + c1 * p.step * slope0 || p.value >= lo.value) {
				hi = p;
			} else {
				if (Math.abs(p.slope) <= -c2 * slope0) return accept(p);
				if (p.slope * (hi.step - lo.step) >= 0) hi = lo;
				lo = p;
			}
			if (Math.abs(hi.step - lo.step) < 1e-16 * Math.max(1, lo.step)) break;
		}
		// Sufficient decrease without the curvature condition is still progress.
		if (lo.step > 0) {
			const p = evaluate(lo.step);
			if (p.value < value) return accept(p);
		}
		return null;
	};

	let previous = start;
	let step = initialStep;
	for (let k = 0; k < 60; k++) {
		const p = evaluate(step);
		if (!Number.isFinite(p.value)) {
			// Outside the objective's domain: shrink towards the last good point.
			step = previous.step + (step - previous.step) / 4;
			continue;
		}
		if (p.value > value + c1 * step * slope0 || (k > 0 && p.value >= previous.value)) return zoom(previous, p);
		if (Math.abs(p.slope) <= -c2 * slope0) return accept(p);
		if (p.slope >= 0) return zoom(p, previous);
		previous = p;
		step *= 2;
	}
	return null;
}

/** BFGS (N&W Algorithm 6.1) on the inverse-Hessian approximation, scaled after the first step (eq. 6.20). */
export function minimizeBfgs(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
	const gradientTolerance = options.gradientTolerance ?? 1e-9;
	const functionTolerance = options.functionTolerance ?? 1e-14;
	const maxIterations = options.maxIterations ?? 500;
	const n = x0.length;
	let x: Float64Array = Float64Array.from(x0);
	let gradient: Float64Array = new Float64Array(n);
	let value = objective(x, gradient);
	if (!Number.isFinite(value) || !gradient.every(Number.isFinite)) {
		return { x, value, gradient, iterations: 0, converged: false, message: 'the objective is not finite at the starting point' };
	}
	const inverseHessian = new Float64Array(n * n);
	const resetHessian = () => {
		inverseHessian.fill(0);
		for (let i = 0; i < n; i++) inverseHessian[i * n + i] = 1;
	};
	resetHessian();
	const direction = new Float64Array(n);
	const s = new Float64Array(n);
	const y = new Float64Array(n);
	const Hy = new Float64Array(n);
	let firstStep = true;
	let iterations = 0;
	let stalls = 0;

	while (iterations < maxIterations) {
		if (maxAbs(gradient) < gradientTolerance) {
			return { x, value, gradient, iterations, converged: true, message: 'gradient below tolerance' };
		}
		for (let i = 0; i < n; i++) {
			let sum = 0;
			for (let j = 0; j < n; j++) sum -= inverseHessian[i * n + j] * gradient[j];
			direction[i] = sum;
		}
		let slope = dot(direction, gradient);
		if (!(slope < 0)) {
			// Not a descent direction (lost curvature information): restart from steepest descent.
			resetHessian();
			for (let i = 0; i < n; i++) direction[i] = -gradient[i];
			slope = dot(direction, gradient);
			firstStep = true;
		}
		const initialStep = firstStep ? Math.min(1, 1 / Math.max(maxAbs(gradient), 1e-12)) : 1;
		const found = wolfeLineSearch(objective, x, value, slope, direction, initialStep);
		iterations++;
		if (!found) {
			if (!firstStep) {
				resetHessian();
				firstStep = true;
				continue;
			}
			const converged = maxAbs(gradient) < Math.sqrt(gradientTolerance);
			return { x, value, gradient, iterations, converged, message: 'line search found no lower point' };
		}
		for (let i = 0; i < n; i++) {
			s[i] = found.x[i] - x[i];
			y[i] = found.gradient[i] - gradient[i];
		}
		const change = Math.abs(value - found.value);
		x = found.x;
		gradient = found.gradient;
		const previousValue = value;
		value = found.value;
		const sy = dot(s, y);
		if (sy > 1e-300) {
			if (firstStep) {
				const scale = sy / dot(y, y);
				for (let i = 0; i < n; i++) inverseHessian[i * n + i] = scale;
				firstStep = false;
			}
			// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded (N&W eq. 6.17).
			const rho = 1 / sy;
			for (let i = 0; i < n; i++) {
				let sum = 0;
				for (let j = 0; j < n; j++) sum += inverseHessian[i * n + j] * y[j];
				Hy[i] = sum;
			}
			const yHy = dot(y, Hy);
			for (let i = 0; i < n; i++) {
				for (let j = 0; j < n; j++) {
					inverseHessian[i * n + j] += -rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
				}
			}
		}
		if (change <= functionTolerance * Math.max(1, Math.abs(previousValue))) {
			stalls++;
			if (stalls >= 3) {
				const converged = maxAbs(gradient) < Math.sqrt(gradientTolerance);
				return { x, value, gradient, iterations, converged, message: 'objective stopped changing' };
			}
		} else {
			stalls = 0;
		}
	}
	return { x, value, gradient, iterations, converged: maxAbs(gradient) < gradientTolerance, message: 'iteration limit reached' };
}

/**
 * An objective over positive parameters θ, written as a function of θ, turned into one over
 * u = ln θ (unconstrained): ∂f/∂u = θ ∂f/∂θ.
 */
export function overLogParameters(objective: Objective): Objective {
	return (u, gradient) => {
		const theta = u.map(Math.exp);
		if (!gradient) return objective(theta);
		const value = objective(theta, gradient);
		for (let i = 0; i < u.length; i++) gradient[i] *= theta[i];
		return value;
	};
}

export interface PositiveFitResult extends MinimizeResult {
	/** The fitted positive parameters (exp of the unconstrained optimum). */
	parameters: Float64Array;
}

/** Minimizes an objective over positive parameters by BFGS on their logarithms. */
export function minimizePositive(objective: Objective, start: ArrayLike<number>, options: MinimizeOptions = {}): PositiveFitResult {
	const logStart = Float64Array.from(start, Math.log);
	const result = minimizeBfgs(overLogParameters(objective), logStart, options);
	return { ...result, parameters: result.x.map(Math.exp) };
}
