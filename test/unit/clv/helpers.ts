// Shared plumbing of the CLV tests: the CDNOW calibration summary and the Python references.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { summarizeTransactions, type CustomerSummary } from '../../../nodes/ClvCalculator/summarize';
import { loadCdnow } from './cdnow';

/** CDNOW calibration period as in FHL 2005: orders to 1997-09-30, weeks, T to the end of week 39. */
export function cdnowCalibration(): CustomerSummary[] {
	return summarizeTransactions(loadCdnow(), {
		customerId: 'customer',
		date: 'date',
		amount: 'amount',
		unit: 'weeks',
		observationEnd: '1997-09-30',
		laterOrders: 'ignore',
		dateFormat: 'yyyyMMdd',
	});
}

/** Runs test/reference/<script> with JSON on stdin and parses the JSON on its last stdout line. */
export function runReference<T>(script: string, input: unknown): T {
	const proc = spawnSync('python3', [join(__dirname, '../../reference', script)], {
		input: JSON.stringify(input),
		encoding: 'utf8',
		maxBuffer: 512 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(`${script} failed: ${proc.stderr}`);
	const lines = proc.stdout.trim().split('\n');
	return JSON.parse(lines[lines.length - 1]) as T;
}

/** Round to the number of decimals a paper prints. */
export const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
