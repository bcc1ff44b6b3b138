/**
 * The inner loops of training, over blocks of BLOCK_ROWS design rows: copy the rows into
 * columns, the linear predictor, the weighted columns, and XᵀWX with the gradient. Newton's
 * method spends almost all its time here, so they run as WebAssembly with 128-bit SIMD
 * (trainingKernel.wat: two rows per instruction and no bounds checks; about 3× the JavaScript
 * loops for XᵀWX in V8). For that the design's numeric block is stored in the kernel's memory
 * (`allocateNumeric`), so the rows are read where they are, never copied whole. Where
 * WebAssembly is unavailable (Node started with --jitless) the same loops run in JavaScript with
 * the same results up to rounding.
 */
import { TRAINING_KERNEL_WASM } from './trainingKernel.wasm';

/** Rows per block: a block's columns (2 × 24 columns × 64 rows × 8 bytes) stay in the L1 cache. */
export const BLOCK_ROWS = 64;

/** Columns of a block for q numeric fields: intercept, q fields and the residuals, padded to 4. */
export function blockWidth(q: number): number {
	return Math.ceil((q + 2) / 4) * 4;
}

/**
 * One block of design rows, column by column (column c of row b at c·BLOCK_ROWS + b), and the
 * sums it is added to. Every method works on the first `size` rows of the block.
 */
export interface TrainingBlocks {
	kind: 'webassembly' | 'javascript';
	/** Plain columns: 0 is the intercept (all ones), 1..q the numeric fields. */
	T: Float64Array;
	/** Weighted columns: the caller puts the working weights in column 0 (and the residuals in a
	 * later column); `weightColumns` fills 1..q. */
	WT: Float64Array;
	/** blockWidth(q)², row-major; the lower triangle is the result of `addProducts`. */
	dense: Float64Array;
	/** The coefficients of the intercept and the q numeric fields, for `predict`. */
	beta: Float64Array;
	/** The block's linear predictor from `predict` (numeric part only). */
	eta: Float64Array;
	/** T[1 + j][b] = row (start + b), field j of the design's numeric block. */
	loadRows(start: number, size: number): void;
	/** eta[b] = Σ_{c ≤ q} beta[c]·T[c][b]. */
	predict(size: number): void;
	/** WT[j][b] = WT[0][b]·T[j][b] for 1 ≤ j ≤ q. */
	weightColumns(size: number): void;
	/** dense[j·width + k] += Σ_b WT[j][b]·T[k][b] for j < rows, k ≤ j. */
	addProducts(rows: number, size: number): void;
	/** dense[row·width + k] += Σ_b WT[row][b]·T[k][b] for k ≤ q: one row of the above alone. */
	addRowProducts(row: number, size: number): void;
}

// The part of the WebAssembly API used here (the project's TypeScript libs have no DOM types).
declare const WebAssembly: {
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object) => { exports: unknown };
};

interface KernelExports {
	memory: { buffer: ArrayBuffer; grow(pages: number): number };
	loadRows(x: number, q: number, size: number, t: number, stride: number): void;
	predictBlock(t: number, beta: number, out: number, columns: number, stride: number, size: number): void;
	weightColumns(wt: number, t: number, first: number, last: number, stride: number, size: number): void;
	addWeightedProducts(wt: number, t: number, dense: number, rows: number, width: number, stride: number, size: number): void;
	addRowProducts(r: number, t: number, out: number, columns: number, stride: number, size: number): void;
}

let compiled: object | null | undefined;

/** The WebAssembly module, compiled once per process; null where the runtime has none. */
function kernelModule(): object | null {
	if (compiled === undefined) {
		try {
			compiled = new WebAssembly.Module(Buffer.from(TRAINING_KERNEL_WASM, 'base64'));
		} catch {
			compiled = null; // no WebAssembly (--jitless) or no SIMD: the JavaScript loops below
		}
	}
	return compiled;
}

/** Values after the numeric block: T, WT, dense, beta and eta. */
function scratchValues(width: number): number {
	return 2 * width * BLOCK_ROWS + width * width + width + BLOCK_ROWS;
}

