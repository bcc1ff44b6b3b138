/**
 * Special functions the CLV models need beyond nodes/shared/distributions.ts: the digamma
 * function (for analytic likelihood gradients), ln|Γ| with sign for negative arguments, and
 * the Gauss hypergeometric function 2F1 on 0 ≤ z < 1 (Pareto/NBD likelihood, BG/NBD
 * expectations), computed in log space.
 */
import { logGamma } from '../shared/distributions';

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then the
 * asymptotic series (Abramowitz & Stegun 6.3.18).
 */
export function digamma(x: number): number {
	let shift = 0;
	while (x < 10) {
		shift -= 1 / x;
		x += 1;
	}
	const inv2 = 1 / (x * x);
	return (
		shift +
		Math.log(x) -
		0.5 / x -
		inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
	);
}

/** ln|Γ(x)| and the sign of Γ(x) for any real x that is not 0 or a negative integer (reflection, A&S 6.1.17). */
export function signedLogGamma(x: number): { log: number; sign: number } {
	if (x > 0) return { log: logGamma(x), sign: 1 };
	const sine = Math.sin(Math.PI * x);
	return { log: Math.log(Math.PI) - Math.log(Math.abs(sine)) - logGamma(1 - x), sign: sine > 0 ? 1 : -1 };
}

/** A real number as sign and log-magnitude, so products of huge gammas do not overflow. */
interface SignedLog {
	log: number;
	sign: number;
}

/**
 * The Gauss series Σ (a)_k (b)_k / ((c)_k k!) z^k (DLMF 15.2.1), summed with a running scale
 * so it never overflows. Terms may change sign when a, b or c are negative.
 */
function gaussSeries(a: number, b: number, c: number, z: number, maxTerms: number): SignedLog {
	let term = 1;
	let sum = 1;
	let logScale = 0;
	for (let k = 0; k < maxTerms; k++) {
		term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
		sum += term;
		if (Math.abs(sum) > 1e250) {
			logScale += Math.log(Math.abs(sum));
			term /= Math.abs(sum);
			sum = Math.sign(sum);
		}
		// Stop once terms are negligible and shrinking: past k > |a|, |b| the ratio tends to z < 1.
		if (Math.abs(term) <= 1e-17 * Math.abs(sum) && k > Math.abs(a) + Math.abs(b)) {
			return { log: logScale + Math.log(Math.abs(sum)), sign: Math.sign(sum) };
		}
		if (term === 0) return { log: logScale + Math.log(Math.abs(sum)), sign: Math.sign(sum) };
	}
	throw new RangeError(`hypergeometric series 2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
}

const NEAR_INTEGER = 0.05;

/**
 * ln 2F1(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1 (the function is then positive).
 * - z ≤ 0.9: the Gauss series. When c−a−b < 0 and c−a, c−b > 0 it is summed after Euler's
 *   transformation 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z) (DLMF 15.8.1), whose
 *   terms decay faster; both forms then add positive terms only (no cancellation).
 * - z > 0.9: the connection to 1−z (DLMF 15.8.4), where both series converge fast; it is
 *   singular when c−a−b is an integer, so near integers the (slower but exact) series is kept.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
	if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) {
		throw new RangeError(`logHyp2f1 needs a, b, c > 0 and 0 ≤ z < 1, got (${a}, ${b}, ${c}, ${z})`);
	}
	if (z === 0) return 0;
	const m = c - a - b;
	if (z > 0.9 && Math.abs(m - Math.round(m)) > NEAR_INTEGER) return connectionToOneMinusZ(a, b, c, z);
	const maxTerms = 20_000_000;
	if (m < 0 && c - a > 0 && c - b > 0) {
		const series = gaussSeries(c - a, c - b, c, z, maxTerms);
		return m * Math.log1p(-z) + series.log;
	}
	return gaussSeries(a, b, c, z, maxTerms).log;
}

/** DLMF 15.8.4 with w = 1 − z: the sum of two signed terms, each a gamma ratio times a fast series. */
function connectionToOneMinusZ(a: number, b: number, c: number, z: number): number {
	const w = 1 - z;
	const m = c - a - b;
	const lg = signedLogGamma;
	const gc = logGamma(c);
	const first = combine([lg(m), lg(c - a), lg(c - b)], gaussSeries(a, b, 1 - m, w, 100_000), gc);
	const secondSeries = gaussSeries(c - a, c - b, 1 + m, w, 100_000);
	const second = combine([lg(-m), lg(a), lg(b)], secondSeries, gc + m * Math.log(w));
	// first: Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) F1; second: (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) F2.
	const big = Math.max(first.log, second.log);
	const total = first.sign * Math.exp(first.log - big) + second.sign * Math.exp(second.log - big);
	if (!(total > 0)) throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) lost all precision`);
	return big + Math.log(total);
}

/** sign·exp(log) of Γ(num)·series·e^extra / (Γ(den1)Γ(den2)), from [Γ(num), Γ(den1), Γ(den2)]. */
function combine(gammas: [SignedLog, SignedLog, SignedLog], series: SignedLog, extraLog: number): SignedLog {
	const [num, den1, den2] = gammas;
	return {
		log: extraLog + num.log - den1.log - den2.log + series.log,
		sign: num.sign * den1.sign * den2.sign * series.sign,
	};
}

/** ln(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
	if (x === -Infinity) return y;
	if (y === -Infinity) return x;
	return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** ln(e^x − e^y) for x > y. */
export function logSubExp(x: number, y: number): number {
	return x + Math.log(-Math.expm1(y - x));
}
