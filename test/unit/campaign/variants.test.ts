import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { compareVariants, newcombeInterval, sampleSizePerArm, twoProportionZTest } from '../../../nodes/CampaignEvaluator';
import { expectedLoss, probabilityBBeatsA } from '../../../nodes/CampaignEvaluator/bayesianAb';
import { InputError } from '../../../nodes/shared/errors';

interface PairCase {
	a: [number, number];
	b: [number, number];
	prior: [number, number];
}

const pairs: PairCase[] = [
	{ a: [200, 1000], b: [240, 1000], prior: [1, 1] }, // the bar
	{ a: [3, 40], b: [9, 45], prior: [1, 1] },
	{ a: [0, 50], b: [2, 50], prior: [1, 1] },
	{ a: [120, 5000], b: [95, 4800], prior: [2, 30] },
	{ a: [45, 300], b: [52, 310], prior: [0.5, 0.5] }, // Jeffreys prior: no whole-number parameter -> integration
	{ a: [20000, 100000], b: [20300, 100000], prior: [0.5, 0.5] }, // large counts: integration path
	{ a: [60000, 70000], b: [60100, 70000], prior: [1, 1] }, // large: exact via the smaller β
	{ a: [0, 100000], b: [3, 100000], prior: [0.5, 0.5] }, // integration with a density unbounded at 0
	{ a: [2, 100000], b: [0, 100000], prior: [0.5, 0.5] },
];
const tables: Array<Array<[number, number]>> = [
	[
		[200, 1000],
		[240, 1000],
		[215, 1000],
	],
	[
		[5, 80],
		[9, 75],
		[14, 90],
		[3, 60],
	],
];
const sizes: Array<[number, number, number, number]> = [
	[0.05, 0.1, 0.05, 0.8],
	[0.2, 0.22, 0.05, 0.8],
	[0.3, 0.25, 0.01, 0.9],
];

const reference = (() => {
	const script = path.join(__dirname, '../../reference/campaign_ab_reference.py');
	const proc = spawnSync('python3', [script], { input: JSON.stringify({ pairs, tables, sizes }), encoding: 'utf8' });
	if (proc.status !== 0) throw new Error(`reference script failed: ${proc.stderr}`);
	return JSON.parse(proc.stdout) as {
		pairs: Array<{ z: number; p: number; probabilityBBeatsA: number; expectedLossChoosingB: number }>;
		tables: Array<{ statistic: number; pValue: number; degreesOfFreedom: number }>;
		sizes: number[];
	};
})();

const relative = (got: number, expected: number) => Math.abs(got - expected) / Math.abs(expected);

function variantsOf(c: PairCase) {
	return [
		{ name: 'A', successes: c.a[0], trials: c.a[1] },
		{ name: 'B', successes: c.b[0], trials: c.b[1] },
	];
}

describe('compare variants: the issue bar', () => {
	const result = compareVariants(variantsOf(pairs[0]));
	const comparison = result.comparisons[0];

	it('A 200/1000 vs B 240/1000 gives z = 2.1592, p = 0.03084, P(B > A) = 0.98454', () => {
		expect(comparison.zScore!.toFixed(4)).toBe('2.1592');
		expect(comparison.pValue!.toFixed(5)).toBe('0.03084');
		expect(comparison.probabilityToBeatControl.toFixed(5)).toBe('0.98454');
		expect(comparison.probabilityMethod).toBe('exact');
	});

	it('says it in one sentence with the sample size', () => {
		expect(result.verdict).toBe('B beats A with 98.5% probability; for 80% power to detect a 10% lift keep going until ~6,510 visitors per arm.');
	});
});