/** The kernel that owns each numeric block allocated in WebAssembly memory, and where its scratch starts. */
const owners = new WeakMap<ArrayBufferLike, { kernel: KernelExports; scratch: number }>();

/**
 * Storage for a design's numeric block (rows × q values, row-major), followed by the scratch
 * space its training needs, in a WebAssembly memory of its own. The memory never grows after
 * this (growing would detach the returned array). A plain Float64Array where WebAssembly is
 * unavailable or the block would pass its 4 GiB limit.
 */
export function allocateNumeric(rows: number, q: number): Float64Array {
	const module = kernelModule();
	const bytes = 8 * (rows * q + scratchValues(blockWidth(q)));
	if (module === null || bytes > 2 ** 32) return new Float64Array(rows * q);
	try {
		const kernel = new WebAssembly.Instance(module).exports as KernelExports;
		kernel.memory.grow(Math.ceil(bytes / 65536) - kernel.memory.buffer.byteLength / 65536);
		owners.set(kernel.memory.buffer, { kernel, scratch: 8 * rows * q });
		return new Float64Array(kernel.memory.buffer, 0, rows * q);
	} catch {
		return new Float64Array(rows * q); // the memory could not grow that far
	}
}

/**
 * The blocks for training on `numeric` (rows × q, row-major). Uses the WebAssembly kernel when
 * `numeric` came from `allocateNumeric` there, else JavaScript (or when told not to). The
 * WebAssembly blocks sit in the numeric block's scratch space: one set per design, valid until
 * the next call for the same design (training is synchronous).
 */
export function trainingBlocks(numeric: Float64Array, q: number, useWebAssembly = true): TrainingBlocks {
	const width = blockWidth(q);
	const owner = useWebAssembly ? owners.get(numeric.buffer) : undefined;
	if (owner === undefined) return javascriptBlocks(numeric, q, width);
	const { kernel, scratch } = owner;
	const buffer = kernel.memory.buffer;
	const T = new Float64Array(buffer, scratch, width * BLOCK_ROWS);
	const WT = new Float64Array(buffer, T.byteOffset + T.byteLength, width * BLOCK_ROWS);
	const dense = new Float64Array(buffer, WT.byteOffset + WT.byteLength, width * width);
	const beta = new Float64Array(buffer, dense.byteOffset + dense.byteLength, width);
	const eta = new Float64Array(buffer, beta.byteOffset + beta.byteLength, BLOCK_ROWS);
	startBlocks(T, WT, dense);
	const base = numeric.byteOffset;
	return {
		kind: 'webassembly',
		T,
		WT,
		dense,
		beta,
		eta,
		loadRows: (start, size) => {
			kernel.loadRows(base + 8 * start * q, q, size, T.byteOffset, BLOCK_ROWS);
			// An odd block's pad row was copied from the row after it, which after the design's last
			// row may be a dropped row with empty (NaN) cells: zero times NaN would spoil the sums.
			if (size % 2 === 1) for (let j = 1; j <= q; j++) T[j * BLOCK_ROWS + size] = 0;
		},
		predict: (size) => kernel.predictBlock(T.byteOffset, beta.byteOffset, eta.byteOffset, q + 1, BLOCK_ROWS, even(size)),
		weightColumns: (size) => kernel.weightColumns(WT.byteOffset, T.byteOffset, 1, q + 1, BLOCK_ROWS, even(size)),
		addProducts: (rows, size) => {
			// The pad row of an odd block gets zero weight in every row of the result.
			if (size % 2 === 1) for (let c = 0; c < rows; c++) WT[c * BLOCK_ROWS + size] = 0;
			kernel.addWeightedProducts(WT.byteOffset, T.byteOffset, dense.byteOffset, rows, width, BLOCK_ROWS, even(size));
		},
		addRowProducts: (row, size) => {
			if (size % 2 === 1) WT[row * BLOCK_ROWS + size] = 0;
			kernel.addRowProducts(WT.byteOffset + 8 * row * BLOCK_ROWS, T.byteOffset, dense.byteOffset + 8 * row * width, q + 1, BLOCK_ROWS, even(size));
		},
	};
}

