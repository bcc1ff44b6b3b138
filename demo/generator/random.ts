/**
 * A seeded pseudo-random source with the few distributions the demo data needs. Same seed,
 * same sequence, on every machine: the generator must produce the same bytes every run.
 */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	uniform(min: number, max: number): number;
	/** Integer in [min, max], both included. */
	integer(min: number, max: number): number;
	bernoulli(probability: number): boolean;
	/** Standard normal (Box–Muller). */
	normal(): number;
	/** Exponential with the given mean. */
	exponential(mean: number): number;
	/** Gamma with shape k and scale θ (mean kθ): Marsaglia & Tsang (2000), ACM TOMS 26(3). */
	gamma(shape: number, scale: number): number;
	/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
	beta(a: number, b: number): number;
	/** Poisson with the given mean (Knuth's multiplication method; fine for means below ~30). */
	poisson(mean: number): number;
	binomial(trials: number, probability: number): number;
	pick<T>(items: readonly T[]): T;
	/** Picks a key with probability proportional to its weight. */
	weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
}

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, good enough for sample data. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function createRandom(seed: number): Random {
	const next = mulberry32(seed);
	const random: Random = {
		next,
		uniform: (min, max) => min + (max - min) * next(),
		integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
		bernoulli: (probability) => next() < probability,
		normal() {
			// 1 - next() is in (0, 1], so the logarithm is finite.
			const u = 1 - next();
			const v = next();
			return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
		exponential: (mean) => -mean * Math.log(1 - next()),
		gamma(shape, scale) {
			if (shape < 1) {
				// Boost: Gamma(k) = Gamma(k + 1) · U^(1/k) (Marsaglia & Tsang, section 6).
				return random.gamma(shape + 1, scale) * Math.pow(1 - next(), 1 / shape);
			}
			const d = shape - 1 / 3;
			const c = 1 / Math.sqrt(9 * d);
			for (;;) {
				const x = random.normal();
				const v = Math.pow(1 + c * x, 3);
				if (v <= 0) continue;
				const u = 1 - next();
				if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
			}
		},
		beta(a, b) {
			const x = random.gamma(a, 1);
			const y = random.gamma(b, 1);
			return x / (x + y);
		},
		poisson(mean) {
			const limit = Math.exp(-mean);
			let count = 0;
			let product = next();
			while (product > limit) {
				count++;
				product *= next();
			}
			return count;
		},
		binomial(trials, probability) {
			let successes = 0;
			for (let i = 0; i < trials; i++) if (next() < probability) successes++;
			return successes;
		},
		pick: (items) => items[Math.floor(next() * items.length)],
		weighted(weights) {
			const entries = Object.entries(weights) as Array<[keyof typeof weights, number]>;
			const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
			let target = next() * total;
			for (const [key, weight] of entries) {
				target -= weight;
				if (target < 0) return key;
			}
			return entries[entries.length - 1][0];
		},
	};
	return random;
}
