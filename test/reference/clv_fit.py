"""Reference maximum-likelihood fits for the CLV tests and benchmarks, written independently of
the TypeScript code: the same likelihoods (Fader, Hardie & Lee 2005 eq. 6 for BG/NBD; Fader &
Hardie 2005 note eq. 22 for Pareto/NBD; Fader & Hardie 2013 Gamma-Gamma note eq. 4), coded
from the papers with scipy.special, minimized with scipy's L-BFGS-B over log-parameters.

stdin JSON: {"model": "bgnbd"|"mbgnbd"|"paretonbd"|"gammagamma", "x": [...], "tx": [...], "T": [...],
             "m": [...] (gammagamma only), "start": [...] optional}
stdout (last line) JSON: {"params": [...], "ll": total log-likelihood, "ms": fit time, "nit": iterations}
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1


def bgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    first = betaln(a, b + x) - betaln(a, b) + gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + T)
    # second term only for x > 0; b + x - 1 > 0 there
    with np.errstate(divide="ignore", invalid="ignore"):
        second = betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - betaln(a, b) + gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + tx)
    second = np.where(x > 0, second, -np.inf)
    return np.logaddexp(first, second)


def mbgnbd_ll(params, x, tx, T):
    """Batislam et al. (2007): BG/NBD with a possible drop-out right after the first purchase."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    first = betaln(a, b + x + 1) + common - (r + x) * np.log(alpha + T)
    second = betaln(a + 1, b + x) + common - (r + x) * np.log(alpha + tx)
    return np.logaddexp(first, second)


def paretonbd_ll(params, x, tx, T):
    r, alpha, s, beta = params
    rsx = r + s + x
    if alpha >= beta:
        big, second_param = alpha, s + 1
    else:
        big, second_param = beta, r + x
    diff = abs(alpha - beta)
    term_tx = np.log(hyp2f1(rsx, second_param, rsx + 1, diff / (big + tx))) - rsx * np.log(big + tx)
    term_T = np.log(hyp2f1(rsx, second_param, rsx + 1, diff / (big + T))) - rsx * np.log(big + T)
    with np.errstate(divide="ignore"):
        log_a0 = term_tx + np.log1p(-np.exp(term_T - term_tx))
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    survive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died = np.log(s) - np.log(rsx) + log_a0
    return head + np.logaddexp(survive, died)


def gammagamma_ll(params, x, m):
    p, q, v = params
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m)
            + p * x * np.log(x) - (p * x + q) * np.log(v + m * x))


def fit(model, data, start=None):
    if model == "bgnbd":
        x, tx, T = (np.asarray(data[k], dtype=float) for k in ("x", "tx", "T"))
        ll = lambda theta: bgnbd_ll(theta, x, tx, T).sum()
        start = start or [1.0, float(np.mean(T)), 1.0, 1.0]
    elif model == "mbgnbd":
        x, tx, T = (np.asarray(data[k], dtype=float) for k in ("x", "tx", "T"))
        ll = lambda theta: mbgnbd_ll(theta, x, tx, T).sum()
        start = start or [1.0, float(np.mean(T)), 1.0, 1.0]
    elif model == "paretonbd":
        x, tx, T = (np.asarray(data[k], dtype=float) for k in ("x", "tx", "T"))
        ll = lambda theta: paretonbd_ll(theta, x, tx, T).sum()
        start = start or [1.0, float(np.mean(T)), 1.0, float(np.mean(T))]
    else:
        x, m = (np.asarray(data[k], dtype=float) for k in ("x", "m"))
        ll = lambda theta: gammagamma_ll(theta, x, m).sum()
        start = start or [1.0, 1.0, 1.0]
    n = len(x)
    objective = lambda u: -ll(np.exp(u)) / n
    begin = time.perf_counter()
    result = minimize(objective, np.log(start), method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 1e-15, "maxiter": 2000})
    ms = (time.perf_counter() - begin) * 1000
    params = np.exp(result.x)
    return {"params": params.tolist(), "ll": float(ll(params)), "ms": ms, "nit": int(result.nit)}


if __name__ == "__main__":
    data = json.load(sys.stdin)
    print(json.dumps(fit(data["model"], data, data.get("start"))))
