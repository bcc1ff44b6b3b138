/** `npm run wasm`: assembles the package's .wat sources into the .wasm.ts modules it ships. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleWat, wasmModuleSource } from './assemble';

export const WASM_SOURCES = [{ wat: 'nodes/LeadScorer/trainingKernel.wat', module: 'nodes/LeadScorer/trainingKernel.wasm.ts', constant: 'TRAINING_KERNEL_WASM' }];

async function main(): Promise<void> {
	const root = join(__dirname, '..', '..', '..');
	for (const source of WASM_SOURCES) {
		const bytes = await assembleWat(join(root, source.wat));
		writeFileSync(join(root, source.module), wasmModuleSource(source.wat, source.constant, bytes));
		console.log(`${source.module}: ${bytes.length} bytes`);
	}
}

if (require.main === module) void main();
