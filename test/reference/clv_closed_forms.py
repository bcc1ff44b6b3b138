"""Numerical-integration check of the purchase models' closed forms, written from the
individual-level story of each model (not from the closed forms). Integrals over the purchase
rate lam ~ Gamma(r, rate alpha) use the elementary gamma integral
    G(k, c) = E[lam^k e^{-lam c}] = Gamma(r+k) alpha^r / (Gamma(r) (alpha+c)^(r+k));
the remaining integral (over the dropout probability p ~ Beta(a, b), the dropout rate
mu ~ Gamma(s, rate beta), or the death time tau) is done numerically with scipy.integrate.quad
(QAWS weight for the Beta endpoints), so no 2F1 and no closed form of the papers is used.

BG/NBD (FHL 2005 sec. 2): alive part of the likelihood (1-p)^x lam^x e^{-lam T}, dead part
  p (1-p)^(x-1) lam^x e^{-lam t_x} (x > 0); E[purchases in t | alive, lam, p] = (1 - e^{-lam p t})/p.
MBG/NBD: may also leave right after the first purchase: alive (1-p)^(x+1) lam^x e^{-lam T},
  dead p (1-p)^x lam^x e^{-lam t_x}; a new customer survives time 0 with probability 1-p.
Pareto/NBD: alive lam^x e^{-(lam+mu)T}; dead = integral over death time tau in (t_x, T) of
  lam^x e^{-lam tau} mu e^{-mu tau}; E[purchases in t | alive] = lam/mu (1 - e^{-mu t}).

stdin: {"model", "params", "customers": [[x, tx, T, t], ...], "unconditional": [t, ...], "pmf": [[t, n], ...]}
stdout: {"pAlive": [...], "conditional": [...], "unconditional": [...], "pmf": [...]}
"""
import json
import math
import sys

import numpy as np
from scipy import integrate
from scipy.special import betaln, gammaln

data = json.load(sys.stdin)
model = data["model"]
r, alpha = data["params"][0], data["params"][1]
EPS = dict(epsabs=0, epsrel=1e-12, limit=500)


def G(k, c):
    """E[lam^k e^{-lam c}] for lam ~ Gamma(r, alpha)."""
    return math.exp(gammaln(r + k) - gammaln(r) + r * math.log(alpha) - (r + k) * math.log(alpha + c))


def shrink(k, c, d):
    """(G(k, c) - G(k, c + d)) / d, stable for small d (limit (r+k) G(k, c)/(alpha+c) at d = 0)."""
    if d == 0:
        return (r + k) * G(k, c) / (alpha + c)
    return G(k, c) * -math.expm1(-(r + k) * math.log1p(d / (alpha + c))) / d


def one_minus_exp_over(mu, t):
    """(1 - e^{-mu t}) / mu, = t at mu = 0."""
    return t if mu == 0 else -math.expm1(-mu * t) / mu


def beta_expectation(f, a, b):
    """E[f(p)] for p ~ Beta(a, b), QAWS handles p^(a-1) (1-p)^(b-1) exactly."""
    value, _ = integrate.quad(f, 0, 1, weight="alg", wvar=(a - 1, b - 1), **EPS)
    return value / math.exp(betaln(a, b))


def gamma_expectation(f, s, beta):
    """E[f(mu)] for mu ~ Gamma(s, rate beta)."""
    log_norm = s * math.log(beta) - gammaln(s)
    head, _ = integrate.quad(lambda mu: f(mu) * math.exp(log_norm - beta * mu), 0, 1, weight="alg", wvar=(s - 1, 0), **EPS)
    tail, _ = integrate.quad(lambda mu: f(mu) * math.exp(log_norm + (s - 1) * math.log(mu) - beta * mu), 1, np.inf, **EPS)
    return head + tail


out = {"pAlive": [], "conditional": [], "unconditional": [], "pmf": []}
if model in ("bgnbd", "mbgnbd"):
    a, b = data["params"][2], data["params"][3]
    extra = 1 if model == "mbgnbd" else 0
    for x, tx, T, t in data.get("customers", []):
        alive = beta_expectation(lambda p: (1 - p) ** (x + extra), a, b) * G(x, T)
        dead = 0.0 if x == 0 and extra == 0 else beta_expectation(lambda p: p * (1 - p) ** (x - 1 + extra), a, b) * G(x, tx)
        # E[(1-p)^(x+extra) lam^x e^{-lam T} (1 - e^{-lam p t})/p]
        future = beta_expectation(lambda p: (1 - p) ** (x + extra) * t * shrink(x, T, p * t), a, b)
        out["pAlive"].append(alive / (alive + dead))
        out["conditional"].append(future / (alive + dead))
    for t in data.get("unconditional", []):
        out["unconditional"].append(beta_expectation(lambda p: (1 - p) ** extra * t * shrink(0, 0, p * t), a, b))
    for t, n in data.get("pmf", []):
        # P(X(t)=n | lam, p) = (1-p)^n Pois(n; lam t) + [n>0] p (1-p)^(n-1) (1 - sum_{j<n} Pois(j; lam t))
        pois = lambda j: math.exp(j * math.log(t) - gammaln(j + 1)) * G(j, t)
        stay = beta_expectation(lambda p: (1 - p) ** n, a, b) * pois(n)
        leave = 0.0
        if n > 0:
            leave = beta_expectation(lambda p: p * (1 - p) ** (n - 1), a, b) * (1 - sum(pois(j) for j in range(n)))
        out["pmf"].append(stay + leave)
else:
    s, beta = data["params"][2], data["params"][3]
    mu_term = lambda k, c: math.exp(gammaln(s + k) - gammaln(s) + s * math.log(beta) - (s + k) * math.log(beta + c))
    for x, tx, T, t in data.get("customers", []):
        alive = G(x, T) * mu_term(0, T)
        dead, _ = integrate.quad(lambda tau: G(x, tau) * mu_term(1, tau), tx, T, **EPS)
        # E[lam^(x+1) e^{-lam T} e^{-mu T} (1 - e^{-mu t}) / mu]
        future = G(x + 1, T) * gamma_expectation(lambda mu: math.exp(-mu * T) * one_minus_exp_over(mu, t), s, beta)
        out["pAlive"].append(alive / (alive + dead))
        out["conditional"].append(future / (alive + dead))
    for t in data.get("unconditional", []):
        out["unconditional"].append(r / alpha * gamma_expectation(lambda mu: one_minus_exp_over(mu, t), s, beta))
print(json.dumps(out))
