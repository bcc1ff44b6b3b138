"""numpy.linalg reference for nodes/shared/linalg.ts (spawned by test/unit/shared/linalg.test.ts).

stdin: JSON list of cases {op, n, A (row-major list), b?, m?}; stdout: JSON list of results.
"""
import json
import sys

import numpy as np


def run(case):
    op = case["op"]
    n = case["n"]
    if op == "rank":
        m = case["m"]
        A = np.array(case["A"], dtype=float).reshape(m, n)
        return {"rank": int(np.linalg.matrix_rank(A))}
    A = np.array(case["A"], dtype=float).reshape(n, n)
    if op == "cholesky":
        try:
            return {"L": np.linalg.cholesky(A).ravel().tolist()}
        except np.linalg.LinAlgError:
            return {"L": None}
    if op == "choleskySolve":
        return {"x": np.linalg.solve(A, np.array(case["b"])).tolist()}
    if op == "inverse":
        return {"inverse": np.linalg.inv(A).ravel().tolist()}
    if op == "solve":
        cond = float(np.linalg.cond(A))
        try:
            x = np.linalg.solve(A, np.array(case["b"]))
        except np.linalg.LinAlgError:  # exactly singular
            return {"x": None, "cond": None}
        if not np.all(np.isfinite(x)):  # singular in floating point
            return {"x": None, "cond": None}
        return {"x": x.tolist(), "cond": cond if np.isfinite(cond) else None}
    if op == "eig":
        values = np.linalg.eigvalsh(A)
        return {"values": values.tolist(), "cond": float(np.linalg.cond(A))}
    raise ValueError(op)


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
