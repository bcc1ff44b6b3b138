/**
 * Writes the demo CRM data (demo/data/*.json, one file per CRM tab in the Sheets API's
 * `values` shape) from the seeded generator in demo/generator.
 * Usage, from the repository root:
 *   npx tsc --outDir /tmp/demo-build --module commonjs --target es2022 --esModuleInterop --skipLibCheck scripts/generate-demo-data.ts
 *   node /tmp/demo-build/scripts/generate-demo-data.js [--seed N] [--out DIR]
 * No network, no clock: the same seed writes the same bytes (test/unit/demo checks the files are current).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_SEED, generateDemoData, serializeDemoData } from '../demo/generator';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

function main(): void {
	const seedText = option('seed');
	const seed = seedText === undefined ? DEMO_SEED : Number(seedText);
	if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${JSON.stringify(seedText)}`);
	// Default demo/data under the current folder: run it from the repository root.
	const outDir = resolve(option('out') ?? join(process.cwd(), 'demo', 'data'));
	const data = generateDemoData(seed);
	mkdirSync(outDir, { recursive: true });
	let total = 0;
	for (const [file, text] of Object.entries(serializeDemoData(data))) {
		writeFileSync(join(outDir, file), text);
		total += Buffer.byteLength(text);
	}
	const won = data.leads.filter((lead) => lead.stage === 'Won').length;
	console.log(
		`Demo data (seed ${seed}) in ${outDir}: ${data.leads.length} leads (${won} won), ${data.stageHistory.length} stage moves, ` +
			`${data.orders.length} orders, ${data.campaigns.length} campaigns, ${data.variants.length} variants, ` +
			`${data.touchpoints.length} touchpoints; ${(total / 1024).toFixed(0)} KiB`,
	);
}

main();
