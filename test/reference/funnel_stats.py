"""scipy reference for the Funnel Analyzer's segment tests and time percentiles.

stdin: {"steps": [[{"segment": str, "entered": int, "converted": int}, ...], ...],
        "baseline": str, "samples": [[float, ...], ...]}
For each step: segments with an expected count below 5 (n*p or n*(1-p), p = pooled rate of all
segments) are flagged; the rest get scipy.stats.chi2_contingency(correction=False) (no Yates
correction) and a pooled two-proportion z-test against the baseline (two-sided, norm.sf).
samples: numpy median / mean / percentile 90 (linear interpolation, numpy's default).
"""
import json
import sys

import numpy as np
from scipy import stats

data = json.load(sys.stdin)
out_steps = []
for rows in data['steps']:
    active = [r for r in rows if r['entered'] > 0]
    total = sum(r['entered'] for r in active)
    pooled = sum(r['converted'] for r in active) / total if total else 0.0
    small = [r['segment'] for r in active if r['entered'] * pooled < 5 or r['entered'] * (1 - pooled) < 5]
    tested = [r for r in active if r['segment'] not in small]
    chi = None
    table = np.array([[r['converted'], r['entered'] - r['converted']] for r in tested], dtype=float)
    if len(tested) >= 2 and table[:, 0].sum() > 0 and table[:, 1].sum() > 0:
        res = stats.chi2_contingency(table, correction=False)
        chi = {'chiSquare': float(res.statistic), 'pValue': float(res.pvalue), 'dof': int(res.dof)}
    z_tests = {}
    base = next((r for r in tested if r['segment'] == data['baseline']), None)
    for r in tested:
        if base is None or r['segment'] == base['segment']:
            continue
        x1, n1, x0, n0 = r['converted'], r['entered'], base['converted'], base['entered']
        p = (x1 + x0) / (n1 + n0)
        if not (0 < p < 1):
            continue
        z = (x1 / n1 - x0 / n0) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
        z_tests[r['segment']] = {'z': float(z), 'pValue': float(2 * stats.norm.sf(abs(z)))}
    out_steps.append({'small': sorted(small), 'tested': sorted(r['segment'] for r in tested), 'chi': chi, 'z': z_tests})

samples = [
    {'median': float(np.median(s)), 'mean': float(np.mean(s)), 'p90': float(np.percentile(s, 90))} for s in data.get('samples', [])
]
print(json.dumps({'steps': out_steps, 'samples': samples}))
