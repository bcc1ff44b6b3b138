"""Mann-Whitney U reference for the Lead Scorer's AUC (ties counted half via midranks).

stdin JSON: list of {labels, probabilities}; stdout JSON: list of AUC = U / (n1 * n0),
U = scipy.stats.mannwhitneyu(positives, negatives).statistic.
"""
import json
import sys

from scipy import stats

out = []
for case in json.load(sys.stdin):
    pos = [p for p, y in zip(case["probabilities"], case["labels"]) if y == 1]
    neg = [p for p, y in zip(case["probabilities"], case["labels"]) if y == 0]
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided").statistic
    out.append(float(u) / (len(pos) * len(neg)))
print(json.dumps(out))
