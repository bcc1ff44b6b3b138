/**
 * Gamma-Gamma model of spend per transaction: Fader & Hardie (2013), "The Gamma-Gamma Model
 * of Monetary Value" (note), after Colombo & Jiang (1999). A customer's transaction values are
 * Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; the average m̄ of x transactions then has
 * density (note, eq. 4)
 *   f(m̄ | p, q, γ; x) = Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + m̄x)^(px+q).
 * It assumes spend is independent of purchase frequency: we warn when they correlate.
 */
import { sampleCorrelation } from 'simple-statistics';
import { logGamma } from '../shared/distributions';
import { InputError, describeValue } from '../shared/errors';
import { fitMaximumLikelihood, type FitOptions, type ModelFit } from './fitting';
import { digamma } from './special';

export interface GammaGammaParams {
	p: number;
	q: number;
	/** γ in the paper (lifetimes calls it v). */
	v: number;
}

export interface SpendHistory {
	frequency: number;
	monetaryValue: number;
}

/** Fewer repeat customers than this and three spend parameters cannot be estimated sensibly. */
export const MIN_REPEAT_CUSTOMERS = 10;
/** |Pearson r| between frequency and monetary value above which the independence assumption is doubtful. */
export const CORRELATION_WARNING = 0.3;

interface SpendData {
	x: Float64Array;
	m: Float64Array;
	/** ln m̄ and ln x, fixed during the fit, so the likelihood loop takes one log per customer. */
	logM: Float64Array;
	logX: Float64Array;
}

/**
 * Total log-likelihood of the average spends (note, eq. 4) and its gradient in (p, q, γ).
 * The gamma-function terms depend on x only, so they are computed once per distinct x.
 */
export function gammaGammaLogLikelihood(params: ArrayLike<number>, data: SpendData, gradient?: Float64Array): number {
	const [p, q, v] = [params[0], params[1], params[2]];
	const lgQ = logGamma(q);
	const psiQ = digamma(q);
	const logV = Math.log(v);
	const perX = new Map<number, { lg: number; dP: number; dQ: number }>();
	let total = 0;
	let gP = 0;
	let gQ = 0;
	let gV = 0;
	for (let i = 0; i < data.x.length; i++) {
		const x = data.x[i];
		const m = data.m[i];
		const px = p * x;
		let t = perX.get(x);
		if (t === undefined) {
			const psiPxQ = digamma(px + q);
			t = { lg: logGamma(px + q) - logGamma(px) - lgQ, dP: x * (psiPxQ - digamma(px)), dQ: psiPxQ - psiQ };
			perX.set(x, t);
		}
		const logM = data.logM[i];
		const logX = data.logX[i];
		const logDenominator = Math.log(v + m * x);
		total += t.lg + q * logV + (px - 1) * logM + px * logX - (px + q) * logDenominator;
		if (gradient) {
			gP += t.dP + x * (logM + logX - logDenominator);
			gQ += t.dQ + logV - logDenominator;
			gV += q / v - (px + q) / (v + m * x);
		}
	}
	if (gradient) {
		gradient[0] = gP;
		gradient[1] = gQ;
		gradient[2] = gV;
	}
	return total;
}

/** The customers Gamma-Gamma is fitted on: frequency > 0 and a positive monetary value. */
function spendData(customers: readonly SpendHistory[], warnings: string[]): SpendData {
	const x: number[] = [];
	const m: number[] = [];
	let zeroSpend = 0;
	customers.forEach((c, row) => {
		if (typeof c.frequency !== 'number' || !Number.isInteger(c.frequency) || c.frequency < 0) {
			throw new InputError(`Customer ${row}: frequency must be a whole number ≥ 0, got ${describeValue(c.frequency)}`, { row, field: 'frequency', value: c.frequency });
		}
		if (typeof c.monetaryValue !== 'number' || !Number.isFinite(c.monetaryValue) || c.monetaryValue < 0) {
			throw new InputError(`Customer ${row}: monetaryValue must be a number ≥ 0, got ${describeValue(c.monetaryValue)}`, { row, field: 'monetaryValue', value: c.monetaryValue });
		}
		if (c.frequency === 0) return;
		if (c.monetaryValue === 0) {
			zeroSpend++;
			return;
		}
		x.push(c.frequency);
		m.push(c.monetaryValue);
	});
	if (zeroSpend > 0) warnings.push(`${zeroSpend} repeat customer(s) with monetary value 0 were left out of the spend model`);
	if (x.length < MIN_REPEAT_CUSTOMERS) {
		throw new InputError(
			`The spend model (Gamma-Gamma) needs at least ${MIN_REPEAT_CUSTOMERS} customers with repeat purchases and a positive ` +
				`monetary value, found ${x.length}: it learns how spend varies between customers from their repeat orders, ` +
				'and one-time buyers carry no such information. Use Simple CLV, or collect a longer order history.',
			{ field: 'frequency' },
		);
	}
	return { x: Float64Array.from(x), m: Float64Array.from(m), logM: Float64Array.from(m, Math.log), logX: Float64Array.from(x, Math.log) };
}

/** Fits Gamma-Gamma on customers with repeat purchases (lifetimes' GammaGammaFitter, start p = q = v = 1). */
export function fitGammaGamma(customers: readonly SpendHistory[], options: FitOptions = {}): ModelFit<GammaGammaParams> & { correlation: number | null } {
	const warnings: string[] = [];
	const data = spendData(customers, warnings);
	const correlation = sampleCorrelation(Array.from(data.x), Array.from(data.m));
	const finiteCorrelation = Number.isFinite(correlation) ? correlation : null;
	if (finiteCorrelation !== null && Math.abs(finiteCorrelation) > CORRELATION_WARNING) {
		warnings.push(
			`Frequency and monetary value are correlated (Pearson r = ${finiteCorrelation.toFixed(2)}): ` +
				'Gamma-Gamma assumes they are independent, so expected spend may be biased',
		);
	}
	const logLikelihood = (theta: Float64Array, gradient?: Float64Array) => gammaGammaLogLikelihood(theta, data, gradient);
	const fit = fitMaximumLikelihood<GammaGammaParams>(
		{
			names: ['p', 'q', 'v'],
			start: [1, 1, 1],
			fitLogLikelihood: logLikelihood,
			logLikelihood,
			toUserParams: (theta) => theta,
			hasGradient: true,
			customers: data.x.length,
		},
		options,
	);
	if (fit.params.q <= 1) warnings.push('q ≤ 1: the model has no finite mean spend, so expected spend is not available');
	return { ...fit, warnings: [...warnings, ...fit.warnings], correlation: finiteCorrelation };
}

/**
 * Expected average spend per transaction given x repeat purchases averaging m̄ (note, eq. 5):
 * p(γ + m̄x)/(px + q − 1), a weighted mean of the population mean pγ/(q−1) and m̄.
 * Null when q ≤ 1 (no finite mean). With x = 0 it is the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, c: SpendHistory): number | null {
	const { p, q, v } = params;
	if (q <= 1) return null;
	const x = c.frequency;
	const m = x > 0 ? c.monetaryValue : 0;
	return (p * (v + m * x)) / (p * x + q - 1);
}
