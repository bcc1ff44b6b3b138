import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeFunnel } from '../../../nodes/FunnelAnalyzer';
import { chiSquareIndependence, twoProportionZTest } from '../../../nodes/FunnelAnalyzer/segments';
import type { StageCount } from '../../../nodes/FunnelAnalyzer';

interface PyStep {
	small: string[];
	tested: string[];
	chi: { chiSquare: number; pValue: number; dof: number } | null;
	z: Record<string, { z: number; pValue: number }>;
}

function scipyReference(input: unknown): { steps: PyStep[]; samples: Array<{ median: number; mean: number; p90: number }> } {
	const proc = spawnSync('python3', [join(__dirname, '../../reference/funnel_stats.py')], {
		input: JSON.stringify(input),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(proc.stderr);
	return JSON.parse(proc.stdout);
}

/** Agreement to 1e-6 relative (or absolute below 1e-300, where both underflow). */
function expectClose(actual: number | null | undefined, expected: number): void {
	expect(actual).not.toBeNull();
	expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(expected), 1e-300));
}

/** A random segmented funnel: per segment, non-increasing counts over 3 stages. */
const segmentArb = fc.record({
	size: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 30, max: 3000 }), fc.integer({ min: 30, max: 3000 })),
	// Mostly ordinary rates, sometimes 0 or 1 (untestable steps).
	rate1: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.constantFrom(0, 100)).map((p) => p / 100),
	rate2: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.constantFrom(0, 100)).map((p) => p / 100),
});
const funnelArb = fc.array(segmentArb, { minLength: 2, maxLength: 5 });

function toCounts(segments: Array<{ size: number; rate1: number; rate2: number }>): StageCount[] {
	return segments.flatMap((s, k) => {
		const b = Math.round(s.size * s.rate1);
		const c = Math.round(b * s.rate2);
		return [
			{ stage: 'Lead', count: s.size, segment: `seg${k}` },
			{ stage: 'Quote', count: b, segment: `seg${k}` },
			{ stage: 'Won', count: c, segment: `seg${k}` },
		];
	});
}

describe('segment breakdown against scipy', () => {
	it('chi-square (no Yates) and z-test p-values agree with scipy to 1e-6, with the same small segments flagged', () => {
		const funnels = fc.sample(funnelArb, { numRuns: 150, seed: 99 });
		const results = funnels.map((segments) => analyzeFunnel({ counts: toCounts(segments) }, { segmentField: 'source', baselineSegment: 'seg0' }));
		// One Python run for all tables: steps 2f and 2f + 1 belong to funnel f.
		const tables = funnels.flatMap((segments) => {
			const rows = toCounts(segments);
			const at = (stage: string, k: number) => rows.find((r) => r.stage === stage && r.segment === `seg${k}`)?.count as number;
			return [
				['Lead', 'Quote'],
				['Quote', 'Won'],
			].map(([from, to]) => segments.map((_, k) => ({ segment: `seg${k}`, entered: at(from, k), converted: at(to, k) })));
		});
		const pySteps = scipyReference({ steps: tables, baseline: 'seg0' }).steps;
		const reference = funnels.map((_, f) => [pySteps[2 * f], pySteps[2 * f + 1]]);
		let chiCompared = 0;
		let zCompared = 0;
		results.forEach((r, f) => {
			const tests = r.segments?.tests ?? [];
			expect(tests).toHaveLength(2);
			tests.forEach((test, i) => {
				const py = reference[f][i];
				expect([...test.smallSegments].sort()).toEqual(py.small);
				expect([...test.testedSegments].sort()).toEqual(py.tested);
				if (py.chi) {
					expectClose(test.chiSquare, py.chi.chiSquare);
					expectClose(test.pValue, py.chi.pValue);
					expect(test.degreesOfFreedom).toBe(py.chi.dof);
					chiCompared++;
				} else expect(test.pValue).toBeNull();
				for (const c of test.comparisons) {
					const z = py.z[c.segment];
					if (z) {
						expect(c.tested).toBe(true);
						expectClose(c.z, z.z);
						expectClose(c.pValue, z.pValue);
						zCompared++;
					} else {
						expect(c.tested).toBe(false);
						expect(c.pValue).toBeNull();
						expect(typeof c.reason).toBe('string');
					}
				}
			});
		});
		// The random tables must exercise both branches.
		expect(chiCompared).toBeGreaterThan(100);
		expect(zCompared).toBeGreaterThan(100);
	});

	it('flags a tiny segment and tests the rest', () => {
		const counts = [
			...[['A', 500, 250]].flatMap(([s, n, x]) => [
				{ stage: 'Lead', count: n, segment: s },
				{ stage: 'Won', count: x, segment: s },
			]),
			{ stage: 'Lead', count: 400, segment: 'B' },
			{ stage: 'Won', count: 150, segment: 'B' },
			{ stage: 'Lead', count: 6, segment: 'Tiny' },
			{ stage: 'Won', count: 3, segment: 'Tiny' },
		];
		const r = analyzeFunnel({ counts }, { segmentField: 'source' });
		const test = r.segments?.tests[0];
		expect(r.segments?.baseline).toBe('A');
		expect(test?.smallSegments).toEqual(['Tiny']);
		expect(test?.testedSegments).toEqual(['A', 'B']);
		const tiny = test?.comparisons.find((c) => c.segment === 'Tiny');
		expect(tiny?.tested).toBe(false);
		expect(tiny?.reason).toMatch(/too small/);
		expect(tiny?.conversionRate).toBe(0.5);
	});
});

describe('test statistics', () => {
	it('chi-square of a 2 x 2 table equals the square of the pooled z statistic', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n1, n0, p1, p0) => {
				const x1 = Math.round(n1 * p1);
				const x0 = Math.round(n0 * p0);
				const z = twoProportionZTest(x1, n1, x0, n0);
				const chi = chiSquareIndependence([
					{ converted: x1, entered: n1 },
					{ converted: x0, entered: n0 },
				]);
				if (z === null || chi === null) return;
				expect(chi.chiSquare).toBeCloseTo(z.z * z.z, 6);
				expect(chi.pValue).toBeCloseTo(z.pValue, 9);
			}),
		);
	});

	it('returns null when everyone or nobody converted', () => {
		expect(twoProportionZTest(0, 10, 0, 20)).toBeNull();
		expect(chiSquareIndependence([{ converted: 5, entered: 5 }, { converted: 9, entered: 9 }])).toBeNull();
	});
});

describe('time statistics against numpy', () => {
	it('median, mean and p90 of time to next step match numpy (linear percentile)', () => {
		const samples = fc.sample(fc.array(fc.integer({ min: 0, max: 90 * 86_400_000 }), { minLength: 1, maxLength: 40 }), { numRuns: 30, seed: 1 });
		const expected = scipyReference({ steps: [], baseline: '', samples: samples.map((s) => s.map((ms) => ms / 86_400_000)) }).samples;
		samples.forEach((gaps, k) => {
			const events = gaps.flatMap((gap, u) => [
				{ entityId: `u${u}`, step: 'A', timestamp: 1.7e12 },
				{ entityId: `u${u}`, step: 'B', timestamp: 1.7e12 + gap },
			]);
			const step = analyzeFunnel({ events }, { stages: ['A', 'B'] }).steps[0];
			expect(step.medianTimeToNext).toBeCloseTo(expected[k].median, 9);
			expect(step.meanTimeToNext).toBeCloseTo(expected[k].mean, 9);
			expect(step.p90TimeToNext).toBeCloseTo(expected[k].p90, 9);
		});
	});
});
