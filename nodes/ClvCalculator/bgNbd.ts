/**
 * BG/NBD model of repeat purchasing: Fader, Hardie & Lee (2005), "Counting your customers the
 * easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2) (FHL below).
 * While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop
 * out with probability p ~ Beta(a, b).
 *
 * The MBG/NBD variant (Batislam, Denizel & Filiztekin 2007) also lets customers drop out right
 * after the first purchase; its likelihood differs by one shift in b (see `dropsAtFirst`).
 */
import { logGamma } from '../shared/distributions';
import { groupHistories, scaleTime, type GroupedHistories, type PurchaseHistory } from './customers';
import { fitMaximumLikelihood, type FitOptions, type ModelFit } from './fitting';
import { digamma, logHyp2f1 } from './special';

export interface BgNbdParams {
	r: number;
	alpha: number;
	a: number;
	b: number;
}

/**
 * Total log-likelihood Σ w·ln L(r, α, a, b | x, t_x, T) over grouped customers, and its gradient.
 * BG/NBD (FHL eq. 6):  L = B(a, b+x)/B(a,b) · Γ(r+x)α^r/(Γ(r)(α+T)^(r+x))
 *                        + δ(x>0) B(a+1, b+x−1)/B(a,b) · Γ(r+x)α^r/(Γ(r)(α+t_x)^(r+x)).
 * MBG/NBD (Batislam et al. 2007, eq. 6): b+x → b+x+1 in the first Beta, b+x−1 → b+x in the
 * second, and the second term is present for every customer.
 * Written as ln L = A1 + A2 + ln(e^A3 + e^A4) as in lifetimes' BetaGeoFitter.
 */
export function betaGeometricLogLikelihood(
	params: ArrayLike<number>,
	data: GroupedHistories,
	gradient: Float64Array | undefined,
	dropsAtFirst: boolean,
): number {
	const [r, alpha, a, b] = [params[0], params[1], params[2], params[3]];
	const shift = dropsAtFirst ? 1 : 0;
	const logAlpha = Math.log(alpha);
	const logA = Math.log(a);
	const lgR = logGamma(r);
	const lgB = logGamma(b);
	const lgAB = logGamma(a + b);
	const psiR = digamma(r);
	const psiB = digamma(b);
	const psiAB = digamma(a + b);
	// Terms that depend on x only: computed again only when x changes (groups are sorted by x).
	let currentX = -1;
	let base = 0;
	let dR = 0;
	let dA = 0;
	let dB = 0;
	let logB4 = 0;
	let total = 0;
	let gR = 0;
	let gAlpha = 0;
	let gA = 0;
	let gB = 0;
	const { x: xs, tx: txs, T: Ts, weight } = data;
	for (let i = 0; i < xs.length; i++) {
		const x = xs[i];
		const w = weight[i];
		if (x !== currentX) {
			currentX = x;
			const A1 = logGamma(r + x) - lgR + r * logAlpha;
			const A2 = lgAB + logGamma(b + x + shift) - lgB - logGamma(a + b + x + shift);
			base = A1 + A2;
			if (gradient) {
				dR = digamma(r + x) - psiR + logAlpha;
				dA = psiAB - digamma(a + b + x + shift);
				dB = psiAB + digamma(b + x + shift) - psiB - digamma(a + b + x + shift);
			}
			logB4 = x > 0 || dropsAtFirst ? Math.log(b + x - 1 + shift) : 0;
		}
		const logAlphaT = Math.log(alpha + Ts[i]);
		const A3 = -(r + x) * logAlphaT;
		let ll: number;
		let share4 = 0; // posterior weight of the "dropped out after the last purchase" term
		let logAlphaTx = 0;
		if (x > 0 || dropsAtFirst) {
			logAlphaTx = Math.log(alpha + txs[i]);
			const A4 = logA - logB4 - (r + x) * logAlphaTx;
			// ln(e^A3 + e^A4) and the share of e^A4, from one exponential
			const d = A3 - A4;
			if (d > 0) {
				const e = Math.exp(-d);
				ll = base + A3 + Math.log1p(e);
				share4 = e / (1 + e);
			} else {
				const e = Math.exp(d);
				ll = base + A4 + Math.log1p(e);
				share4 = 1 / (1 + e);
			}
		} else {
			ll = base + A3;
		}
		total += w * ll;
		if (gradient) {
			const share3 = 1 - share4;
			gR += w * (dR - share3 * logAlphaT - share4 * logAlphaTx);
			gAlpha += w * (r / alpha - share3 * (r + x) / (alpha + Ts[i]) - (share4 > 0 ? (share4 * (r + x)) / (alpha + txs[i]) : 0));
			gA += w * (dA + share4 / a);
			gB += w * (dB - (share4 > 0 ? share4 / (b + x - 1 + shift) : 0));
		}
	}
	if (gradient) {
		gradient[0] = gR;
		gradient[1] = gAlpha;
		gradient[2] = gA;
		gradient[3] = gB;
	}
	return total;
}

