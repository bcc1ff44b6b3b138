/**
 * Bayesian A/B comparison with Beta posteriors: P(B > A) and the expected loss of each choice.
 *
 * Exact path (Evan Miller, "Formulas for Bayesian A/B Testing", 2015, the closed form for
 * P(pB > pA) with Beta posteriors; also Cook 2005): for X ~ Beta(a1, b1), Y ~ Beta(a2, b2)
 * and integer a1,
 *   P(X > Y) = Σ_{i=0}^{a1-1} B(a2 + i, b1 + b2) / ((b1 + i) · B(1 + i, b1) · B(a2, b2)).
 * Every term is positive, so it is summed in log space (log-sum-exp) without cancellation.
 * The same formula applies to the mirrored variables 1 - p ~ Beta(b, a), so any of the four
 * parameters that is a whole number can drive the sum; we use the smallest such one.
 *
 * Stable path for large counts: when no parameter is a whole number up to EXACT_TERM_LIMIT,
 * P(X > Y) = ∫ f_X(x) · P(Y < x) dx = ∫ f_X(x) · I_x(a2, b2) dx is integrated by composite
 * Simpson's rule over mean ± 12 sd of X (the density is ~e^-72 of its peak beyond), with
 * 4,000 panels (and a change of variable where the density is unbounded at 0 or 1). Both Betas are then nearly normal, the integrand is smooth, and the result
 * agrees with scipy quadrature to ~1e-10 (test/reference/campaign_ab_reference.py).
 *
 * Expected loss of choosing B (Stucchio 2014, "Bayesian A/B Testing at VWO", eq. 4):
 *   E[max(pA - pB, 0)] = mean(A) · P(A⁺ > B) - mean(B) · P(A > B⁺),
 * with A⁺ ~ Beta(αA + 1, βA), B⁺ ~ Beta(αB + 1, βB), from E[p·1(p > q)] = mean · P(p⁺ > q).
 */
import { logBeta, regularizedIncompleteBeta } from '../shared/distributions';

export interface BetaPosterior {
	alpha: number;
	beta: number;
}

/** Sums above this many terms switch to numerical integration. */
export const EXACT_TERM_LIMIT = 50_000;
const SIMPSON_PANELS = 4000;

export type ProbabilityMethod = 'exact' | 'integration';

/** P(X > Y) by Miller's sum over X's first parameter, which must be a whole number. */
function exactSum(x: BetaPosterior, y: BetaPosterior): number {
	const terms = new Float64Array(x.alpha);
	const constant = logBeta(y.alpha, y.beta);
	let largest = -Infinity;
	for (let i = 0; i < x.alpha; i++) {
		const term = logBeta(y.alpha + i, x.beta + y.beta) - Math.log(x.beta + i) - logBeta(1 + i, x.beta) - constant;
		terms[i] = term;
		if (term > largest) largest = term;
	}
	let sum = 0;
	for (let i = 0; i < terms.length; i++) sum += Math.exp(terms[i] - largest);
	return Math.min(1, Math.exp(largest + Math.log(sum)));
}

/** ln f(x) of Beta(alpha, beta), given x and 1 - x separately (1 - x may be tiny and exact). */
function logBetaDensity(x: number, complement: number, p: BetaPosterior, logNorm: number): number {
	return (p.alpha - 1) * Math.log(x) + (p.beta - 1) * Math.log(complement) - logNorm;
}

/**
 * P(X > Y) = ∫ f_X(x) I_x(aY, bY) dx by composite Simpson over mean ± 12+ sd of X. When the
 * integrand is singular or kinked at an end of that range (a parameter of X or Y below 1 with
 * the range reaching 0 or 1), the variable is changed to x = L·t^m (or 1 - L·t^m) with
 * m = 2/parameter, which turns the x^(a-1) singularity into a smooth t^1 factor (Davis &
 * Rabinowitz, Methods of Numerical Integration, 2nd ed., §2.12, endpoint singularities).
 */
