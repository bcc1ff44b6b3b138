"""scipy.special.hyp2f1 reference. stdin: [[a, b, c, z], ...]; stdout: JSON list of ln 2F1."""
import json
import sys

import numpy as np
from scipy.special import hyp2f1

cases = np.asarray(json.load(sys.stdin), dtype=float)
values = hyp2f1(cases[:, 0], cases[:, 1], cases[:, 2], cases[:, 3])
print(json.dumps([float(np.log(v)) if v > 0 else None for v in values]))
