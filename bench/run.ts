/**
 * `npm run bench`: runs every case of every bench/*.bench.ts in its own child process (so the
 * peak RSS column is that case's own) and prints one table. Usage:
 *   node .build-bench/bench/run.js [filter]      filter = substring of file or operation name
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase, BenchResult } from './lib';

interface Row extends BenchResult {
	operation: string;
	size: string;
	peakRssMb: number;
	error?: string;
}

function runCaseInChild(file: string, index: number): Row {
	const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', __filename, '--case', file, String(index)], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const lines = (child.stdout ?? '').trim().split('\n');
	try {
		return JSON.parse(lines[lines.length - 1]) as Row;
	} catch {
		return { operation: `${file}#${index}`, size: '', timeMs: NaN, units: 0, unitName: '', peakRssMb: 0, error: `exit ${child.status}` };
	}
}

async function runCaseHere(file: string, index: number): Promise<void> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const benchCase = (require(join(__dirname, file)) as { cases: BenchCase[] }).cases[index];
	try {
		const result = await benchCase.run();
		const peakRssMb = process.resourceUsage().maxRSS / 1024;
		process.stdout.write(`\n${JSON.stringify({ operation: benchCase.operation, size: benchCase.size, ...result, peakRssMb })}\n`);
	} catch (error) {
		process.stdout.write(`\n${JSON.stringify({ operation: benchCase.operation, size: benchCase.size, timeMs: 0, units: 0, unitName: '', peakRssMb: 0, error: (error as Error).message })}\n`);
	}
}

function fmt(n: number | undefined, digits = 0): string {
	if (n === undefined || !Number.isFinite(n)) return '';
	return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: Row[]): void {
	const header = ['operation', 'size', 'time (ms)', 'throughput', 'peak RSS (MB)', 'reference', 'ref time (ms)', 'ratio (ours/ref)', 'note'];
	const body = rows.map((r) => [
		r.operation,
		r.size,
		r.error ? `FAILED: ${r.error}` : fmt(r.timeMs, r.timeMs < 10 ? 2 : 0),
		r.error || !r.units ? '' : `${fmt((r.units / r.timeMs) * 1000)} ${r.unitName}/s`,
		fmt(r.peakRssMb),
		r.referenceName ?? '',
		fmt(r.referenceMs, r.referenceMs !== undefined && r.referenceMs < 10 ? 2 : 0),
		r.referenceMs ? fmt(r.timeMs / r.referenceMs, 2) : '',
		r.note ?? '',
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	console.log(line(header));
	console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const row of body) console.log(line(row));
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args[0] === '--case') return runCaseHere(args[1], Number(args[2]));
	const filter = args[0] ?? '';
	const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
	const rows: Row[] = [];
	for (const file of files) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { cases } = require(join(__dirname, file)) as { cases: BenchCase[] };
		for (let i = 0; i < cases.length; i++) {
			if (filter && !file.includes(filter) && !cases[i].operation.toLowerCase().includes(filter.toLowerCase())) continue;
			process.stderr.write(`running ${cases[i].operation} (${cases[i].size})...\n`);
			rows.push(runCaseInChild(file, i));
		}
	}
	console.log(`\nBenchmarks on ${process.platform} ${process.arch}, Node ${process.version}, ${new Date().toISOString()}\n`);
	printTable(rows);
	if (rows.some((r) => r.error)) process.exitCode = 1;
}

void main();