describe('compare variants against scipy', () => {
	pairs.forEach((c, i) => {
		it(`z, p, P(B > A) and expected loss for A ${c.a.join('/')} vs B ${c.b.join('/')} with Beta(${c.prior.join(', ')})`, () => {
			const ref = reference.pairs[i];
			const [comparison] = compareVariants(variantsOf(c), { priorAlpha: c.prior[0], priorBeta: c.prior[1] }).comparisons;
			expect(relative(comparison.zScore!, ref.z)).toBeLessThan(1e-12);
			expect(relative(comparison.pValue!, ref.p)).toBeLessThan(1e-10);
			// Exact sum vs adaptive quadrature: both ~1e-12; Simpson integration path ~1e-10.
			expect(Math.abs(comparison.probabilityToBeatControl - ref.probabilityBBeatsA)).toBeLessThan(1e-9);
			// The loss is a difference of two near-equal terms when one arm clearly wins.
			expect(Math.abs(comparison.expectedLossChoosingVariant - ref.expectedLossChoosingB)).toBeLessThan(1e-9 + 1e-6 * ref.expectedLossChoosingB);
		});
	});

	it('integration stays exact where both posteriors pile up at 0 or 1 (symmetry gives 1/2)', () => {
		const none = { alpha: 0.5, beta: 100000.5 };
		expect(Math.abs(probabilityBBeatsA(none, { ...none }).probability - 0.5)).toBeLessThan(1e-12);
		const all = { alpha: 100000.5, beta: 0.5 };
		expect(Math.abs(probabilityBBeatsA(all, { ...all }).probability - 0.5)).toBeLessThan(1e-12);
	});

	it('uses numerical integration only when no parameter is a small whole number', () => {
		expect(probabilityBBeatsA({ alpha: 20000.5, beta: 80000.5 }, { alpha: 20300.5, beta: 79700.5 }).method).toBe('integration');
		expect(probabilityBBeatsA({ alpha: 60001, beta: 10001 }, { alpha: 60101, beta: 9901 }).method).toBe('exact');
	});

	tables.forEach((table, i) => {
		it(`chi-square across ${table.length} variants`, () => {
			const variants = table.map(([successes, trials], k) => ({ name: `V${k}`, successes, trials }));
			const { chiSquare } = compareVariants(variants);
			expect(chiSquare!.degreesOfFreedom).toBe(reference.tables[i].degreesOfFreedom);
			expect(relative(chiSquare!.statistic, reference.tables[i].statistic)).toBeLessThan(1e-12);
			expect(relative(chiSquare!.pValue, reference.tables[i].pValue)).toBeLessThan(1e-10);
		});
	});

	it('sample size per arm matches the formula evaluated with scipy quantiles', () => {
		expect(sizes.map(([p1, p2, alpha, power]) => sampleSizePerArm(p1, p2, alpha, power))).toEqual(reference.sizes);
	});
});

describe('compare variants against published and brute-force references', () => {
	it('Newcombe interval reproduces Newcombe (1998) Table II, example (a): 56/70 vs 48/80 -> 0.0524 to 0.3339', () => {
		// Newcombe reports pA - pB for (56/70, 48/80); ours is pB - pA, so pass them swapped.
		const ci = newcombeInterval({ successes: 48, trials: 80 }, { successes: 56, trials: 70 }, 0.95);
		expect(ci.lower.toFixed(4)).toBe('0.0524');
		expect(ci.upper.toFixed(4)).toBe('0.3339');
	});

	it('P(B > A) agrees with a Monte-Carlo draw from the two posteriors', () => {
		// Beta(a, b) draws as order statistics would be slow; use the gamma-ratio method with a seeded PRNG.
		const random = mulberry32(12345);
		const gamma = (shape: number): number => {
			// Marsaglia & Tsang (2000) for shape >= 1.
			const d = shape - 1 / 3;
			const c = 1 / Math.sqrt(9 * d);
			for (;;) {
				let x: number;
				let v: number;
				do {
					x = normal(random);
					v = 1 + c * x;
				} while (v <= 0);
				v = v * v * v;
				const u = random();
				if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
			}
		};
		const beta = (a: number, b: number) => {
			const x = gamma(a);
			return x / (x + gamma(b));
		};
		const draws = 100_000;
		let wins = 0;
		for (let i = 0; i < draws; i++) if (beta(241, 761) > beta(201, 801)) wins++;
		const estimate = wins / draws;
		const exact = probabilityBBeatsA({ alpha: 201, beta: 801 }, { alpha: 241, beta: 761 }).probability;
		const standardError = Math.sqrt((exact * (1 - exact)) / draws);
		expect(Math.abs(estimate - exact)).toBeLessThan(5 * standardError);
	});

	it('the planned sample size gives ~80% power by exact enumeration of the z-test outcomes', () => {
		const p1 = 0.2;
		const p2 = 0.3;
		const n = sampleSizePerArm(p1, p2, 0.05, 0.8);
		const pmf = (p: number) => {
			const out = new Float64Array(n + 1);
			for (let k = 0; k <= n; k++) out[k] = Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
			return out;
		};
		const fa = pmf(p1);
		const fb = pmf(p2);
		let power = 0;
		for (let a = 0; a <= n; a++) {
			for (let b = 0; b <= n; b++) {
				const test = twoProportionZTest({ successes: a, trials: n }, { successes: b, trials: n });
				if (test && test.pValue < 0.05) power += fa[a] * fb[b];
			}
		}
		expect(power).toBeGreaterThan(0.79);
		expect(power).toBeLessThan(0.82);
	});

	it('expected losses are consistent: loss(keep A) - loss(choose B) = mean(B) - mean(A)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (n1, n2, s1, s2) => {
				const a = { alpha: 1 + Math.min(s1, n1), beta: 1 + n1 - Math.min(s1, n1) };
				const b = { alpha: 1 + Math.min(s2, n2), beta: 1 + n2 - Math.min(s2, n2) };
				const loss = expectedLoss(a, b);
				const meanGap = b.alpha / (b.alpha + b.beta) - a.alpha / (a.alpha + a.beta);
				expect(loss.choosingB).toBeGreaterThanOrEqual(0);
				expect(Math.abs(loss.keepingA - loss.choosingB - meanGap)).toBeLessThan(1e-12);
				// P(B > A) + P(A > B) = 1 for continuous posteriors (computed by different routes).
				const forward = probabilityBBeatsA(a, b).probability;
				const backward = probabilityBBeatsA(b, a).probability;
				expect(Math.abs(forward + backward - 1)).toBeLessThan(1e-10);
			}),
			{ numRuns: 60 },
		);
	});
});

