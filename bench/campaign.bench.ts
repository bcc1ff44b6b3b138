/**
 * Campaign Evaluator benchmarks: Markov attribution (100,000 path items over 20 channels,
 * parsing included), all five rule-based models on 1,000,000 touches (grouping, sorting and
 * journey building included), the Bayesian A/B comparison on its exact and integration paths,
 * and campaign evaluation on 10,000 campaigns.
 * The Markov reference is numpy: the same journeys (channel indices) are counted into a
 * transition matrix with np.add.at and the 21 absorbing-chain systems solved with
 * numpy.linalg.solve; its removal effects are checked against ours.
 * The rule-based reference is numpy on the same touches: lexsort by customer and time, then
 * first/last/linear credit with vectorized segment operations.
 */
import { attribute, compareVariants, evaluateCampaigns, journeysFromPaths, journeysFromTouches } from '../nodes/CampaignEvaluator';
import { runPython, seededRandom, timeBest, type BenchCase } from './lib';

const CHANNELS = Array.from({ length: 20 }, (_, i) => `channel ${String(i + 1).padStart(2, '0')}`);
const DAY = 86_400_000;

/** 100,000 path items (ChannelAttribution format) over 20 channels, lengths 1-8. */
function generatePaths(n: number): { rows: Array<Record<string, unknown>>; indices: number[][]; conversions: number[]; nulls: number[] } {
	const random = seededRandom(606);
	const rows: Array<Record<string, unknown>> = [];
	const indices: number[][] = [];
	const conversions: number[] = [];
	const nulls: number[] = [];
	for (let i = 0; i < n; i++) {
		const length = 1 + Math.floor(random() * 8);
		const path = Array.from({ length }, () => Math.floor(random() ** 1.5 * CHANNELS.length));
		const converted = random() < 0.05 + 0.01 * length ? 1 : 0;
		rows.push({ path: path.map((c) => CHANNELS[c]).join(' > '), conversions: converted, nonConversions: 1 - converted, value: converted * 100 });
		indices.push(path);
		conversions.push(converted);
		nulls.push(1 - converted);
	}
	return { rows, indices, conversions, nulls };
}

const NUMPY_MARKOV = `
import json, sys, time
import numpy as np
p = json.load(sys.stdin)
n = p['channels']
paths = p['paths']
lengths = np.array([len(x) for x in paths])
flat = np.fromiter((c + 1 for x in paths for c in x), dtype=np.int64, count=int(lengths.sum()))
conv = np.array(p['conversions'], dtype=np.float64)
nul = np.array(p['nulls'], dtype=np.float64)
start = time.perf_counter()
ends = np.cumsum(lengths)
starts = ends - lengths
weight = np.repeat(conv + nul, lengths)
prev = np.empty_like(flat)
prev[1:] = flat[:-1]
prev[starts] = 0
counts = np.zeros((n + 1, n + 3))
np.add.at(counts, (prev, flat), weight)
last = flat[ends - 1]
np.add.at(counts, (last, n + 1), conv)
np.add.at(counts, (last, n + 2), nul)
totals = counts.sum(axis=1, keepdims=True)
probs = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
Q = probs[:, :n + 1]
r = probs[:, n + 1]
A = np.eye(n + 1) - Q
base = np.linalg.solve(A, r)[0]
effects = []
for k in range(1, n + 1):
    Ak = A.copy(); Ak[k, :] = 0; Ak[k, k] = 1
    rk = r.copy(); rk[k] = 0
    effects.append(1 - np.linalg.solve(Ak, rk)[0] / base)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({'ms': ms, 'effects': effects}))
`;

function markovCase(): BenchCase {
	const n = 100_000;
	return {
		operation: 'Campaign Evaluator: attribute, Markov removal effects (exact solve)',
		size: `${n.toLocaleString('en-US')} journeys, 20 channels`,
		run: async () => {
			const data = generatePaths(n);
			const { ms, result } = await timeBest(() => attribute(journeysFromPaths(data.rows), { models: ['markov'], includeRemovalEffects: true }), 3);
			const reference = runPython<{ ms: number; effects: number[] }>(NUMPY_MARKOV, { channels: CHANNELS.length, paths: data.indices, conversions: data.conversions, nulls: data.nulls });
			const ours = CHANNELS.map((c) => result.removalEffects![c] ?? 0);
			const worst = Math.max(...ours.map((e, i) => Math.abs(e - reference.effects[i])));
			return {
				timeMs: ms,
				units: n,
				unitName: 'journeys',
				referenceMs: reference.ms,
				referenceName: 'numpy np.add.at + linalg.solve',
				note: `parsing included; max |removal effect - numpy| = ${worst.toExponential(1)}`,
			};
		},
	};
}

/** 1,000,000 touches: 250,000 customers, numeric timestamps, ~30% of customers convert. */
function generateTouches(n: number): Array<Record<string, unknown>> {
	const random = seededRandom(707);
	const customers = n / 4;
	const touches: Array<Record<string, unknown>> = new Array(n);
	const base = Date.UTC(2024, 0, 1);
	for (let i = 0; i < n; i++) {
		const customer = Math.floor(random() * customers);
		const converted = random() < 0.08;
		touches[i] = {
			customerId: `cust-${customer}`,
			channel: CHANNELS[Math.floor(random() * CHANNELS.length)],
			timestamp: base + Math.floor(random() * 60 * DAY),
			converted,
			value: converted ? 100 : 0,
		};
	}
	return touches;
}

