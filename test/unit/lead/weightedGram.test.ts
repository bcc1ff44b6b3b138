import * as fc from 'fast-check';
import { join } from 'node:path';
import { gramBlocks } from '../../../nodes/LeadScorer/weightedGram';
import { WEIGHTED_GRAM_WASM } from '../../../nodes/LeadScorer/weightedGram.wasm';
import { assembleWat } from '../../../scripts/wasm/assemble';

describe('XᵀWX kernel (weightedGram)', () => {
	test('the shipped WebAssembly bytes are exactly what weightedGram.wat assembles to', async () => {
		const bytes = await assembleWat(join(__dirname, '../../../nodes/LeadScorer/weightedGram.wat'));
		expect(Buffer.from(WEIGHTED_GRAM_WASM, 'base64').equals(Buffer.from(bytes))).toBe(true);
	});

	test('the WebAssembly kernel is the one that runs on this Node', () => {
		expect(gramBlocks(8, 4).kind).toBe('webassembly');
		expect(gramBlocks(8, 4, false).kind).toBe('javascript');
	});

	// Both kernels against the plain triple loop, on blocks of every shape the training uses:
	// odd and even row counts (the WebAssembly one pads an odd block), result rows up to the
	// padded width, two blocks added onto the same sums, and stale values past `size`.
	test('both kernels add Σ_b WT[j][b]·T[k][b] for every k ≤ j < rows, block after block', () => {
		const shape = fc
			.record({ rows: fc.integer({ min: 1, max: 23 }), block: fc.constantFrom(2, 8, 64), seed: fc.integer() })
			.chain(({ rows, block, seed }) =>
				fc.record({
					rows: fc.constant(rows),
					block: fc.constant(block),
					seed: fc.constant(seed),
					sizes: fc.array(fc.integer({ min: 1, max: block }), { minLength: 1, maxLength: 3 }),
				}),
			);
		fc.assert(
			fc.property(shape, ({ rows, block, seed, sizes }) => {
				const width = Math.ceil((rows + 1) / 4) * 4;
				let state = seed >>> 0;
				const next = () => {
					state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
					return state / 2 ** 32 - 0.5;
				};
				const expected = new Float64Array(width * width);
				for (const useWebAssembly of [true, false]) {
					state = seed >>> 0;
					expected.fill(0);
					const blocks = gramBlocks(width, block, useWebAssembly);
					for (const size of sizes) {
						// Columns past `rows` are the kernel's zero padding; rows past `size` hold junk.
						for (let c = 0; c < width; c++) {
							for (let b = 0; b < block; b++) {
								blocks.WT[c * block + b] = c < rows ? next() * 10 : 0;
								blocks.T[c * block + b] = c < rows ? next() * 10 : 0;
							}
						}
						for (let j = 0; j < rows; j++) {
							for (let k = 0; k <= j; k++) {
								let sum = 0;
								for (let b = 0; b < size; b++) sum += blocks.WT[j * block + b] * blocks.T[k * block + b];
								expected[j * width + k] += sum;
							}
						}
						blocks.addBlock(rows, size);
					}
					for (let j = 0; j < rows; j++) {
						for (let k = 0; k <= j; k++) {
							const got = blocks.dense[j * width + k];
							const want = expected[j * width + k];
							if (!(Math.abs(got - want) <= 1e-12 * (1 + Math.abs(want)) * block)) {
								throw new Error(`${blocks.kind} rows ${rows} block ${block} sizes ${sizes}: [${j}][${k}] = ${got}, expected ${want}`);
							}
						}
					}
				}
			}),
			{ numRuns: 300 },
		);
	});
});
