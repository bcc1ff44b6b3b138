"""Independent checks that the demo data carries the structure the analysis nodes model.

Reads the demo's Sheets-style JSON files (header row + rows) from the folder given as argv[1]
and prints one JSON object:
- bgNbd: maximum-likelihood BG/NBD fit (Fader, Hardie & Lee 2005, "Counting Your Customers
  the Easy Way", eq. 6) on the order log summarised the way lifetimes'
  summary_data_from_transaction_data does (days; frequency = distinct purchase days - 1).
- spendFrequencyCorrelation: Pearson correlation of frequency and mean repeat spend over
  repeat customers (Gamma-Gamma assumes none).
- logistic: logistic regression of won (1) vs lost (0) on closed leads, fitted by Newton's
  method, with standard errors from the inverse Fisher information.
numpy and scipy only; nothing from the package under test.
"""
import json
import sys
from datetime import date

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, logsumexp


def load(folder, name):
    with open(f"{folder}/{name}.json", encoding="utf-8") as handle:
        values = json.load(handle)
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def summarise(orders, end):
    days = {}
    for order in orders:
        days.setdefault(order["customerEmail"], set()).add(date.fromisoformat(order["date"]))
    frequency, recency, age = [], [], []
    for purchase_days in days.values():
        first, last = min(purchase_days), max(purchase_days)
        frequency.append(len(purchase_days) - 1)
        recency.append((last - first).days)
        age.append((end - first).days)
    return np.array(frequency, float), np.array(recency, float), np.array(age, float)


def bg_nbd_negative_log_likelihood(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) + common - (r + x) * np.log(alpha + T)
    second = np.where(
        x > 0,
        betaln(a + 1, np.maximum(b + x - 1, 1e-12)) - betaln(a, b) + common - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return -np.sum(logsumexp(np.vstack([first, second]), axis=0))


def fit_bg_nbd(x, t_x, T):
    best = None
    for start in ([0.0, 1.0, 0.0, 0.0], [1.0, 3.0, -1.0, 2.0], [0.5, 2.0, 0.5, 1.0]):
        result = minimize(bg_nbd_negative_log_likelihood, np.array(start), args=(x, t_x, T), method="Nelder-Mead",
                          options={"maxiter": 20000, "maxfev": 20000, "xatol": 1e-8, "fatol": 1e-10})
        if best is None or result.fun < best.fun:
            best = result
    r, alpha, a, b = np.exp(best.x)
    return {"r": r, "alpha": alpha, "a": a, "b": b, "meanRate": r / alpha, "meanDropout": a / (a + b),
            "logLikelihood": -best.fun, "converged": bool(best.success)}


def spend_frequency_correlation(orders):
    by_customer = {}
    for order in sorted(orders, key=lambda o: (o["date"], o["id"])):
        by_customer.setdefault(order["customerEmail"], []).append(order["amount"])
    frequency, spend = [], []
    for amounts in by_customer.values():
        repeat = amounts[1:]
        if repeat:
            frequency.append(len(repeat))
            spend.append(np.mean(repeat))
    return float(np.corrcoef(frequency, spend)[0, 1])


def fit_logistic(leads):
    closed = [lead for lead in leads if lead["outcome"] in ("won", "lost")]
    names = ["(Intercept)", "log1p(pageViews)", "inquiries", "emailOpens", "log(companySize)"]
    X = np.array([[1.0, np.log1p(l["pageViews"]), l["inquiries"], l["emailOpens"], np.log(l["companySize"])] for l in closed])
    y = np.array([1.0 if l["outcome"] == "won" else 0.0 for l in closed])
    beta = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-X @ beta))
        information = X.T @ (X * (p * (1 - p))[:, None])
        step = np.linalg.solve(information, X.T @ (y - p))
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    p = 1 / (1 + np.exp(-X @ beta))
    standard_errors = np.sqrt(np.diag(np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))))
    return {"rows": len(closed), "wonShare": float(y.mean()),
            "coefficients": {name: {"estimate": float(b), "z": float(b / se)} for name, b, se in zip(names, beta, standard_errors)}}


def main():
    folder = sys.argv[1]
    orders = load(folder, "Orders")
    leads = load(folder, "Leads")
    x, t_x, T = summarise(orders, date(2026, 10, 31))
    print(json.dumps({
        "customers": int(len(x)),
        "bgNbd": fit_bg_nbd(x, t_x, T),
        "spendFrequencyCorrelation": spend_frequency_correlation(orders),
        "logistic": fit_logistic(leads),
    }))


if __name__ == "__main__":
    main()
