/**
 * Funnel Analyzer benchmarks: event mode at 100k / 1M / 5M events (entities = events / 10,
 * 5 steps, 7-day window, strict order, first entry) to show linear growth, plus ISO-text
 * timestamps and records mode. The reference is a vectorized numpy implementation of the same
 * funnel (lexsort + one masked pass per step) that regenerates the same data from the same
 * mulberry32 seed, so no data crosses the process boundary; its counts are checked against ours.
 */
import { analyzeFunnel, type FunnelEvent, type FunnelRecord } from '../nodes/FunnelAnalyzer';
import { runPython, seededRandom, timeBest, type BenchCase } from './lib';

const STEPS = ['Visit', 'Signup', 'Quote', 'Negotiation', 'Won'];
const CUMULATIVE_WEIGHTS = [0.3, 0.55, 0.75, 0.9, 1.0];
const BASE = Date.UTC(2024, 0, 1);
const SPAN_MS = 90 * 86_400_000;
const WINDOW_MS = 7 * 86_400_000;
const DAY = 86_400_000;
const HALF_DAY = 43_200_000;
const SEED = 20241121;

function generateEvents(n: number, entities: number, isoText: boolean): FunnelEvent[] {
	const rand = seededRandom(SEED);
	const ids = Array.from({ length: entities }, (_, e) => `lead-${e}`);
	const events: FunnelEvent[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const entity = Math.floor(rand() * entities);
		const r = rand();
		let step = 0;
		while (r >= CUMULATIVE_WEIGHTS[step]) step++;
		// Each entity's events cluster around its own start day, later steps a little later, so
		// most entities walk some way down the funnel (with noise: ties, reversals, repeats).
		const t = BASE + Math.floor((((entity * 7919) % 1000) / 1000) * SPAN_MS) + step * HALF_DAY + Math.floor(rand() * 2 * DAY);
		events[i] = { entityId: ids[entity], step: STEPS[step], timestamp: isoText ? new Date(t).toISOString() : t };
	}
	return events;
}

// Same data in numpy: mulberry32's state is a counter, so the whole stream vectorizes.
const NUMPY_FUNNEL = `
import json, sys, time
import numpy as np
p = json.load(sys.stdin)
n, E, W = p['n'], p['entities'], p['windowMs']
M = np.uint64(0xFFFFFFFF)
def mulberry32(seed, count):
    a = (np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x6D2B79F5)) & M
    t = a
    t = ((t ^ (t >> np.uint64(15))) * (t | np.uint64(1))) & M
    t = (t ^ ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & M)) & M)) & M
    return ((t ^ (t >> np.uint64(14))) & M).astype(np.float64) / 4294967296.0
r = mulberry32(p['seed'], 3 * n).reshape(n, 3)
ent = np.floor(r[:, 0] * E).astype(np.int64)
step = np.searchsorted(np.array(p['cumulative']), r[:, 1], side='right').astype(np.int64)
t = p['base'] + np.floor((((ent * 7919) % 1000) / 1000) * p['span']) + step * 43200000 + np.floor(r[:, 2] * 2 * 86400000)
start = time.perf_counter()
order = np.lexsort((np.arange(n), step, t, ent))
ent, step, t = ent[order], step[order], t[order]
reached = np.full(E, np.nan)
first = step == 0
_, idx = np.unique(ent[first], return_index=True)
reached[ent[first][idx]] = t[first][idx]
limit = reached + W
counts = [int(np.count_nonzero(~np.isnan(reached)))]
for k in range(1, len(p['cumulative'])):
    prev = reached
    m = (step == k) & (t >= prev[ent]) & (t <= limit[ent])
    _, idx = np.unique(ent[m], return_index=True)
    reached = np.full(E, np.nan)
    reached[ent[m][idx]] = t[m][idx]
    counts.append(int(np.count_nonzero(~np.isnan(reached))))
ms = (time.perf_counter() - start) * 1000
print(json.dumps({'ms': ms, 'counts': counts}))
`;

