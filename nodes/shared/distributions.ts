/**
 * Special functions and distribution tails used by the statistical tests of several nodes.
 * Plain numbers in, plain numbers out; accurate to about 1e-12 relative over the tested range
 * (see test/unit/shared/distributions.test.ts, checked against scipy.special).
 *
 * Sources: Numerical Recipes 3rd ed. (Press et al. 2007) §6.1 (Lanczos log-gamma), §6.2
 * (incomplete gamma: series and Lentz continued fraction), §6.4 (incomplete beta continued
 * fraction); Abramowitz & Stegun (A&S) 6.1.40-6.1.41 (Stirling series), 26.2.11 (normal
 * series), 26.4.19 / 26.7.1 (chi-square and t through incomplete gamma / beta); DiDonato &
 * Morris (1992, ACM TOMS 708) for the cancellation-free prefactors at large parameters;
 * P. J. Acklam (2003) for the initial normal quantile.
 */
import { InputError, describeValue } from './errors';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const EPS = 1e-16;
// Smallest number kept away from zero in the modified Lentz algorithm (NR3 §5.2).
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000_000;

function requirePositive(value: number, field: string): void {
	if (!(value > 0) || !Number.isFinite(value)) {
		throw new InputError(`${field} must be a positive finite number, got ${describeValue(value)}`, { field, value });
	}
}

function requireNumber(value: number, field: string): void {
	if (typeof value !== 'number' || Number.isNaN(value)) {
		throw new InputError(`${field} must be a number, got ${describeValue(value)}`, { field, value });
	}
}

// Lanczos coefficients for g = 671/128, n = 14 (NR3 §6.1, gammln).
const LANCZOS = [
	57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202,
	3.399464998481189e-05, 4.652362892704858e-05, -9.837447530487956e-05, 0.0001580887032249125,
	-0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-05,
	-2.6190838401581408e-05, 3.6899182659531625e-06,
];

/**
 * Stirling-series remainder δ(x) = lnΓ(x) - [(x - ½)ln x - x + ½ln 2π], for x >= 10
 * (A&S 6.1.41; terms through B16, truncation error below 2e-18 at x = 10).
 */
function stirlingCorrection(x: number): number {
	const inv = 1 / x;
	const inv2 = inv * inv;
	return (
		inv *
		(1 / 12 +
			inv2 *
				(-1 / 360 +
					inv2 *
						(1 / 1260 +
							inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156 + inv2 * (-3617 / 122400))))))))
	);
}

/**
 * ln Γ(x) for x > 0. Lanczos approximation below 10 (NR3 §6.1 eq. 6.1.5, g = 671/128),
 * Stirling's series above (A&S 6.1.40). Absolute error ~1e-15 near the roots x = 1, 2.
 * @example logGamma(5) // ln 24 = 3.1780538303479458
 */
export function logGamma(x: number): number {
	requirePositive(x, 'x');
	if (x >= 10) return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + stirlingCorrection(x);
	let y = x;
	const tmp = x + 671 / 128;
	let series = 0.9999999999999971;
	for (const c of LANCZOS) series += c / ++y;
	return (x + 0.5) * Math.log(tmp) - tmp + Math.log(2.5066282746310007 * series) - Math.log(x);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b), rearranged with Stirling corrections when an
 * argument is large so the big log-gamma terms cancel analytically, not numerically
 * (the scheme of R's lbeta / TOMS 708 betaln).
 */
export function logBeta(a: number, b: number): number {
	requirePositive(a, 'a');
	requirePositive(b, 'b');
	const p = Math.min(a, b);
	const q = Math.max(a, b);
	if (p >= 10) {
		const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
		return -0.5 * Math.log(q) + LOG_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
	}
	if (q >= 10) {
		const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
		return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
	}
	return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** ln(1 + r) - r without cancellation for small r (series in v = r/(2+r), from atanh). */
function log1pMinusX(r: number): number {
	if (Math.abs(r) > 0.5) return Math.log1p(r) - r;
	const v = r / (2 + r);
	const v2 = v * v;
	let term = 2 * v * v2;
	let sum = -r * v;
	for (let k = 1; k < 200; k++) {
		const add = term / (2 * k + 1);
		sum += add;
		if (Math.abs(add) <= EPS * Math.abs(sum)) break;
		term *= v2;
	}
	return sum;
}

/**
 * exp(-x²/2) for large |x| without the error of rounding x² (split x = hi + lo, hi on a 1/16
 * grid so hi² is exact; the technique of Cody's normal-integral code, ACM TOMS 715).
 */
function expHalfSquare(x: number): number {
	const hi = Math.trunc(x * 16) / 16;
	const lo = (x - hi) * (x + hi);
	return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * lo);
}

/** Standard normal density φ(x). */
function normalDensity(x: number): number {
	return INV_SQRT_2PI * expHalfSquare(x);
}

/**
 * Φ(x) - ½ for |x| < 2 by the everywhere-convergent series A&S 26.2.11:
 * Φ(x) = ½ + φ(x) Σ x^(2n+1) / (1·3·5···(2n+1)).
 */
function normalCentralPart(x: number): number {
	const x2 = x * x;
	let term = x;
	let sum = x;
	for (let n = 1; n < 500; n++) {
		term *= x2 / (2 * n + 1);
		sum += term;
		if (Math.abs(term) <= EPS * Math.abs(sum)) break;
	}
	return normalDensity(x) * sum;
}

/**
 * Upper tail Q(x) for x >= 2: Q(x) = ½ erfc(x/√2) = ½ Q(½, x²/2) (A&S 7.1.2, 6.5.17) =
 * ½ x φ(x) · CF, where CF is the continued fraction of the incomplete gamma Q(½, ·),
 * evaluated by modified Lentz (NR3 §6.2,
 * gcf). The prefactor uses expHalfSquare, so the tail keeps full relative accuracy out to
 * x ≈ 38 where it underflows.
 */
function normalUpperTail(x: number): number {
	const a = 0.5;
	const y = 0.5 * x * x;
	let b = y + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 10_000; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) <= EPS) break;
	}
	return 0.5 * x * normalDensity(x) * h;
}

