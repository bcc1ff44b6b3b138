// Loads the CDNOW sample (Fader, Hardie & Lee 2005) as order rows for the CLV tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The data lives in ../shared beside the repository (as CI lays it out); /work/shared as a fallback. */
export const CDNOW_PATH = [join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'CDNOW_sample.txt'), '/work/shared/data/CDNOW_sample.txt'].find((p) =>
	existsSync(p),
) ?? join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'CDNOW_sample.txt');

export interface CdnowRow extends Record<string, unknown> {
	customer: string;
	date: string;
	amount: number;
}

export function loadCdnow(): CdnowRow[] {
	return readFileSync(CDNOW_PATH, 'utf8')
		.trim()
		.split('\n')
		.map((line) => {
			const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
			return { customer: sampleId, date, amount: Number(dollars) };
		});
}
