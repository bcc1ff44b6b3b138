/**
 * Benchmark plumbing. Each `bench/<area>.bench.ts` exports `cases: BenchCase[]`. The runner
 * (`bench/run.ts`) runs every case in its own child process so peak RSS is the case's own, and
 * prints one table. A case may also time a reference implementation (numpy/scipy through
 * `runPython`) in the same run, so the ratio compares like with like on this machine.
 */
import { spawnSync } from 'node:child_process';

export interface BenchResult {
	/** Wall time of our implementation, milliseconds (best of the repeats). */
	timeMs: number;
	/** Units processed (rows, customers, events...) for the throughput column. */
	units: number;
	/** What a unit is, e.g. 'rows'. */
	unitName: string;
	/** Reference implementation time in ms, measured in the same run, if there is one. */
	referenceMs?: number;
	/** e.g. 'numpy IRLS', 'scipy L-BFGS-B'. */
	referenceName?: string;
	/** Free text shown in the notes column (e.g. 'converged in 7 iterations'). */
	note?: string;
}

export interface BenchCase {
	/** e.g. 'Lead Scorer: train (IRLS)'. */
	operation: string;
	/** e.g. '100,000 x 21'. */
	size: string;
	run: () => Promise<BenchResult> | BenchResult;
}

/** Best-of-n wall time in ms of a synchronous or async function. */
export async function timeBest<T>(fn: () => T | Promise<T>, repeats = 3): Promise<{ ms: number; result: T }> {
	let best = Infinity;
	let result!: T;
	for (let i = 0; i < repeats; i++) {
		const start = process.hrtime.bigint();
		result = await fn();
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		if (ms < best) best = ms;
	}
	return { ms: best, result };
}

/**
 * Runs a Python reference script (numpy/scipy) with JSON on stdin; the script prints JSON
 * on its last stdout line, which must include `ms` (its own timing of the work, excluding
 * interpreter start-up and data loading). `env` adds variables, e.g. OPENBLAS_NUM_THREADS=1.
 */
export function runPython<T extends { ms: number }>(script: string, input: unknown, env?: Record<string, string>): T {
	const proc = spawnSync('python3', ['-c', script], {
		env: { ...process.env, ...env },
		input: JSON.stringify(input),
		maxBuffer: 1024 * 1024 * 1024,
		encoding: 'utf8',
	});
	if (proc.status !== 0) throw new Error(`python reference failed: ${proc.stderr}`);
	const lines = proc.stdout.trim().split('\n');
	return JSON.parse(lines[lines.length - 1]) as T;
}

/** Deterministic PRNG (mulberry32) so benchmark data is the same every run. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