/**
 * Fits BG/NBD or MBG/NBD. As lifetimes does, time is first rescaled so the largest T is 1
 * (the penalizer then acts on α in that scale), starting from all parameters = 1.
 */
export function fitBetaGeometric(
	customers: readonly PurchaseHistory[],
	options: FitOptions,
	dropsAtFirst: boolean,
): ModelFit<BgNbdParams> {
	const data = groupHistories(customers);
	const scale = 1 / data.maxT;
	const scaled = scaleTime(data, scale);
	return fitMaximumLikelihood<BgNbdParams>(
		{
			names: ['r', 'alpha', 'a', 'b'],
			start: [1, 1, 1, 1],
			fitLogLikelihood: (theta, gradient) => betaGeometricLogLikelihood(theta, scaled, gradient, dropsAtFirst),
			logLikelihood: (theta, gradient) => betaGeometricLogLikelihood(theta, data, gradient, dropsAtFirst),
			toUserParams: (theta) => Float64Array.from([theta[0], theta[1] / scale, theta[2], theta[3]]),
			hasGradient: true,
			customers: data.customers,
		},
		options,
	);
}

/** Maximum-likelihood BG/NBD fit (FHL 2005). */
export function fitBgNbd(customers: readonly PurchaseHistory[], options: FitOptions = {}): ModelFit<BgNbdParams> {
	return fitBetaGeometric(customers, options, false);
}

/** P(alive | x, t_x, T), FHL eq. (13) (= 1 for customers without repeat purchases). */
export function bgNbdProbabilityAlive(p: BgNbdParams, c: PurchaseHistory): number {
	if (c.frequency === 0) return 1;
	const x = c.frequency;
	const logOdds = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log((p.alpha + c.T) / (p.alpha + c.recency));
	return 1 / (1 + Math.exp(logOdds));
}

/** Expected repeat purchases in (0, t] of a new customer, FHL eq. (9). */
export function bgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
	if (t === 0) return 0;
	const z = t / (p.alpha + t);
	const logTail = p.r * Math.log(p.alpha / (p.alpha + t)) + logHyp2f1(p.r, p.b, p.a + p.b - 1, z);
	return ((p.a + p.b - 1) / (p.a - 1)) * -Math.expm1(logTail);
}

/** Expected purchases in the next t time units of a customer with history (x, t_x, T), FHL eq. (10). */
export function bgNbdConditionalExpectedPurchases(p: BgNbdParams, c: PurchaseHistory, t: number): number {
	if (t === 0) return 0;
	const x = c.frequency;
	const z = t / (p.alpha + c.T + t);
	const logTail = (p.r + x) * Math.log((p.alpha + c.T) / (p.alpha + c.T + t)) + logHyp2f1(p.r + x, p.b + x, p.a + p.b + x - 1, z);
	const numerator = ((p.a + p.b + x - 1) / (p.a - 1)) * -Math.expm1(logTail);
	return numerator * bgNbdProbabilityAlive(p, c);
}

/**
 * P(X(t) = n) for a new customer, FHL eq. (8):
 * B(a,b+n)/B(a,b)·Γ(r+n)/(Γ(r)n!)·(α/(α+t))^r (t/(α+t))^n
 * + δ(n>0) B(a+1,b+n−1)/B(a,b)·[1 − (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r)j!) (t/(α+t))^j].
 */
export function bgNbdProbabilityOfPurchases(p: BgNbdParams, t: number, n: number): number {
	const { r, alpha, a, b } = p;
	const logBetaRatio = (x: number, y: number) => logGamma(x) + logGamma(y) - logGamma(x + y) - (logGamma(a) + logGamma(b) - logGamma(a + b));
	const logStay = r * Math.log(alpha / (alpha + t));
	const logRate = Math.log(t / (alpha + t));
	const negBin = (j: number) => Math.exp(logGamma(r + j) - logGamma(r) - logGamma(j + 1) + logStay + j * logRate);
	let probability = Math.exp(logBetaRatio(a, b + n)) * negBin(n);
	if (n > 0) {
		let cumulative = 0;
		for (let j = 0; j < n; j++) cumulative += negBin(j);
		probability += Math.exp(logBetaRatio(a + 1, b + n - 1)) * (1 - cumulative);
	}
	return probability;
}