function eventCase(n: number, isoText: boolean, repeats: number): BenchCase {
	const entities = n / 10;
	return {
		operation: `Funnel Analyzer: events (5 steps, 7-day window${isoText ? ', ISO text timestamps' : ''})`,
		size: `${n.toLocaleString('en-US')} events, ${entities.toLocaleString('en-US')} entities`,
		run: async () => {
			const events = generateEvents(n, entities, isoText);
			const options = { stages: STEPS, conversionWindowMs: WINDOW_MS, order: 'strict' as const, entry: 'first' as const };
			// CPU time next to wall time: on a busy machine the wall clock mostly measures the neighbours.
			let cpuMs = Infinity;
			const { ms, result } = await timeBest(() => {
				const before = process.cpuUsage();
				const r = analyzeFunnel({ events }, options);
				const used = process.cpuUsage(before);
				cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
				return r;
			}, repeats);
			const ours = result.steps.map((s) => s.entered);
			const reference = runPython<{ ms: number; counts: number[] }>(NUMPY_FUNNEL, {
				n,
				entities,
				windowMs: WINDOW_MS,
				seed: SEED,
				cumulative: CUMULATIVE_WEIGHTS,
				base: BASE,
				span: SPAN_MS,
			});
			const same = reference.counts.every((c, i) => c === ours[i]);
			return {
				timeMs: ms,
				units: n,
				unitName: 'events',
				referenceMs: reference.ms,
				referenceName: 'numpy lexsort + masked passes',
				note: `best CPU ${Math.round(cpuMs)} ms; entered ${ours.join(' > ')}; numpy counts ${same ? 'match' : `DIFFER (${reference.counts.join(', ')})`}`,
			};
		},
	};
}

function recordsCase(n: number): BenchCase {
	return {
		operation: 'Funnel Analyzer: records (5 stages, entry dates, pipeline, 3 segments)',
		size: `${n.toLocaleString('en-US')} records`,
		run: async () => {
			const rand = seededRandom(SEED);
			const records: FunnelRecord[] = Array.from({ length: n }, () => {
				const stage = Math.floor(rand() * STEPS.length);
				const created = BASE + Math.floor(rand() * SPAN_MS);
				const stageDates: Record<string, unknown> = {};
				for (let k = 0; k <= stage; k++) stageDates[STEPS[k]] = new Date(created + k * 3 * 86_400_000).toISOString().slice(0, 10);
				const closed = stage === STEPS.length - 1 || rand() < 0.2;
				return {
					stage: STEPS[stage],
					status: stage === STEPS.length - 1 ? 'won' : closed ? 'lost' : 'open',
					amount: Math.round(rand() * 5000),
					createdAt: new Date(created).toISOString().slice(0, 10),
					closedAt: closed ? new Date(created + (stage + 1) * 3 * 86_400_000).toISOString().slice(0, 10) : '',
					stageDates,
					segment: ['ads', 'referral', 'web'][Math.floor(rand() * 3)],
				};
			});
			const { ms, result } = await timeBest(() => analyzeFunnel({ records }, { stages: STEPS, segmentField: 'source' }), 3);
			return {
				timeMs: ms,
				units: n,
				unitName: 'records',
				note: `no reference for this row; win rate ${result.pipeline?.winRate?.toFixed(3)}`,
			};
		},
	};
}

/** The whole node inside n8n-core's WorkflowExecute (in-process harness): glue cost included. */
function nodeCase(n: number): BenchCase {
	return {
		operation: 'Funnel Analyzer node in n8n-core (records, in-process)',
		size: `${n.toLocaleString('en-US')} items`,
		run: async () => {
			// n8n-core writes to N8N_USER_FOLDER on import: point it at a temp folder first.
			const { mkdtempSync } = await import('node:fs');
			const { tmpdir } = await import('node:os');
			const { join } = await import('node:path');
			process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'solo-sales-bench-'));
			const { runNode } = await import('../test/harness/runWorkflow');
			const rand = seededRandom(SEED);
			const items = Array.from({ length: n }, (_, i) => ({
				id: `deal-${i}`,
				stage: ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won', 'Lost'][Math.floor(rand() * 7)],
				amount: Math.round(rand() * 5000),
				source: ['ads', 'referral', 'web'][Math.floor(rand() * 3)],
			}));
			const { ms, result } = await timeBest(
				() => runNode({ type: 'funnelAnalyzer', parameters: { operation: 'records', output: 'summary', options: { segmentField: 'source' } }, items }),
				3,
			);
			if (result.error) throw new Error(result.error.message);
			return {
				timeMs: ms,
				units: n,
				unitName: 'items',
				note: 'whole workflow run (Manual Trigger -> fixed items -> node); no reference for this row',
			};
		},
	};
}

export const cases: BenchCase[] = [
	eventCase(100_000, false, 3),
	eventCase(1_000_000, false, 3),
	eventCase(5_000_000, false, 2),
	eventCase(1_000_000, true, 3),
	recordsCase(100_000),
	nodeCase(100_000),
];
