import fc from 'fast-check';
import { analyzeFunnel } from '../../../nodes/FunnelAnalyzer';
import { tallyEvents } from '../../../nodes/FunnelAnalyzer/events';
import { InputError } from '../../../nodes/shared/errors';
import type { FunnelEvent, FunnelOptions } from '../../../nodes/FunnelAnalyzer/types';

const STEPS = ['A', 'B', 'C', 'D'];
const BASE = Date.UTC(2024, 0, 1);

interface Ev {
	row: number;
	entity: string;
	step: string;
	t: number;
	source: string;
}

interface Expected {
	entered: number[];
	converted: number[];
	times: number[][];
	excluded: number;
	bySegment: Map<string, { entered: number[]; converted: number[] }>;
}

/**
 * Brute-force reference written from the rules, not from the implementation: every chain of
 * events is enumerated (no sorting, no greedy matching), and each step's reach time is the
 * minimum over all chains that reach it.
 */
function bruteForce(events: Ev[], steps: string[], opts: Required<Pick<FunnelOptions, 'order' | 'entry'>> & { window: number; exclusions: string[] }): Expected {
	const n = steps.length;
	const out: Expected = {
		entered: Array(n).fill(0),
		converted: Array(n).fill(0),
		times: steps.map(() => []),
		excluded: 0,
		bySegment: new Map(),
	};
	const entities = [...new Set(events.map((e) => e.entity))];
	for (const entity of entities) {
		const evs = events.filter((e) => e.entity === entity);
		let previousEnd = -Infinity;
		for (;;) {
			const candidates = evs.filter((e) => e.step === steps[0] && e.t > previousEnd);
			if (candidates.length === 0) break;
			let anchor = candidates[0];
			for (const c of candidates) if (c.t < anchor.t || (c.t === anchor.t && c.row < anchor.row)) anchor = c;
			const t0 = anchor.t;
			const limit = t0 + opts.window;
			const inWindow = (e: Ev) => e.t >= t0 && e.t <= limit;
			const reach: number[] = Array(n).fill(Infinity);
			reach[0] = t0;
			if (opts.order === 'strict') {
				const dfs = (k: number, previous: number) => {
					if (k >= n) return;
					for (const e of evs) {
						if (e.step === steps[k] && inWindow(e) && e.t >= previous) {
							reach[k] = Math.min(reach[k], e.t);
							dfs(k + 1, e.t);
						}
					}
				};
				dfs(1, t0);
			} else {
				for (let k = 1; k < n; k++) {
					const seen = evs.filter((e) => e.step === steps[k] && inWindow(e)).map((e) => e.t);
					if (seen.length === 0 || reach[k - 1] === Infinity) break;
					reach[k] = Math.max(reach[k - 1], Math.min(...seen));
				}
			}
			let depth = 0;
			while (depth < n && reach[depth] !== Infinity) depth++;
			const converted = depth === n;
			const end = converted ? reach[n - 1] : limit;
			const excluded = evs.some((e) => opts.exclusions.includes(e.step) && e.t > t0 && (converted ? e.t < end : e.t <= end));
			if (excluded) out.excluded++;
			else {
				const source = anchor.source;
				if (!out.bySegment.has(source)) out.bySegment.set(source, { entered: Array(n).fill(0), converted: Array(n).fill(0) });
				const seg = out.bySegment.get(source) as { entered: number[]; converted: number[] };
				for (let k = 0; k < depth; k++) {
					out.entered[k]++;
					seg.entered[k]++;
					if (k + 1 < depth) {
						out.converted[k]++;
						seg.converted[k]++;
						out.times[k].push(reach[k + 1] - reach[k]);
					}
				}
			}
			if (opts.entry === 'first' || end === Infinity) break;
			previousEnd = end;
		}
	}
	return out;
}

const eventArb = fc.record({
	entity: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5'),
	step: fc.constantFrom('A', 'A', 'B', 'B', 'C', 'D', 'X', 'Z'),
	t: fc.integer({ min: 0, max: 20 }),
	source: fc.constantFrom('ads', 'referral'),
});

const optionsArb = fc.record({
	order: fc.constantFrom<'strict' | 'any'>('strict', 'any'),
	entry: fc.constantFrom<'first' | 'reentry'>('first', 'reentry'),
	window: fc.constantFrom(0, 1, 3, 5, 8, Infinity),
	exclusions: fc.constantFrom<string[]>([], ['X']),
	timestamps: fc.constantFrom('epochMs', 'iso'),
});

