/**
 * MBG/NBD: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
 * models for customer base analysis", IJRM 24(3). Like BG/NBD, but a customer may also drop
 * out right after the first purchase, so customers without repeat purchases are not
 * automatically alive. Expressions follow lifetimes' ModifiedBetaGeoFitter.
 */
import type { PurchaseHistory } from './customers';
import { fitBetaGeometric, type BgNbdParams } from './bgNbd';
import type { FitOptions, ModelFit } from './fitting';
import { logHyp2f1 } from './special';

/** Maximum-likelihood MBG/NBD fit; parameters have the BG/NBD names { r, alpha, a, b }. */
export function fitMbgNbd(customers: readonly PurchaseHistory[], options: FitOptions = {}): ModelFit<BgNbdParams> {
	return fitBetaGeometric(customers, options, true);
}

/** P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)). */
export function mbgNbdProbabilityAlive(p: BgNbdParams, c: PurchaseHistory): number {
	const x = c.frequency;
	const logOdds = Math.log(p.a / (p.b + x)) + (p.r + x) * Math.log((p.alpha + c.T) / (p.alpha + c.recency));
	return 1 / (1 + Math.exp(logOdds));
}

/** Expected repeat purchases in (0, t] of a new customer: b/(a−1)·[1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]. */
export function mbgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
	if (t === 0) return 0;
	const logTail = p.r * Math.log(p.alpha / (p.alpha + t)) + logHyp2f1(p.r, p.b + 1, p.a + p.b, t / (p.alpha + t));
	return (p.b / (p.a - 1)) * -Math.expm1(logTail);
}

/**
 * Expected purchases in the next t: (a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)
 * 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
 */
export function mbgNbdConditionalExpectedPurchases(p: BgNbdParams, c: PurchaseHistory, t: number): number {
	if (t === 0) return 0;
	const x = c.frequency;
	const z = t / (p.alpha + c.T + t);
	const logTail = (p.r + x) * Math.log((p.alpha + c.T) / (p.alpha + c.T + t)) + logHyp2f1(p.r + x, p.b + x + 1, p.a + p.b + x, z);
	return ((p.a + p.b + x) / (p.a - 1)) * -Math.expm1(logTail) * mbgNbdProbabilityAlive(p, c);
}
