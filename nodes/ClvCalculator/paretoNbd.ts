/**
 * Pareto/NBD: Schmittlein, Morrison & Colombo (1987); likelihood and expressions as in
 * Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions"
 * (FH note below). While alive a customer buys at rate λ ~ Gamma(r, α) and has an exponential
 * lifetime with rate μ ~ Gamma(s, β).
 */
import { logGamma } from '../shared/distributions';
import { groupHistories, type GroupedHistories, type PurchaseHistory } from './customers';
import { fitMaximumLikelihood, type FitOptions, type ModelFit } from './fitting';
import { logAddExp, logHyp2f1, logSubExp } from './special';

export interface ParetoNbdParams {
	r: number;
	alpha: number;
	s: number;
	beta: number;
}

/**
 * ln A0 of the FH note (eqs. 22–24 there): with a = r+s+x,
 *   α ≥ β: A0 = 2F1(a, s+1; a+1; (α−β)/(α+t_x))/(α+t_x)^a − 2F1(a, s+1; a+1; (α−β)/(α+T))/(α+T)^a
 *   α < β: A0 = 2F1(a, r+x; a+1; (β−α)/(β+t_x))/(β+t_x)^a − 2F1(a, r+x; a+1; (β−α)/(β+T))/(β+T)^a
 * The case split keeps the 2F1 argument in [0, 1). −∞ when t_x = T (A0 = 0).
 */
export function paretoLogA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
	const { r, alpha, s, beta } = p;
	const big = Math.max(alpha, beta);
	const difference = Math.abs(alpha - beta);
	const second = alpha >= beta ? s + 1 : r + x;
	const a = r + s + x;
	const term = (t: number) => logHyp2f1(a, second, a + 1, difference / (big + t)) - a * Math.log(big + t);
	if (tx >= T) return -Infinity;
	return logSubExp(term(tx), term(T));
}

/**
 * ln L(r, α, s, β | x, t_x, T), FH note eq. (22):
 * L = Γ(r+x)α^r β^s/Γ(r) · [ 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A0 ].
 */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
	const { r, alpha, s, beta } = p;
	const head = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
	const survived = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
	const died = Math.log(s) - Math.log(r + s + x) + paretoLogA0(p, x, tx, T);
	return head + logAddExp(survived, died);
}

/** Total weighted log-likelihood over grouped customers. */
export function paretoNbdLogLikelihood(params: ArrayLike<number>, data: GroupedHistories): number {
	const p = { r: params[0], alpha: params[1], s: params[2], beta: params[3] };
	let total = 0;
	for (let i = 0; i < data.x.length; i++) total += data.weight[i] * paretoNbdCustomerLogLikelihood(p, data.x[i], data.tx[i], data.T[i]);
	return total;
}

/** Maximum-likelihood Pareto/NBD fit (numeric gradient; lifetimes does not rescale time for it). */
export function fitParetoNbd(customers: readonly PurchaseHistory[], options: FitOptions = {}): ModelFit<ParetoNbdParams> {
	const data = groupHistories(customers);
	const logLikelihood = (theta: Float64Array) => paretoNbdLogLikelihood(theta, data);
	// Start from moderate values on the data's own time scale: α and β around the mean T.
	let meanT = 0;
	for (let i = 0; i < data.T.length; i++) meanT += (data.weight[i] * data.T[i]) / data.customers;
	return fitMaximumLikelihood<ParetoNbdParams>(
		{
			names: ['r', 'alpha', 's', 'beta'],
			start: [1, Math.max(meanT, 1e-3), 1, Math.max(meanT, 1e-3)],
			fitLogLikelihood: logLikelihood,
			logLikelihood,
			toUserParams: (theta) => theta,
			hasGradient: false,
			customers: data.customers,
		},
		options,
	);
}

/** P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A0), FH note eq. (18)–(24). */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, c: PurchaseHistory): number {
	const x = c.frequency;
	const logRatio =
		Math.log(p.s) - Math.log(p.r + p.s + x) + (p.r + x) * Math.log(p.alpha + c.T) + p.s * Math.log(p.beta + c.T) + paretoLogA0(p, x, c.recency, c.T);
	return 1 / (1 + Math.exp(logRatio));
}

/** (1 − q^(s−1))/(s−1), continuous at s = 1 where it is −ln q. */
function powerDifference(q: number, s: number): number {
	const logQ = Math.log(q);
	if (Math.abs(s - 1) < 1e-10) return -logQ;
	return -Math.expm1((s - 1) * logQ) / (s - 1);
}

/** Expected purchases in (0, t] of a new customer: rβ/α · (1 − (β/(β+t))^(s−1))/(s−1) (FH note eq. 27). */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
	return ((p.r * p.beta) / p.alpha) * powerDifference(p.beta / (p.beta + t), p.s);
}

/**
 * Expected purchases in the next t given (x, t_x, T) (Schmittlein et al. 1987 eq. 22; FH note eq. 29):
 * (r+x)(β+T)/(α+T) · (1 − ((β+T)/(β+T+t))^(s−1))/(s−1) · P(alive).
 */
export function paretoNbdConditionalExpectedPurchases(p: ParetoNbdParams, c: PurchaseHistory, t: number): number {
	const x = c.frequency;
	return (((p.r + x) * (p.beta + c.T)) / (p.alpha + c.T)) * powerDifference((p.beta + c.T) / (p.beta + c.T + t), p.s) * paretoNbdProbabilityAlive(p, c);
}