function integrate(x: BetaPosterior, y: BetaPosterior): number {
	const total = x.alpha + x.beta;
	const mean = x.alpha / total;
	const sd = Math.sqrt((x.alpha * x.beta) / (total * total * (total + 1)));
	// 12 sd for near-normal posteriors; wider when a small parameter makes the posterior skewed
	// (Beta(0.5, n) is a scaled chi-square(1): 12 sd would cut off 2e-5 of its mass).
	const reach = 12 + 30 / Math.sqrt(Math.min(x.alpha, x.beta));
	const from = Math.max(0, mean - reach * sd);
	const to = Math.min(1, mean + reach * sd);
	const logNorm = logBeta(x.alpha, x.beta);
	// Y's CDF has the same kind of x^a / (1-x)^b kink at an end, so its parameters count too.
	const lowerEdge = Math.min(x.alpha, y.alpha);
	const upperEdge = Math.min(x.beta, y.beta);
	// Maps t in [0, 1] to x, 1 - x and dx/dt. Near x = 1 the distance 1 - x is carried
	// exactly: recomputing it from a rounded x loses its digits (and did cost 2e-6 here).
	let map: (t: number) => [number, number, number];
	if (lowerEdge < 1 && from === 0) {
		const m = 2 / lowerEdge;
		map = (t) => {
			const point = to * t ** m;
			return [point, 1 - point, to * m * t ** (m - 1)];
		};
	} else if (upperEdge < 1 && to === 1) {
		const m = 2 / upperEdge;
		const length = 1 - from;
		map = (t) => {
			const distance = length * t ** m;
			return [1 - distance, distance, length * m * t ** (m - 1)];
		};
	} else {
		map = (t) => {
			const point = from + (to - from) * t;
			return [point, 1 - point, to - from];
		};
	}
	const h = 1 / SIMPSON_PANELS;
	let sum = 0;
	for (let k = 0; k <= SIMPSON_PANELS; k++) {
		const [point, complement, jacobian] = map(k * h);
		if (point <= 0 || complement <= 0 || jacobian === 0) continue; // the integrand vanishes there
		const weight = k === 0 || k === SIMPSON_PANELS ? 1 : k % 2 === 1 ? 4 : 2;
		// P(Y < x), from the smaller tail so it keeps its digits: I_x(a, b) = 1 - I_(1-x)(b, a).
		const below = point <= 0.5 ? regularizedIncompleteBeta(point, y.alpha, y.beta) : 1 - regularizedIncompleteBeta(complement, y.beta, y.alpha);
		sum += weight * jacobian * Math.exp(logBetaDensity(point, complement, x, logNorm)) * below;
	}
	return Math.min(1, Math.max(0, (sum * h) / 3));
}

/** The four mirrored forms of the closed-form sum, each with its term count. */
function exactRoutes(a: BetaPosterior, b: BetaPosterior): Array<{ terms: number; run: () => number }> {
	const mirror = (p: BetaPosterior): BetaPosterior => ({ alpha: p.beta, beta: p.alpha });
	return [
		{ terms: b.alpha, run: () => exactSum(b, a) }, // P(B > A) directly
		{ terms: a.alpha, run: () => 1 - exactSum(a, b) }, // 1 - P(A > B)
		{ terms: a.beta, run: () => exactSum(mirror(a), mirror(b)) }, // 1-pA > 1-pB  <=>  pB > pA
		{ terms: b.beta, run: () => 1 - exactSum(mirror(b), mirror(a)) },
	].filter((route) => Number.isInteger(route.terms) && route.terms <= EXACT_TERM_LIMIT);
}

/** P(pB > pA) for Beta posteriors, and which method computed it. */
export function probabilityBBeatsA(a: BetaPosterior, b: BetaPosterior): { probability: number; method: ProbabilityMethod } {
	const routes = exactRoutes(a, b).sort((r, s) => r.terms - s.terms);
	if (routes.length > 0) return { probability: Math.min(1, Math.max(0, routes[0].run())), method: 'exact' };
	// Integrate over the variable whose density stays bounded when there is a choice.
	const bounded = (p: BetaPosterior) => p.alpha >= 1 && p.beta >= 1;
	const probability = bounded(b) || !bounded(a) ? integrate(b, a) : 1 - integrate(a, b);
	return { probability, method: 'integration' };
}

/**
 * Expected loss (in conversion-rate points) of choosing B, E[max(pA - pB, 0)], and of
 * keeping A, E[max(pB - pA, 0)] (Stucchio 2014, eq. 4).
 */
export function expectedLoss(a: BetaPosterior, b: BetaPosterior): { choosingB: number; keepingA: number } {
	const meanA = a.alpha / (a.alpha + a.beta);
	const meanB = b.alpha / (b.alpha + b.beta);
	const shifted = (p: BetaPosterior): BetaPosterior => ({ alpha: p.alpha + 1, beta: p.beta });
	// P(A⁺ > B) = 1 - P(B > A⁺); P(A > B⁺) = 1 - P(B⁺ > A).
	const aPlusBeatsB = 1 - probabilityBBeatsA(shifted(a), b).probability;
	const aBeatsBPlus = 1 - probabilityBBeatsA(a, shifted(b)).probability;
	const choosingB = Math.max(0, meanA * aPlusBeatsB - meanB * aBeatsBPlus);
	// E[max(pB - pA, 0)] = E[max(pA - pB, 0)] + meanB - meanA (since max(u,0) - max(-u,0) = u).
	const keepingA = Math.max(0, choosingB + meanB - meanA);
	return { choosingB, keepingA };
}
