"""Reference values for nodes/shared/distributions.ts.

Prints one JSON object: for each function a list of cases {args, scipy, exact}, where `scipy`
is scipy.special / scipy.stats and `exact` is mpmath at 50 significant digits (rounded to a
double), so the tests can check both the published library and the mathematical truth.
Run: python3 test/reference/distributions_reference.py
"""
import json
import math

import mpmath as mp
from scipy import special, stats

mp.mp.dps = 50


def f(x):
    return float(x)


def betainc_exact(x, a, b):
    """I_x(a, b) at 50 digits by the positive series A&S 26.5.23, using the symmetry
    I_x(a, b) = 1 - I_(1-x)(b, a) above the mean so the series always converges quickly."""
    x, a, b = mp.mpf(x), mp.mpf(a), mp.mpf(b)
    if x > a / (a + b):
        return 1 - betainc_exact(1 - x, b, a)
    term = mp.mpf(1)
    total = mp.mpf(1)
    n = 0
    while True:
        term *= (a + b + n) * x / (a + 1 + n)
        total += term
        n += 1
        if term < total * mp.mpf(10) ** -45:
            break
    return mp.exp(a * mp.log(x) + b * mp.log(1 - x) - mp.log(mp.beta(a, b))) / a * total


def cases():
    out = {k: [] for k in [
        'logGamma', 'logBeta', 'normalCdf', 'normalSurvival', 'normalQuantile',
        'regularizedGammaP', 'regularizedGammaQ', 'chiSquareSurvival',
        'regularizedIncompleteBeta', 'studentTSurvival']}

    for x in [1e-300, 1e-12, 1e-5, 0.1, 0.5, 0.999, 1.0, 1.001, 1.5, 1.999, 2.0, 2.5, 3.7, 9.99, 10.0,
              10.5, 25.3, 100.0, 1234.5, 1e6, 1e10, 1e15, 1e100]:
        out['logGamma'].append({'args': [x], 'scipy': f(special.gammaln(x)), 'exact': f(mp.loggamma(x))})

    for a, b in [(1, 1), (0.5, 0.5), (2, 3), (1e-3, 5), (0.3, 12.5), (7, 30), (10, 10), (15.5, 200),
                 (1e3, 1e3), (1e6, 1e6), (1, 1e10), (3.5, 1e8), (1e5, 1e9), (200.25, 0.75), (1e-8, 1e-8)]:
        exact = mp.log(mp.beta(a, b))
        out['logBeta'].append({'args': [a, b], 'scipy': f(special.betaln(a, b)), 'exact': f(exact)})

    for x in [-38.0, -37.5, -30.0, -20.0, -10.0, -8.3, -5.0, -3.0, -2.0, -1.9999, -1.5, -1.0, -0.5,
              -1e-8, 0.0, 1e-8, 0.3, 1.0, 1.96, 2.0, 2.5, 4.0, 6.0, 8.0]:
        out['normalCdf'].append({'args': [x], 'scipy': f(special.ndtr(x)), 'exact': f(mp.ncdf(x))})
    for x in [-8.0, -3.0, -1.0, 0.0, 0.5, 1.0, 1.9999, 2.0, 2.0001, 3.0, 5.0, 10.0, 15.5, 20.0, 26.0,
              30.0, 35.0, 37.5, 38.4]:
        out['normalSurvival'].append({'args': [x], 'scipy': f(stats.norm.sf(x)),
                                      'exact': f(1 - mp.ncdf(x))})

    for p in [1e-300, 1e-200, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.025, 0.05, 0.2, 0.4999,
              0.5, 0.5001, 0.8, 0.95, 0.975, 0.97575, 0.999, 1 - 1e-10, 1 - 2 ** -52]:
        exact = mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1) if p > 1e-10 and p < 1 - 1e-12 else None
        if exact is None:
            # erfinv loses precision at the extremes: solve Φ(x) = p directly.
            target = mp.mpf(p)
            guess = special.ndtri(p)
            exact = mp.findroot(lambda t: mp.ncdf(t) - target, guess)
        out['normalQuantile'].append({'args': [p], 'scipy': f(special.ndtri(p)), 'exact': f(exact)})

    for a, x in [(0.5, 0.1), (0.5, 2.0), (1.0, 2.0), (1e-3, 1e-3), (2.5, 1.0), (2.5, 3.5), (3.0, 30.0),
                 (10.0, 5.0), (10.0, 10.0), (10.0, 11.0), (10.0, 40.0), (50.5, 49.0), (100.0, 80.0),
                 (100.0, 130.0), (1e3, 1e3), (1e4, 1e4 + 150), (1e5, 1e5 - 900), (1e6, 1e6 + 500),
                 (0.1, 50.0), (30.0, 0.5)]:
        P = mp.gammainc(a, 0, x, regularized=True)
        Q = mp.gammainc(a, x, mp.inf, regularized=True)
        out['regularizedGammaP'].append({'args': [a, x], 'scipy': f(special.gammainc(a, x)), 'exact': f(P)})
        out['regularizedGammaQ'].append({'args': [a, x], 'scipy': f(special.gammaincc(a, x)), 'exact': f(Q)})

    for x, df in [(0.001, 1), (3.841458820694124, 1), (10.0, 1), (100.0, 1), (5.991, 2), (7.8, 3),
                  (1.0, 5), (30.0, 10), (500.0, 20), (150.0, 120), (1200.0, 1000), (0.5, 0.5), (1e4, 9999)]:
        out['chiSquareSurvival'].append({'args': [x, df], 'scipy': f(stats.chi2.sf(x, df)),
                                         'exact': f(mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf,
                                                                regularized=True))})

    for x, a, b in [(0.5, 2, 3), (0.1, 0.5, 0.5), (0.9, 0.5, 0.5), (0.999, 2, 2), (1e-5, 1, 3), (0.3, 10, 10),
                    (0.5, 10, 10), (0.45, 100, 120), (0.55, 1e3, 1e3), (0.501, 1e5, 1e5), (0.2, 1e-3, 2),
                    (0.01, 20, 0.5), (0.99, 0.5, 20), (0.713, 1e6, 4e5), (0.05, 3, 200), (0.999999, 5e3, 1.5),
                    (0.3, 30, 5)]:
        exact = betainc_exact(x, a, b)
        out['regularizedIncompleteBeta'].append({'args': [x, a, b], 'scipy': f(special.betainc(a, b, x)),
                                                 'exact': f(exact)})

    def t_sf(t, df):
        # Integrate the t density directly (independent of the incomplete-beta route).
        t = mp.mpf(t)
        df = mp.mpf(df)
        c = mp.exp(mp.loggamma((df + 1) / 2) - mp.loggamma(df / 2)) / mp.sqrt(df * mp.pi)

        def pdf(u):
            return c * mp.power(1 + u * u / df, -(df + 1) / 2)

        upper = mp.quad(pdf, [abs(t), abs(t) + 1, abs(t) + 10, mp.inf])
        return upper if t >= 0 else 1 - upper

    for t, df in [(2.228138851986274, 10), (-2.228138851986274, 10), (0.5, 1), (100.0, 1), (1e6, 1),
                  (3.0, 2.5), (-0.1, 7), (1e-6, 30), (5.0, 30), (40.0, 30), (2.0, 1e3), (4.5, 1e5),
                  (1.0, 1e6), (12.0, 3.7), (-40.0, 5)]:
        out['studentTSurvival'].append({'args': [t, df], 'scipy': f(stats.t.sf(t, df)), 'exact': f(t_sf(t, df))})

    return out


if __name__ == '__main__':
    print(json.dumps(cases()))
