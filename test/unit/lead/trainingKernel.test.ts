import * as fc from 'fast-check';
import { join } from 'node:path';
import { BLOCK_ROWS, allocateNumeric, blockWidth, trainingBlocks, type TrainingBlocks } from '../../../nodes/LeadScorer/trainingKernel';
import { TRAINING_KERNEL_WASM } from '../../../nodes/LeadScorer/trainingKernel.wasm';
import { buildDesign } from '../../../nodes/LeadScorer/design';
import { fitIrls } from '../../../nodes/LeadScorer/irls';
import { assembleWat } from '../../../scripts/wasm/assemble';
import { loadUclaAdmissions } from './helpers';

/** Deterministic values in [-5, 5) from a seed (a linear congruential generator). */
function values(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return (state / 2 ** 32 - 0.5) * 10;
	};
}

function close(got: number, want: number, scale: number): boolean {
	return Math.abs(got - want) <= 1e-12 * (1 + scale);
}

describe('training kernel (trainingKernel.ts, .wat)', () => {
	test('the shipped WebAssembly bytes are exactly what trainingKernel.wat assembles to', async () => {
		const bytes = await assembleWat(join(__dirname, '../../../nodes/LeadScorer/trainingKernel.wat'));
		expect(Buffer.from(TRAINING_KERNEL_WASM, 'base64').equals(Buffer.from(bytes))).toBe(true);
	});

	test('a design block allocated for training runs on the WebAssembly kernel on this Node', () => {
		const numeric = allocateNumeric(10, 3);
		expect(numeric).toHaveLength(30);
		expect(trainingBlocks(numeric, 3).kind).toBe('webassembly');
		expect(trainingBlocks(numeric.subarray(0, 27), 3).kind).toBe('webassembly'); // rows dropped after allocation
		expect(trainingBlocks(numeric, 3, false).kind).toBe('javascript');
		expect(trainingBlocks(new Float64Array(30), 3).kind).toBe('javascript');
	});

	// Every step of a training pass, by both kernels, against sums written out row by row over
	// the numeric block itself: odd and even block sizes (the SIMD loops pad an odd block), any
	// number of fields, and a last block shorter than the others (stale rows past `size`).
	test('both kernels give η = β·x, Σ w·x·xᵀ and Σ residual·x, block after block', () => {
		const shape = fc.record({ rows: fc.integer({ min: 1, max: 3 * BLOCK_ROWS + 5 }), q: fc.integer({ min: 0, max: 23 }), seed: fc.integer() });
		fc.assert(
			fc.property(shape, ({ rows, q, seed }) => {
				const next = values(seed);
				const numeric = allocateNumeric(rows, q);
				for (let i = 0; i < numeric.length; i++) numeric[i] = next();
				const beta = Array.from({ length: q + 1 }, next);
				const weight = Array.from({ length: rows }, () => Math.abs(next()));
				const residual = Array.from({ length: rows }, next);
				const x = (r: number, c: number) => (c === 0 ? 1 : numeric[r * q + c - 1]);
				const d = q + 1;
				const width = blockWidth(q);
				for (const blocks of [trainingBlocks(numeric, q), trainingBlocks(Float64Array.from(numeric), q)]) {
					blocks.beta.set(beta);
					const gradientOnly: TrainingBlocks = blocks.kind === 'webassembly' ? trainingBlocks(Float64Array.from(numeric), q) : trainingBlocks(numeric, q);
					gradientOnly.beta.set(beta);
					for (let start = 0; start < rows; start += BLOCK_ROWS) {
						const size = Math.min(BLOCK_ROWS, rows - start);
						for (const each of [blocks, gradientOnly]) each.loadRows(start, size);
						blocks.predict(size);
						for (let b = 0; b < size; b++) {
							let eta = 0;
							for (let c = 0; c <= q; c++) eta += beta[c] * x(start + b, c);
							if (!close(blocks.eta[b], eta, Math.abs(eta))) throw new Error(`${blocks.kind} η of row ${start + b}: ${blocks.eta[b]}, expected ${eta}`);
							blocks.WT[b] = weight[start + b];
							blocks.WT[d * BLOCK_ROWS + b] = residual[start + b];
							gradientOnly.WT[d * BLOCK_ROWS + b] = residual[start + b];
						}
						blocks.weightColumns(size);
						blocks.addProducts(d + 1, size);
						gradientOnly.addRowProducts(d, size);
					}
					for (let j = 0; j <= d; j++) {
						for (let k = 0; k <= Math.min(j, q); k++) {
							let want = 0;
							let scale = 0;
							for (let r = 0; r < rows; r++) {
								const term = (j === d ? residual[r] : weight[r] * x(r, j)) * x(r, k);
								want += term;
								scale += Math.abs(term);
							}
							const got = blocks.dense[j * width + k];
							if (!close(got, want, scale)) throw new Error(`${blocks.kind} rows ${rows} q ${q}: [${j}][${k}] = ${got}, expected ${want}`);
							if (j === d && !close(gradientOnly.dense[d * width + k], want, scale)) {
								throw new Error(`${gradientOnly.kind} gradient alone, rows ${rows} q ${q}: [${k}] = ${gradientOnly.dense[d * width + k]}, expected ${want}`);
							}
						}
					}
				}
			}),
			{ numRuns: 200 },
		);
	});

	test('a whole fit through the JavaScript loops (Node --jitless) equals the WebAssembly fit', () => {
		const rows = loadUclaAdmissions();
		const design = buildDesign(rows, { target: 'admit', features: ['gre', 'gpa', 'rank'], categorical: ['rank'] });
		const options = { l2: 0, prior: new Float64Array(design.rowCount).fill(1), active: design.columnNames.map(() => true), maxIterations: 50 };
		const viaWebAssembly = fitIrls(design, options);
		const viaJavaScript = fitIrls({ ...design, numeric: Float64Array.from(design.numeric) }, options);
		expect(trainingBlocks(design.numeric, 2).kind).toBe('webassembly');
		expect(viaJavaScript.iterations).toBe(viaWebAssembly.iterations);
		for (let j = 0; j < design.columnNames.length; j++) expect(viaJavaScript.beta[j]).toBeCloseTo(viaWebAssembly.beta[j], 12);
		expect(viaJavaScript.deviance).toBeCloseTo(viaWebAssembly.deviance, 10);
	});
});
