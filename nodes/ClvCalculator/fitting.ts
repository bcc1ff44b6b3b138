/**
 * Maximum-likelihood fitting shared by the CLV models, done the way lifetimes does it:
 * minimize the negative MEAN log-likelihood plus an L2 penalty, penalizer · Σ θ², over
 * log-parameters (BFGS here, lifetimes uses scipy's minimize), then standard errors from the
 * inverse of the Hessian of the total negative log-likelihood at the optimum.
 */
import { InputError } from '../shared/errors';
import { invertSymmetricPositiveDefinite } from '../shared/linalg';
import { minimizePositive, numericHessian, overLogParameters, withNumericGradient, type Objective } from '../shared/optimize';

/** Total (weighted) log-likelihood of the data; writes ∂LL/∂θ into `gradient` when asked and able. */
export type LogLikelihood = (params: Float64Array, gradient?: Float64Array) => number;

export interface ModelFit<P> {
	params: P;
	/** Log-likelihood at the fitted parameters (without the penalty), in the data's time unit. */
	logLikelihood: number;
	/** Asymptotic standard errors; null when the Hessian is not positive definite. */
	stdErrors: P | null;
	iterations: number;
	converged: boolean;
	/** Customers the model was fitted on. */
	customers: number;
	penalizer: number;
	warnings: string[];
}

export interface FitOptions {
	/** L2 penalizer coefficient, as lifetimes' penalizer_coef (default 0). */
	penalizer?: number;
	maxIterations?: number;
}

export interface FitProblem {
	names: readonly string[];
	/** Starting point on the fitting scale. */
	start: readonly number[];
	/** Log-likelihood on the fitting scale (what is penalized). */
	fitLogLikelihood: LogLikelihood;
	/** Log-likelihood in the user's time unit (what is reported, and what the Hessian uses). */
	logLikelihood: LogLikelihood;
	/** Fitting-scale parameters → user-scale parameters. */
	toUserParams: (params: Float64Array) => Float64Array;
	hasGradient: boolean;
	customers: number;
}

function asObjective(logLikelihood: LogLikelihood, hasGradient: boolean, sign: number, scale: number): Objective {
	const exact: Objective = (theta, gradient) => {
		const value = logLikelihood(theta, gradient);
		if (gradient) for (let i = 0; i < gradient.length; i++) gradient[i] *= sign * scale;
		return sign * scale * value;
	};
	return hasGradient ? exact : withNumericGradient((theta) => exact(theta));
}

function toRecord<P>(names: readonly string[], values: ArrayLike<number>): P {
	const record: Record<string, number> = {};
	names.forEach((name, i) => (record[name] = values[i]));
	return record as P;
}

/**
 * Standard errors from the Hessian of −LL over log-parameters u = ln θ, converted to θ
 * (∂²f/∂u_i∂u_j = θ_iθ_j ∂²f/∂θ_i∂θ_j + δ_ij θ_i ∂f/∂θ_i), then inverted.
 */
function standardErrors(problem: FitProblem, params: Float64Array): Float64Array | null {
	const n = params.length;
	const negative = overLogParameters(asObjective(problem.logLikelihood, problem.hasGradient, -1, 1));
	const u = params.map(Math.log);
	const hessianLog = numericHessian(negative, u);
	const gradientLog = new Float64Array(n);
	negative(u, gradientLog);
	const hessian = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			const diagonal = i === j ? gradientLog[i] : 0;
			hessian[i * n + j] = (hessianLog[i * n + j] - diagonal) / (params[i] * params[j]);
		}
	}
	try {
		const covariance = invertSymmetricPositiveDefinite(hessian, n);
		const errors = new Float64Array(n);
		for (let i = 0; i < n; i++) errors[i] = Math.sqrt(covariance[i * n + i]);
		return errors.every(Number.isFinite) ? errors : null;
	} catch {
		return null;
	}
}

/** Fits by penalized maximum likelihood and reports in the ModelFit shape. */
export function fitMaximumLikelihood<P>(problem: FitProblem, options: FitOptions = {}): ModelFit<P> {
	const penalizer = options.penalizer ?? 0;
	const n = problem.start.length;
	const meanNegative = asObjective(problem.fitLogLikelihood, problem.hasGradient, -1, 1 / problem.customers);
	const objective: Objective = (theta, gradient) => {
		let value = meanNegative(theta, gradient);
		for (let i = 0; i < n; i++) {
			value += penalizer * theta[i] * theta[i];
			if (gradient) gradient[i] += 2 * penalizer * theta[i];
		}
		return value;
	};
	const result = minimizePositive(objective, problem.start, {
		maxIterations: options.maxIterations ?? 500,
		gradientTolerance: problem.hasGradient ? 1e-9 : 1e-7,
	});
	const warnings: string[] = [];
	const params = problem.toUserParams(result.parameters);
	const logLikelihood = params.every((v) => Number.isFinite(v) && v > 0) ? problem.logLikelihood(params) : NaN;
	if (!Number.isFinite(logLikelihood)) {
		throw new InputError(
			`The model fit failed: the optimizer ran to parameters where the likelihood is not finite (${result.message}). ` +
				'Check the data (enough repeat customers, sensible dates) or add a penalizer (e.g. 0.001).',
		);
	}
	const converged = result.converged;
	if (!converged) warnings.push(`The optimizer did not converge (${result.message} after ${result.iterations} iterations)`);
	const extreme = problem.names.filter((_, i) => params[i] > 1e6 || params[i] < 1e-6);
	if (converged && extreme.length > 0) {
		warnings.push(`Parameter(s) ${extreme.join(', ')} ran to an extreme value: the data barely identify them; a penalizer (e.g. 0.001) helps`);
	}
	const errors = converged ? standardErrors(problem, params) : null;
	if (converged && errors === null) warnings.push('Standard errors are not available: the Hessian is not positive definite at the optimum');
	return {
		params: toRecord<P>(problem.names, params),
		logLikelihood,
		stdErrors: errors ? toRecord<P>(problem.names, errors) : null,
		iterations: result.iterations,
		converged,
		customers: problem.customers,
		penalizer,
		warnings,
	};
}
