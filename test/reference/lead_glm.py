"""Independent reference for the Lead Scorer's logistic regression (R glm(family = binomial)).

Maximizes the exact Bernoulli log-likelihood with scipy.optimize (trust-region with the exact
Hessian) to a tight tolerance, then takes standard errors from the inverse Fisher information
X'WX at the optimum, z = b / se, p = 2 * norm.sf(|z|), deviance = -2 log L, AIC = deviance + 2k.
An optional ridge penalty l2/2 * sum(b*^2) acts on the standardized numeric columns (mean 0,
population sd 1) and the 0/1 level columns, intercept excluded, as the TypeScript model defines it.

stdin JSON: {rows, target, numeric, categorical, l2?, weights?: {won, lost}}
stdout JSON: {names, estimate, stdError, z, pValue, deviance, nullDeviance, aic, gradientNorm}
"""
import json
import sys

import numpy as np
from scipy import optimize, stats


def sorted_levels(values):
    levels = sorted(set(values))
    try:
        return sorted(levels, key=float)
    except ValueError:
        return levels


def main():
    spec = json.load(sys.stdin)
    rows = spec["rows"]
    y = np.array([float(r[spec["target"]]) for r in rows])
    columns, names = [np.ones(len(rows))], ["(Intercept)"]
    means, sds = [], []
    for field in spec["numeric"]:
        x = np.array([float(r[field]) for r in rows])
        means.append(x.mean())
        sds.append(x.std())
        columns.append((x - x.mean()) / x.std())
        names.append(field)
    for field in spec.get("categorical", []):
        values = [str(r[field]) for r in rows]
        for level in sorted_levels(values)[1:]:
            columns.append(np.array([1.0 if v == level else 0.0 for v in values]))
            names.append(f"{field}={level}")
    X = np.column_stack(columns)
    n, p = X.shape
    weights = spec.get("weights")
    w = np.ones(n) if not weights else np.where(y == 1, weights["won"], weights["lost"])
    l2 = spec.get("l2", 0.0)
    penalty = np.full(p, l2)
    penalty[0] = 0.0

    def objective(b):
        eta = X @ b
        return -np.sum(w * (y * eta - np.logaddexp(0.0, eta))) + 0.5 * np.sum(penalty * b * b)

    def gradient(b):
        mu = 1.0 / (1.0 + np.exp(-(X @ b)))
        return -X.T @ (w * (y - mu)) + penalty * b

    def hessian(b):
        mu = 1.0 / (1.0 + np.exp(-(X @ b)))
        return X.T @ (X * (w * mu * (1 - mu))[:, None]) + np.diag(penalty)

    result = optimize.minimize(objective, np.zeros(p), jac=gradient, hess=hessian, method="trust-exact", options={"gtol": 1e-11, "maxiter": 1000})
    b = result.x
    covariance = np.linalg.inv(hessian(b))
    # Back to the original scale: b0 = b0* - sum(bj* m_j / s_j), bj = bj* / s_j.
    T = np.eye(p)
    for j, (m, s) in enumerate(zip(means, sds)):
        T[1 + j, 1 + j] = 1.0 / s
        T[0, 1 + j] = -m / s
    estimate = T @ b
    cov = T @ covariance @ T.T
    se = np.sqrt(np.diag(cov))
    z = estimate / se
    eta = X @ b
    deviance = -2.0 * np.sum(w * (y * eta - np.logaddexp(0.0, eta)))
    share = np.sum(w * y) / np.sum(w)
    null_deviance = -2.0 * np.sum(w * (y * np.log(share) + (1 - y) * np.log(1 - share)))
    print(json.dumps({
        "names": names,
        "estimate": estimate.tolist(),
        "stdError": se.tolist(),
        "z": z.tolist(),
        "pValue": (2 * stats.norm.sf(np.abs(z))).tolist(),
        "deviance": float(deviance),
        "nullDeviance": float(null_deviance),
        "aic": float(deviance + 2 * p),
        "gradientNorm": float(np.max(np.abs(gradient(b)))),
    }))


main()
