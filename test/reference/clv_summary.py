"""Independent RFM summary following lifetimes.utils.summary_data_from_transaction_data
(freq='D', freq_multiplier = days per unit): orders truncated to calendar days, orders after
the observation end dropped, same-day orders merged (amounts summed); frequency = distinct days
minus one, recency = last − first day, T = observation end − first day, monetary value = mean
of the repeat days' sums (0 without repeats).

stdin: {"orders": [[customer, "YYYY-MM-DD", amount], ...], "end": "YYYY-MM-DD", "unit_days": 7}
stdout: {customer: [frequency, recency, T, monetary_value], ...}
"""
import json
import sys
from collections import defaultdict
from datetime import date

data = json.load(sys.stdin)
end = date.fromisoformat(data["end"])
unit = data["unit_days"]
days = defaultdict(lambda: defaultdict(float))
for customer, day, amount in data["orders"]:
    d = date.fromisoformat(day)
    if d <= end:
        days[customer][d] += amount

out = {}
for customer, per_day in days.items():
    ordered = sorted(per_day)
    first, last = ordered[0], ordered[-1]
    repeats = [per_day[d] for d in ordered[1:]]
    out[customer] = [
        len(ordered) - 1,
        (last - first).days / unit,
        (end - first).days / unit,
        sum(repeats) / len(repeats) if repeats else 0.0,
    ]
print(json.dumps(out))
