"""Reference values for the Campaign Evaluator's A/B comparison, from scipy.

stdin: JSON {"pairs": [{"a": [successes, trials], "b": [successes, trials], "prior": [alpha, beta]}],
             "tables": [[[successes, trials], ...]], "sizes": [[p1, p2, alpha, power]]}
stdout: JSON with, per pair, the pooled z and two-sided p (scipy.stats.norm), P(B > A) and the
expected losses by adaptive quadrature (scipy.integrate.quad) of the Beta posteriors; per table
Pearson's chi-square (scipy.stats.chi2_contingency without correction); per size the
Fleiss-Levin-Paik sample size with scipy's normal quantiles.
"""
import json
import math
import sys

from scipy import integrate, stats


def z_test(a, b):
    (sa, na), (sb, nb) = a, b
    pa, pb = sa / na, sb / nb
    pooled = (sa + sb) / (na + nb)
    z = (pb - pa) / math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    return z, 2 * stats.norm.sf(abs(z))


def posterior(counts, prior):
    s, n = counts
    return stats.beta(prior[0] + s, prior[1] + n - s)


def quad_over(dist, f):
    """∫ f(x) dx over the posterior's bulk, split at its quantiles so quad sees the peak and tails."""
    cuts = sorted(set(float(q) for q in dist.ppf([1e-15, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-6, 1 - 1e-15])))
    cuts = [0.0] + [c for c in cuts if 0.0 < c < 1.0] + [1.0]
    total = 0.0
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        value, _ = integrate.quad(f, lo, hi, limit=200, epsabs=1e-15, epsrel=1e-12)
        total += value
    return total


def bayes(a, b, prior):
    A, B = posterior(a, prior), posterior(b, prior)
    aB, bB = B.args
    # P(B > A) = ∫ f_A(x) P(B > x) dx
    p_b_beats_a = quad_over(A, lambda x: A.pdf(x) * B.sf(x))
    mean_b = B.mean()
    shifted_b = stats.beta(aB + 1, bB)
    # E[max(pA - pB, 0)] = ∫ f_A(x) (x F_B(x) - mean_B F_B+(x)) dx
    loss_b = quad_over(A, lambda x: A.pdf(x) * (x * B.cdf(x) - mean_b * shifted_b.cdf(x)))
    return p_b_beats_a, loss_b


def main():
    data = json.load(sys.stdin)
    pairs = []
    for case in data.get('pairs', []):
        z, p = z_test(case['a'], case['b'])
        prob, loss = bayes(case['a'], case['b'], case['prior'])
        pairs.append({'z': z, 'p': p, 'probabilityBBeatsA': prob, 'expectedLossChoosingB': loss})
    tables = []
    for table in data.get('tables', []):
        observed = [[s for s, n in table], [n - s for s, n in table]]
        chi2, p, dof, _ = stats.chi2_contingency(observed, correction=False)
        tables.append({'statistic': chi2, 'pValue': p, 'degreesOfFreedom': dof})
    sizes = []
    for p1, p2, alpha, power in data.get('sizes', []):
        za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
        mean = (p1 + p2) / 2
        n = (za * math.sqrt(2 * mean * (1 - mean)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2
        sizes.append(math.ceil(n))
    print(json.dumps({'pairs': pairs, 'tables': tables, 'sizes': sizes}))


if __name__ == '__main__':
    main()