/**
 * Standard normal CDF Φ(x) = P(Z <= x), accurate in relative terms in the lower tail
 * (Φ(-37) ≈ 5.7e-300). Series A&S 26.2.11 for |x| < 2, continued fraction beyond.
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(x: number): number {
	requireNumber(x, 'x');
	if (x === Infinity) return 1;
	if (x === -Infinity) return 0;
	if (Math.abs(x) < 2) return 0.5 + normalCentralPart(x);
	return x < 0 ? normalUpperTail(-x) : 1 - normalUpperTail(x);
}

/**
 * Standard normal upper tail 1 - Φ(x) = P(Z > x), computed directly (not as 1 - Φ) so it
 * stays accurate for large x: normalSurvival(10) = 7.619853024160527e-24.
 */
export function normalSurvival(x: number): number {
	requireNumber(x, 'x');
	return normalCdf(-x);
}

// Acklam's rational approximation for the normal quantile, relative error < 1.15e-9.
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Acklam (2003) initial estimate of the lower-tail quantile, for 0 < p <= 0.5. */
function acklamLower(p: number): number {
	const [a0, a1, a2, a3, a4, a5] = ACKLAM_A;
	const [b0, b1, b2, b3, b4] = ACKLAM_B;
	const [c0, c1, c2, c3, c4, c5] = ACKLAM_C;
	const [d0, d1, d2, d3] = ACKLAM_D;
	if (p < 0.02425) {
		const q = Math.sqrt(-2 * Math.log(p));
		return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
	}
	const q = p - 0.5;
	const r = q * q;
	return (
		((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
		(((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
	);
}

/**
 * Inverse standard normal CDF: the x with Φ(x) = p, 0 < p < 1. Acklam's approximation
 * refined by Halley steps on Φ(x) - p (Acklam's own refinement; cubic convergence, two steps
 * reach full double precision). Works on the smaller tail so p close to 1 loses nothing
 * beyond the rounding of p itself.
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
	requireNumber(p, 'p');
	if (!(p > 0 && p < 1)) {
		throw new InputError(`p must be strictly between 0 and 1, got ${describeValue(p)}`, { field: 'p', value: p });
	}
	// For p > ½ solve the upper tail: 1 - p is exact there (Sterbenz), and x = -quantile(1 - p).
	const lower = p <= 0.5 ? p : 1 - p;
	let x = acklamLower(lower);
	for (let step = 0; step < 2; step++) {
		const density = normalDensity(x);
		if (density === 0) break;
		// Near the centre subtract ½ exactly (lower - ½ is exact for lower >= ¼, Sterbenz).
		const residual = lower > 0.25 && Math.abs(x) < 2 ? normalCentralPart(x) - (lower - 0.5) : normalCdf(x) - lower;
		const u = residual / density;
		x -= u / (1 + 0.5 * x * u);
	}
	return p <= 0.5 ? x : -x;
}

/** x^a e^(-x) / Γ(a), the common prefactor of P and Q (NR3 eq. 6.2.5; large-a form TOMS 708). */
function gammaPrefactor(a: number, x: number): number {
	if (a >= 10) {
		// = sqrt(a/2π) exp(a·[ln(x/a) - (x/a - 1)] - δ(a)): no big terms cancel.
		return Math.sqrt(a / (2 * Math.PI)) * Math.exp(a * log1pMinusX((x - a) / a) - stirlingCorrection(a));
	}
	return Math.exp(a * Math.log(x) - x - logGamma(a));
}

/** Series for P(a, x), converges fast for x < a + 1 (NR3 §6.2, gser). */
function gammaSeries(a: number, x: number): number {
	let ap = a;
	let del = 1 / a;
	let sum = del;
	for (let n = 0; n < MAX_ITERATIONS; n++) {
		ap += 1;
		del *= x / ap;
		sum += del;
		if (Math.abs(del) < Math.abs(sum) * EPS) break;
	}
	return sum * gammaPrefactor(a, x);
}

/** Continued fraction for Q(a, x), converges fast for x > a + 1 (NR3 §6.2, gcf, modified Lentz). */
function gammaContinuedFraction(a: number, x: number): number {
	let b = x + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < MAX_ITERATIONS; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) <= EPS) break;
	}
	return h * gammaPrefactor(a, x);
}

function checkGammaArguments(a: number, x: number): void {
	requirePositive(a, 'a');
	requireNumber(x, 'x');
	if (x < 0) throw new InputError(`x must be >= 0, got ${describeValue(x)}`, { field: 'x', value: x });
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a) (NR3 §6.2, A&S 6.5.1).
 * @example regularizedGammaP(1, 2) // 1 - e^-2
 */
export function regularizedGammaP(a: number, x: number): number {
	checkGammaArguments(a, x);
	if (x === 0) return 0;
	if (x === Infinity) return 1;
	return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in its tail.
 * @example regularizedGammaQ(1, 2) // e^-2
 */
export function regularizedGammaQ(a: number, x: number): number {
	checkGammaArguments(a, x);
	if (x === 0) return 1;
	if (x === Infinity) return 0;
	return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * P(χ²_df > x), the chi-square upper tail: Q(df/2, x/2) (A&S 26.4.19).
 * @example chiSquareSurvival(3.841458820694124, 1) // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
	requirePositive(df, 'df');
	requireNumber(x, 'x');
	if (x <= 0) return 1;
	return regularizedGammaQ(df / 2, x / 2);
}

/**
 * x^a y^b / B(a, b) with y = 1 - x given separately (it may be known more accurately than
 * 1 - x). For a, b >= 10 the Stirling form of TOMS 708 (brcomp) avoids cancelling large logs:
 * (x/x0)^a (y/y0)^b sqrt(ab/(a+b)) / sqrt(2π) e^(-δ(a)-δ(b)+δ(a+b)), x0 = a/(a+b).
 */
function betaPrefactor(x: number, y: number, a: number, b: number): number {
	const logX = x <= 0.5 ? Math.log(x) : Math.log1p(-y);
	const logY = y <= 0.5 ? Math.log(y) : Math.log1p(-x);
	if (Math.min(a, b) >= 10) {
		const total = a + b;
		const x0 = a / total;
		const y0 = b / total;
		const shift = x <= 0.5 ? x - x0 : y0 - y;
		const exponent = a * log1pMinusX(shift / x0) + b * log1pMinusX(-shift / y0);
		const corr = stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(total);
		return Math.sqrt((a * b) / total) * INV_SQRT_2PI * Math.exp(exponent - corr);
	}
	return Math.exp(a * logX + b * logY - logBeta(a, b));
}

/** Continued fraction for I_x(a, b) (NR3 §6.4 eq. 6.4.5, betacf, modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
	const qab = a + b;
	const qap = a + 1;
	const qam = a - 1;
	let c = 1;
	let d = 1 - (qab * x) / qap;
	if (Math.abs(d) < TINY) d = TINY;
	d = 1 / d;
	let h = d;
	for (let m = 1; m < MAX_ITERATIONS; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) <= EPS) break;
	}
	return h;
}

/** I_x(a, b) given x and y = 1 - x separately, using the symmetry I_x(a,b) = 1 - I_y(b,a). */
function incompleteBeta(x: number, y: number, a: number, b: number): number {
	if (x <= 0) return 0;
	if (y <= 0) return 1;
	if (x < (a + 1) / (a + b + 2)) return (betaPrefactor(x, y, a, b) * betaContinuedFraction(x, a, b)) / a;
	return 1 - (betaPrefactor(y, x, b, a) * betaContinuedFraction(y, b, a)) / b;
}

/**
 * Regularized incomplete beta I_x(a, b) (NR3 §6.4, A&S 26.5.1), 0 <= x <= 1.
 * @example regularizedIncompleteBeta(0.5, 2, 3) // 0.6875
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
	requirePositive(a, 'a');
	requirePositive(b, 'b');
	requireNumber(x, 'x');
	if (x < 0 || x > 1) throw new InputError(`x must be between 0 and 1, got ${describeValue(x)}`, { field: 'x', value: x });
	return incompleteBeta(x, 1 - x, a, b);
}

/**
 * P(T > t) for Student's t with df degrees of freedom (df may be fractional, e.g. Welch):
 * ½ I_{df/(df+t²)}(df/2, ½) for t > 0 (A&S 26.7.1 via 26.5.27). Both df/(df+t²) and
 * t²/(df+t²) are formed directly so neither tail loses digits. Accurate to ~1e-12 relative
 * up to df = 1e5; beyond, the continued fraction converges slowly and accuracy degrades
 * (~1e-10 at df = 1e7, ~1e-8 at 1e9), where the normal tail is within 1/df anyway.
 * @example studentTSurvival(2.228138851986274, 10) // 0.025
 */
export function studentTSurvival(t: number, df: number): number {
	requireNumber(t, 't');
	requirePositive(df, 'df');
	if (t === 0) return 0.5;
	const q = (t * t) / df;
	if (!Number.isFinite(q)) return t > 0 ? 0 : 1;
	const tail = 0.5 * incompleteBeta(1 / (1 + q), q / (1 + q), df / 2, 0.5);
	return t > 0 ? tail : 1 - tail;
}
