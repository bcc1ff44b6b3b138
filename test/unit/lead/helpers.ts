import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Runs a Python reference script under test/reference with JSON on stdin; parses its stdout. */
export function runReference<T>(script: string, input: unknown): T {
	const proc = spawnSync('python3', [path.join(__dirname, '../../reference', script)], {
		input: JSON.stringify(input),
		encoding: 'utf8',
		maxBuffer: 512 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(`${script} failed: ${proc.stderr}`);
	return JSON.parse(proc.stdout) as T;
}

/** The UCLA graduate admissions data (see data/SOURCE.md), numbers as numbers. */
export function loadUclaAdmissions(): Array<{ admit: number; gre: number; gpa: number; rank: number }> {
	const text = readFileSync(path.join(__dirname, 'data/ucla_binary.csv'), 'utf8').trim();
	const [header, ...lines] = text.split('\n');
	const names = header.split(',');
	return lines.map((line) => {
		const values = line.split(',').map(Number);
		return Object.fromEntries(names.map((name, i) => [name, values[i]])) as { admit: number; gre: number; gpa: number; rank: number };
	});
}

/** Deterministic PRNG (mulberry32) for simulations. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Standard normal draw by Box–Muller. */
export function normalDraw(random: () => number): number {
	const u = 1 - random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** |actual − expected| within `digits` significant digits of expected. */
export function expectSignificant(actual: number | null, expected: number, digits = 6): void {
	expect(actual).not.toBeNull();
	const tolerance = 0.5 * Math.pow(10, 1 - digits) * Math.abs(expected);
	if (Math.abs((actual as number) - expected) > tolerance) {
		throw new Error(`expected ${expected} to ${digits} significant digits, got ${actual}`);
	}
}