/** The SIMD loops take rows in pairs: an odd block gets one pad row. */
function even(size: number): number {
	return size + (size % 2);
}

/** Zeroes the blocks (padding columns must be zero, and stale values finite) and sets the intercept. */
function startBlocks(T: Float64Array, WT: Float64Array, dense: Float64Array): void {
	T.fill(0);
	WT.fill(0);
	dense.fill(0);
	T.fill(1, 0, BLOCK_ROWS);
}

/** The same loops in JavaScript, for runtimes without WebAssembly. */
function javascriptBlocks(numeric: Float64Array, q: number, width: number): TrainingBlocks {
	const T = new Float64Array(width * BLOCK_ROWS);
	const WT = new Float64Array(width * BLOCK_ROWS);
	const dense = new Float64Array(width * width);
	const beta = new Float64Array(width);
	const eta = new Float64Array(BLOCK_ROWS);
	startBlocks(T, WT, dense);
	return {
		kind: 'javascript',
		T,
		WT,
		dense,
		beta,
		eta,
		loadRows: (start, size) => {
			for (let b = 0; b < size; b++) {
				const base = (start + b) * q;
				for (let j = 0; j < q; j++) T[(1 + j) * BLOCK_ROWS + b] = numeric[base + j];
			}
		},
		predict: (size) => {
			for (let b = 0; b < size; b++) {
				let sum = 0;
				for (let c = 0; c <= q; c++) sum += beta[c] * T[c * BLOCK_ROWS + b];
				eta[b] = sum;
			}
		},
		weightColumns: (size) => {
			for (let j = 1; j <= q; j++) for (let b = 0; b < size; b++) WT[j * BLOCK_ROWS + b] = WT[b] * T[j * BLOCK_ROWS + b];
		},
		addProducts: (rows, size) => addWeightedProducts(dense, rows, width, WT, T, BLOCK_ROWS, size),
		addRowProducts: (row, size) => {
			for (let k = 0; k <= q; k++) {
				let sum = 0;
				for (let b = 0; b < size; b++) sum += WT[row * BLOCK_ROWS + b] * T[k * BLOCK_ROWS + b];
				dense[row * width + k] += sum;
			}
		},
	};
}

/**
 * XᵀWX in JavaScript. Two rows of the result by four columns at a time: eight independent
 * running sums keep the processor's adders busy where one sum would wait on its own previous
 * addition, and each value loaded serves two or four products (about 3× faster in V8 than one
 * dot product at a time).
 */
function addWeightedProducts(dense: Float64Array, rows: number, width: number, WT: Float64Array, T: Float64Array, stride: number, size: number): void {
	for (let j = 0; j < rows; j += 2) {
		const oj = j * stride;
		const oj1 = oj + stride;
		for (let k = 0; k <= j + 1; k += 4) {
			const o0 = k * stride;
			const o1 = o0 + stride;
			const o2 = o1 + stride;
			const o3 = o2 + stride;
			let a0 = 0;
			let a1 = 0;
			let a2 = 0;
			let a3 = 0;
			let b0 = 0;
			let b1 = 0;
			let b2 = 0;
			let b3 = 0;
			for (let r = 0; r < size; r++) {
				const wa = WT[oj + r];
				const wb = WT[oj1 + r];
				const t0 = T[o0 + r];
				const t1 = T[o1 + r];
				const t2 = T[o2 + r];
				const t3 = T[o3 + r];
				a0 += wa * t0;
				a1 += wa * t1;
				a2 += wa * t2;
				a3 += wa * t3;
				b0 += wb * t0;
				b1 += wb * t1;
				b2 += wb * t2;
				b3 += wb * t3;
			}
			const at = j * width + k;
			dense[at] += a0;
			dense[at + 1] += a1;
			dense[at + 2] += a2;
			dense[at + 3] += a3;
			dense[at + width] += b0;
			dense[at + width + 1] += b1;
			dense[at + width + 2] += b2;
			dense[at + width + 3] += b3;
		}
	}
}