describe('compare variants: bad input and edge cases', () => {
	it('rejects successes above trials, naming the item and field', () => {
		expect(() => compareVariants([{ name: 'A', trials: 10, successes: 2 }, { name: 'B', trials: 10, successes: 11 }])).toThrow(
			/Item 1: successes \(11\) exceed trials \(10\) for variant "B"/,
		);
		try {
			compareVariants([{ name: 'A', trials: 10, successes: 2 }, { name: 'B', trials: 10, successes: 11 }]);
		} catch (error) {
			expect(error).toBeInstanceOf(InputError);
			expect((error as InputError).row).toBe(1);
			expect((error as InputError).field).toBe('successes');
		}
	});

	it('rejects fewer than two variants, zero trials, duplicate names and an unknown control', () => {
		expect(() => compareVariants([{ name: 'A', trials: 10, successes: 2 }])).toThrow(/at least two variants/);
		expect(() => compareVariants([{ name: 'A', trials: 0, successes: 0 }, { name: 'B', trials: 10, successes: 1 }])).toThrow(/trials must be a whole number above 0/);
		expect(() => compareVariants([{ name: 'A', trials: 5, successes: 1 }, { name: 'A', trials: 10, successes: 1 }])).toThrow(/appears twice/);
		expect(() => compareVariants([{ name: 'A', trials: 5, successes: 1 }, { name: 'B', trials: 10, successes: 1 }], { control: 'C' })).toThrow(/Control variant "C"/);
	});

	it('gives null, not NaN or Infinity, when nobody converted', () => {
		const result = compareVariants([{ name: 'A', trials: 100, successes: 0 }, { name: 'B', trials: 100, successes: 0 }]);
		const c = result.comparisons[0];
		expect(c.zScore).toBeNull();
		expect(c.pValue).toBeNull();
		expect(c.relativeLift).toBeNull();
		expect(result.sampleSize.perArm).toBeNull();
		expect(result.warnings.join(' ')).toMatch(/z-test of B vs A undefined/);
		expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
		expect(c.probabilityToBeatControl).toBeCloseTo(0.5, 12);
	});

	it('names the control as the winner when the variant is probably worse', () => {
		const result = compareVariants([{ name: 'A', trials: 1000, successes: 240 }, { name: 'B', trials: 1000, successes: 200 }]);
		expect(result.verdict).toMatch(/^A beats B with 98\.5% probability;/);
	});

	it('compares every variant with the chosen control and warns about multiple comparisons', () => {
		const result = compareVariants(
			[
				{ name: 'A', trials: 1000, successes: 200 },
				{ name: 'B', trials: 1000, successes: 240 },
				{ name: 'C', trials: 1000, successes: 215 },
			],
			{ control: 'C' },
		);
		expect(result.comparisons.map((c) => `${c.variant} vs ${c.control}`)).toEqual(['A vs C', 'B vs C']);
		expect(result.warnings.join(' ')).toMatch(/Bonferroni/);
		expect(result.verdict).toMatch(/^B beats C with \d+\.\d% probability \(chi-square across all variants: p = 0\.091\)/);
	});

	it('says when the arms already have enough visitors', () => {
		const result = compareVariants(
			[
				{ name: 'A', trials: 8000, successes: 1600 },
				{ name: 'B', trials: 8000, successes: 1800 },
			],
			{ minimumDetectableEffect: 0.1 },
		);
		expect(result.sampleSize.reached).toBe(true);
		expect(result.verdict).toMatch(/every arm has the ~6,510 visitors needed for 80% power/);
	});
});

function logChoose(n: number, k: number): number {
	let sum = 0;
	for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
	return sum;
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function normal(random: () => number): number {
	let u = 0;
	while (u === 0) u = random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
