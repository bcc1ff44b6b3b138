// Parameter recovery: simulate 100,000 BG/NBD customers from known parameters with a generator
// written here (gamma by Marsaglia–Tsang, beta from two gammas), fit, and require every
// estimate within 3 standard errors of the truth.
import { fitBgNbd, type BgNbdParams } from '../../../nodes/ClvCalculator/bgNbd';
import { fitGammaGamma } from '../../../nodes/ClvCalculator/gammaGamma';

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

function makeSampler(seed: number) {
	const uniform = mulberry32(seed);
	const open = () => {
		let u = uniform();
		while (u === 0) u = uniform();
		return u;
	};
	const normal = () => Math.sqrt(-2 * Math.log(open())) * Math.cos(2 * Math.PI * uniform());
	// Marsaglia & Tsang (2000); shape < 1 boosted by U^(1/shape).
	const gamma = (shape: number, rate: number): number => {
		if (shape < 1) return gamma(shape + 1, rate) * Math.pow(open(), 1 / shape);
		const d = shape - 1 / 3;
		const c = 1 / Math.sqrt(9 * d);
		for (;;) {
			let x: number;
			let v: number;
			do {
				x = normal();
				v = 1 + c * x;
			} while (v <= 0);
			v = v * v * v;
			const u = open();
			if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
		}
	};
	const beta = (a: number, b: number) => {
		const x = gamma(a, 1);
		return x / (x + gamma(b, 1));
	};
	return { uniform, open, gamma, beta };
}

/** BG/NBD story: purchases at rate λ while alive; after each purchase leave with probability p. */
function simulateBgNbd(truth: BgNbdParams, customers: number, seed: number) {
	const s = makeSampler(seed);
	const out: { frequency: number; recency: number; T: number }[] = [];
	for (let i = 0; i < customers; i++) {
		const lambda = s.gamma(truth.r, truth.alpha);
		const p = s.beta(truth.a, truth.b);
		const T = 26 + Math.floor(s.uniform() * 27); // cohorts joined over half a year, observed 26–52 weeks
		let t = 0;
		let x = 0;
		let last = 0;
		for (;;) {
			t += -Math.log(s.open()) / lambda;
			if (t > T) break;
			x++;
			last = t;
			if (s.uniform() < p) break;
		}
		out.push({ frequency: x, recency: last, T });
	}
	return out;
}

describe('recovering known parameters from 100,000 simulated customers', () => {
	test('BG/NBD estimates lie within 3 standard errors of the truth', () => {
		const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
		const fit = fitBgNbd(simulateBgNbd(truth, 100_000, 20240601));
		expect(fit.converged).toBe(true);
		expect(fit.stdErrors).not.toBeNull();
		for (const name of ['r', 'alpha', 'a', 'b'] as const) {
			expect({ name, z: Math.abs(fit.params[name] - truth[name]) / fit.stdErrors![name] < 3 }).toEqual({ name, z: true });
		}
	});

	test('Gamma-Gamma estimates lie within 3 standard errors of the truth', () => {
		const truth = { p: 6, q: 4, v: 15 };
		const s = makeSampler(99);
		const customers = [];
		for (let i = 0; i < 100_000; i++) {
			const nu = s.gamma(truth.q, truth.v);
			const x = 1 + Math.floor(s.uniform() * 8);
			let sum = 0;
			for (let k = 0; k < x; k++) sum += s.gamma(truth.p, nu);
			customers.push({ frequency: x, monetaryValue: sum / x });
		}
		const fit = fitGammaGamma(customers);
		expect(fit.converged).toBe(true);
		for (const name of ['p', 'q', 'v'] as const) {
			expect({ name, z: Math.abs(fit.params[name] - truth[name]) / fit.stdErrors![name] < 3 }).toEqual({ name, z: true });
		}
		// Spend was drawn independently of frequency: no correlation warning.
		expect(fit.warnings).toEqual([]);
	});
});