const NUMPY_RULES = `
import json, sys, time
import numpy as np
p = json.load(sys.stdin)
cust = np.array(p['customer'], dtype=np.int64)
chan = np.array(p['channel'], dtype=np.int64)
t = np.array(p['time'], dtype=np.float64)
conv = np.array(p['converted'], dtype=bool)
n = p['channels']
start = time.perf_counter()
order = np.lexsort((np.arange(len(t)), t, cust))
cust, chan, t, conv = cust[order], chan[order], t[order], conv[order]
# journey id: a new journey starts at a new customer or right after a conversion
new = np.ones(len(t), dtype=bool)
new[1:] = (cust[1:] != cust[:-1]) | conv[:-1]
jid = np.cumsum(new) - 1
ends = np.flatnonzero(np.r_[new[1:], True])
starts = np.flatnonzero(new)
converting = conv[ends]
length = ends - starts + 1
first = np.bincount(chan[starts[converting]], minlength=n)
last = np.bincount(chan[ends[converting]], minlength=n)
w = (1.0 / length)[jid] * converting[jid]
linear = np.bincount(chan, weights=w, minlength=n)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({'ms': ms, 'first': first.tolist(), 'last': last.tolist(), 'linear': linear.tolist()}))
`;

function rulesCase(): BenchCase {
	const n = 1_000_000;
	return {
		operation: 'Campaign Evaluator: attribute, 5 rule-based models from touches',
		size: `${n.toLocaleString('en-US')} touches, 250,000 customers, 20 channels`,
		run: async () => {
			const touches = generateTouches(n);
			const models = ['firstTouch', 'lastTouch', 'linear', 'positionBased', 'timeDecay'] as const;
			const { ms, result } = await timeBest(() => attribute(journeysFromTouches(touches).journeys, { models: [...models] }), 3);
			const index = new Map(CHANNELS.map((c, i) => [c, i]));
			const reference = runPython<{ ms: number; first: number[]; last: number[]; linear: number[] }>(NUMPY_RULES, {
				customer: touches.map((x) => Number(String(x.customerId).slice(5))),
				channel: touches.map((x) => index.get(x.channel as string)),
				time: touches.map((x) => x.timestamp),
				converted: touches.map((x) => (x.converted ? 1 : 0)),
				channels: CHANNELS.length,
			});
			const worst = Math.max(
				...CHANNELS.map((c, i) =>
					Math.max(
						Math.abs(result.firstTouch![c].conversions - reference.first[i]),
						Math.abs(result.lastTouch![c].conversions - reference.last[i]),
						Math.abs(result.linear![c].conversions - reference.linear[i]),
					),
				),
			);
			return {
				timeMs: ms,
				units: n,
				unitName: 'touches',
				referenceMs: reference.ms,
				referenceName: 'numpy lexsort + bincount (first/last/linear only)',
				note: `grouping and sorting included; max |credit - numpy| = ${worst.toExponential(1)}`,
			};
		},
	};
}

function variantsCase(trials: number, label: string): BenchCase {
	return {
		operation: `Campaign Evaluator: compare variants (${label})`,
		size: `2 variants, ${trials.toLocaleString('en-US')} visitors each`,
		run: async () => {
			const variants = [
				{ name: 'A', trials, successes: Math.round(trials * 0.2) },
				// A lift the test can just about see at this size, so P(B > A) is not simply 1.
				{ name: 'B', trials, successes: Math.round(trials * (0.2 + 0.6 / Math.sqrt(trials))) },
			];
			// Jeffreys prior (0.5) has no whole-number parameter -> integration; Beta(1,1) -> exact sum.
			const prior = label.startsWith('integration') ? { priorAlpha: 0.5, priorBeta: 0.5 } : {};
			const { ms, result } = await timeBest(() => compareVariants(variants, prior), 5);
			return { timeMs: ms, units: 1, unitName: 'tests', note: `${result.comparisons[0].probabilityMethod}, P(B>A) = ${result.comparisons[0].probabilityToBeatControl.toFixed(5)}` };
		},
	};
}

function campaignsCase(): BenchCase {
	const n = 10_000;
	return {
		operation: 'Campaign Evaluator: evaluate campaigns (+ reallocation)',
		size: `${n.toLocaleString('en-US')} campaigns`,
		run: async () => {
			const random = seededRandom(808);
			const rows = Array.from({ length: n }, (_, i) => ({
				campaign: `Campaign ${i}`,
				spend: Math.round(100 + random() * 5000),
				impressions: Math.round(1000 + random() * 100000),
				clicks: Math.round(random() * 1000),
				leads: Math.round(random() * 100),
				customers: Math.round(random() * 20),
				revenue: Math.round(random() * 10000),
			}));
			const { ms } = await timeBest(() => evaluateCampaigns(rows, {}, { minimumBudget: 50 }), 3);
			return { timeMs: ms, units: n, unitName: 'campaigns' };
		},
	};
}

export const cases: BenchCase[] = [
	markovCase(),
	rulesCase(),
	variantsCase(1000, 'exact sum, ~200 terms'),
	variantsCase(200_000, 'exact sum, ~40,000 terms'),
	variantsCase(1_000_000, 'integration, Jeffreys prior'),
	campaignsCase(),
];
