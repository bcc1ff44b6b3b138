/**
 * CLV Calculator benchmarks: BG/NBD + Gamma-Gamma fits on CDNOW and on 1,000,000 simulated
 * customers, each beside scipy's L-BFGS-B on the same likelihoods (test/reference/clv_fit.py,
 * ungrouped numpy arrays), and summarizing 1,000,000 order rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitBgNbd } from '../nodes/ClvCalculator/bgNbd';
import { fitGammaGamma } from '../nodes/ClvCalculator/gammaGamma';
import { summarizeTransactions } from '../nodes/ClvCalculator/summarize';
import { runPython, seededRandom, timeBest, type BenchCase } from './lib';

// Compiled into .build-bench/bench/ (two levels down) or run from bench/ directly (one level).
const REFERENCE_DIR = join(__dirname, '..', '..', 'test', 'reference');
const ROOT_REFERENCE_DIR = join(__dirname, '..', 'test', 'reference');

/** Python that fits BG/NBD and Gamma-Gamma with clv_fit.py and reports the summed fit time. */
function referenceScript(): string {
	return `
import json, sys
sys.path.insert(0, ${JSON.stringify(REFERENCE_DIR)})
sys.path.insert(0, ${JSON.stringify(ROOT_REFERENCE_DIR)})
from clv_fit import fit
data = json.load(sys.stdin)
bg = fit("bgnbd", data)
gg = fit("gammagamma", {"x": data["gx"], "m": data["gm"]})
print(json.dumps({"ms": bg["ms"] + gg["ms"], "bg": bg["params"], "gg": gg["params"], "ll": bg["ll"]}))
`;
}

/** ../shared beside the repository (.build-bench/bench -> repo -> ..); /work/shared as a fallback. */
const CDNOW_FILE = [join(__dirname, '..', '..', '..', 'shared', 'data', 'CDNOW_sample.txt'), '/work/shared/data/CDNOW_sample.txt'].find((p) => existsSync(p)) ?? '/work/shared/data/CDNOW_sample.txt';

interface Customer {
	frequency: number;
	recency: number;
	T: number;
	monetaryValue: number;
}

function fitBoth(customers: Customer[]) {
	const purchase = fitBgNbd(customers);
	const spend = fitGammaGamma(customers);
	return { purchase, spend };
}

async function fitCase(customers: Customer[], repeats: number) {
	const { ms, result } = await timeBest(() => fitBoth(customers), repeats);
	const repeat = customers.filter((c) => c.frequency > 0);
	const reference = runPython<{ ms: number; ll: number }>(referenceScript(), {
		x: customers.map((c) => c.frequency),
		tx: customers.map((c) => c.recency),
		T: customers.map((c) => c.T),
		gx: repeat.map((c) => c.frequency),
		gm: repeat.map((c) => c.monetaryValue),
	});
	const p = result.purchase.params;
	return {
		timeMs: ms,
		units: customers.length,
		unitName: 'customers',
		referenceMs: reference.ms,
		referenceName: 'scipy L-BFGS-B (numpy, ungrouped)',
		note:
			`BG/NBD r=${p.r.toFixed(3)} α=${p.alpha.toFixed(3)} a=${p.a.toFixed(3)} b=${p.b.toFixed(3)} in ${result.purchase.iterations} it., ` +
			`GG in ${result.spend.iterations} it.; LL ours ${result.purchase.logLikelihood.toFixed(1)} vs scipy ${reference.ll.toFixed(1)}`,
	};
}

function cdnowCustomers(): Customer[] {
	const rows = readFileSync(CDNOW_FILE, 'utf8')
		.trim()
		.split('\n')
		.map((line) => {
			const [, customer, date, , amount] = line.trim().split(/\s+/);
			return { customer, date, amount: Number(amount) };
		});
	return summarizeTransactions(rows, { customerId: 'customer', date: 'date', amount: 'amount', unit: 'weeks', observationEnd: '1997-09-30', laterOrders: 'ignore', dateFormat: 'yyyyMMdd' });
}

/** Gamma(shape, rate) by Marsaglia & Tsang. */
function gammaSampler(random: () => number) {
	const open = () => 1 - random();
	const normal = () => Math.sqrt(-2 * Math.log(open())) * Math.cos(2 * Math.PI * random());
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
			if (Math.log(open()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
		}
	};
	return { gamma, open };
}

/** BG/NBD customers observed in whole days (as real order logs are), with Gamma-Gamma spend. */
function simulatedCustomers(count: number): Customer[] {
	const random = seededRandom(42);
	const { gamma, open } = gammaSampler(random);
	const customers: Customer[] = [];
	for (let i = 0; i < count; i++) {
		const lambda = gamma(0.25, 30); // per day
		const x0 = gamma(0.8, 1);
		const p = x0 / (x0 + gamma(2.5, 1));
		const T = 30 + Math.floor(random() * 336);
		let t = 0;
		let x = 0;
		let last = 0;
		for (;;) {
			t += -Math.log(open()) / lambda;
			if (Math.floor(t) > T) break;
			if (Math.floor(t) === last) continue; // same-day purchases merge
			x++;
			last = Math.floor(t);
			if (random() < p) break;
		}
		const nu = gamma(4, 15);
		let spend = 0;
		for (let k = 0; k < x; k++) spend += gamma(6, nu);
		customers.push({ frequency: x, recency: last, T, monetaryValue: x > 0 ? spend / x : 0 });
	}
	return customers;
}

function simulatedOrderRows(count: number) {
	const random = seededRandom(7);
	const start = Date.UTC(2023, 0, 1);
	const days = Array.from({ length: 730 }, (_, d) => new Date(start + d * 86400000).toISOString().slice(0, 10));
	const rows: { customerId: string; date: string; amount: number }[] = [];
	for (let i = 0; i < count; i++) {
		rows.push({ customerId: `c${Math.floor(random() * 200_000)}`, date: days[Math.floor(random() * days.length)], amount: Math.round(random() * 20000) / 100 });
	}
	return rows;
}

export const cases: BenchCase[] = [
	{
		operation: 'CLV Calculator: fit BG/NBD + Gamma-Gamma (CDNOW)',
		size: '2,357 customers',
		run: () => fitCase(cdnowCustomers(), 5),
	},
	{
		operation: 'CLV Calculator: fit BG/NBD + Gamma-Gamma (simulated)',
		size: '1,000,000 customers',
		run: () => fitCase(simulatedCustomers(1_000_000), 1),
	},
	{
		operation: 'CLV Calculator: summarize transactions (RFM)',
		size: '1,000,000 orders',
		run: async () => {
			const rows = simulatedOrderRows(1_000_000);
			const { ms, result } = await timeBest(() => summarizeTransactions(rows, { customerId: 'customerId', date: 'date', amount: 'amount', unit: 'days' }), 3);
			return { timeMs: ms, units: rows.length, unitName: 'orders', note: `${result.length} customers` };
		},
	},
];