function toInput(evs: Ev[], timestamps: string): FunnelEvent[] {
	return evs.map((e) => ({
		entityId: e.entity,
		step: e.step,
		// Time unit = one minute; ISO texts exercise the parser on the same instants.
		timestamp: timestamps === 'iso' ? new Date(BASE + e.t * 60_000).toISOString() : BASE + e.t * 60_000,
		properties: { source: e.source },
	}));
}

/** Fisher-Yates with a small LCG, so the permutation is reproducible from the seed. */
function shuffle<T>(items: T[], seed: number): T[] {
	const out = [...items];
	let state = seed >>> 0;
	for (let i = out.length - 1; i > 0; i--) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		const j = state % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

describe('event mode against a brute-force reference', () => {
	it('matches on random event logs (ties, out-of-order input, windows, exclusions, re-entry, segments)', () => {
		fc.assert(
			fc.property(fc.array(eventArb, { maxLength: 16 }), optionsArb, (raw, o) => {
				const evs: Ev[] = raw.map((e, row) => ({ ...e, row, t: e.t }));
				if (evs.length === 0) return;
				const expected = bruteForce(evs, STEPS, { order: o.order, entry: o.entry, window: o.window, exclusions: o.exclusions });
				const options: FunnelOptions = {
					stages: STEPS,
					order: o.order,
					entry: o.entry,
					conversionWindowMs: o.window === Infinity ? undefined : o.window * 60_000,
					exclusionSteps: o.exclusions,
					segmentField: 'source',
				};
				const actual = tallyEvents(toInput(evs, o.timestamps), options);
				expect(actual.overall.steps.map((s) => s.entered)).toEqual(expected.entered);
				expect(actual.overall.steps.slice(0, -1).map((s) => s.converted)).toEqual(expected.converted.slice(0, -1));
				expect(actual.overall.steps.map((s) => [...s.timesToNext].sort((a, b) => a - b))).toEqual(
					expected.times.map((t) => t.map((m) => m * 60_000).sort((a, b) => a - b)),
				);
				const segments = actual.bySegment as Map<string, { steps: Array<{ entered: number; converted: number }> }>;
				expect([...segments.keys()].sort()).toEqual([...expected.bySegment.keys()].sort());
				for (const [segment, tally] of expected.bySegment) {
					const got = segments.get(segment) as { steps: Array<{ entered: number; converted: number }> };
					expect(got.steps.map((s) => s.entered)).toEqual(tally.entered);
				}
				const dropped = actual.warnings.find((w) => w.includes('exclusion'));
				expect(dropped ? Number(dropped.split(' ')[0]) : 0).toBe(expected.excluded);
			}),
			{ numRuns: 3000, seed: 20241121 },
		);
	});

	it('is the same whatever the order of the input rows', () => {
		fc.assert(
			fc.property(fc.array(eventArb, { minLength: 1, maxLength: 20 }), optionsArb, fc.integer(), (raw, o, seed) => {
				const evs = toInput(raw.map((e, row) => ({ ...e, row })), 'epochMs');
				const shuffled = shuffle(evs, seed);
				const options: FunnelOptions = { stages: STEPS, order: o.order, entry: o.entry, exclusionSteps: o.exclusions };
				const a = analyzeFunnel({ events: evs }, options).steps.map((s) => s.entered);
				const b = analyzeFunnel({ events: shuffled }, options).steps.map((s) => s.entered);
				// Only the segment of tied anchors may depend on row order; counts must not.
				expect(b).toEqual(a);
			}),
			{ numRuns: 500, seed: 5 },
		);
	});
});

describe('event mode edges', () => {
	const ev = (entityId: string, step: string, minute: number, ms = 0): FunnelEvent => ({
		entityId,
		step,
		timestamp: BASE + minute * 60_000 + ms,
	});
	const windowed: FunnelOptions = { stages: ['A', 'B'], conversionWindowMs: 10 * 60_000 };

	it('counts an event exactly at the window end, and not one millisecond later', () => {
		const atEnd = analyzeFunnel({ events: [ev('u', 'A', 0), ev('u', 'B', 10)] }, windowed);
		const after = analyzeFunnel({ events: [ev('u', 'A', 0), ev('u', 'B', 10, 1)] }, windowed);
		expect(atEnd.steps[1].entered).toBe(1);
		expect(after.steps[1].entered).toBe(0);
	});

	it('counts a next step with the same timestamp as in order, even when listed first', () => {
		const r = analyzeFunnel({ events: [ev('u', 'B', 5), ev('u', 'A', 5)] }, { stages: ['A', 'B'] });
		expect(r.steps.map((s) => s.entered)).toEqual([1, 1]);
		expect(r.steps[0].medianTimeToNext).toBe(0);
	});

	it('does not count a step that happened before step 1 in strict or any order', () => {
		for (const order of ['strict', 'any'] as const) {
			const r = analyzeFunnel({ events: [ev('u', 'B', 1), ev('u', 'A', 2)] }, { stages: ['A', 'B'], order });
			expect(r.steps.map((s) => s.entered)).toEqual([1, 0]);
		}
	});

	it('in any order counts C before B; in strict order it does not', () => {
		const events = [ev('u', 'A', 0), ev('u', 'C', 1), ev('u', 'B', 2)];
		expect(analyzeFunnel({ events }, { stages: ['A', 'B', 'C'], order: 'any' }).steps.map((s) => s.entered)).toEqual([1, 1, 1]);
		expect(analyzeFunnel({ events }, { stages: ['A', 'B', 'C'], order: 'strict' }).steps.map((s) => s.entered)).toEqual([1, 1, 0]);
	});

	it('re-entry counts a second attempt only after the first ended', () => {
		const events = [ev('u', 'A', 0), ev('u', 'A', 5), ev('u', 'B', 6), ev('u', 'A', 11), ev('u', 'B', 30)];
		const options: FunnelOptions = { ...windowed, entry: 'reentry' };
		// Attempt 1 anchors at 0 (window to 10; B at 6 converts, so it ends at 6), attempt 2 at 11.
		expect(analyzeFunnel({ events }, options).steps.map((s) => s.entered)).toEqual([2, 1]);
		expect(analyzeFunnel({ events }, { ...windowed, entry: 'first' }).steps.map((s) => s.entered)).toEqual([1, 1]);
	});

	it('drops an attempt with an exclusion event while it is open', () => {
		const options: FunnelOptions = { stages: ['A', 'B'], exclusionSteps: ['Refund'] };
		expect(analyzeFunnel({ events: [ev('u', 'A', 0), ev('u', 'Refund', 1), ev('u', 'B', 2)] }, options).steps[0].entered).toBe(0);
		expect(analyzeFunnel({ events: [ev('u', 'A', 0), ev('u', 'B', 2), ev('u', 'Refund', 3)] }, options).steps[0].entered).toBe(1);
	});

	it('reports median, mean and p90 time to next step in the chosen unit', () => {
		const events = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((k) => [ev(`u${k}`, 'A', 0), ev(`u${k}`, 'B', (k + 1) * 60)]);
		const r = analyzeFunnel({ events }, { stages: ['A', 'B'], timeUnit: 'hours' });
		expect(r.steps[0].medianTimeToNext).toBeCloseTo(5.5, 12);
		expect(r.steps[0].meanTimeToNext).toBeCloseTo(5.5, 12);
		// numpy.percentile([1..10], 90) = 9.1
		expect(r.steps[0].p90TimeToNext).toBeCloseTo(9.1, 12);
		expect(r.steps[1].medianTimeToNext).toBeNull();
	});

	it('ignores events outside the funnel with a warning, and names bad timestamps', () => {
		const r = analyzeFunnel({ events: [ev('u', 'A', 0), ev('u', 'Pageview', 1)] }, { stages: ['A', 'B'] });
		expect(r.warnings.join(' ')).toContain('"Pageview" (1)');
		expect(r.warnings.join(' ')).toContain('No events at all for the step "B"');
		const bad = () => analyzeFunnel({ events: [ev('u', 'A', 0), { entityId: 'u', step: 'B', timestamp: 'yesterday' }] }, { stages: ['A', 'B'] });
		expect(bad).toThrow(InputError);
		expect(bad).toThrow(/Item 1: field "timestamp" has "yesterday"/);
	});

	it('rejects empty input, a missing step order, duplicate steps and steps that are also exclusions', () => {
		expect(() => analyzeFunnel({ events: [] }, { stages: ['A'] })).toThrow(/empty/);
		expect(() => analyzeFunnel({ events: [ev('u', 'A', 0)] }, {})).toThrow(/steps in order/);
		expect(() => analyzeFunnel({ events: [ev('u', 'A', 0)] }, { stages: ['A', 'B', 'A'] })).toThrow(/"A" more than once/);
		expect(() => analyzeFunnel({ events: [ev('u', 'A', 0)] }, { stages: ['A', 'B'], exclusionSteps: ['B'] })).toThrow(/both/);
		expect(() => analyzeFunnel({ events: [ev('u', 'A', 0)] }, { stages: ['A'], order: 'sequential' as 'strict' })).toThrow(/"order" is "sequential"/);
	});
});
