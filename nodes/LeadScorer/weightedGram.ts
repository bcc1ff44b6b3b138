/**
 * The inner kernel of training: XᵀWX (and, through one extra row, the gradient) over blocks of
 * rows. Newton's method spends most of its time here, so it runs as WebAssembly with 128-bit SIMD
 * (weightedGram.wat, two rows per instruction and no bounds checks: about 3× the JavaScript
 * loop below in V8). Where WebAssembly is unavailable (Node started with --jitless) the same
 * loop runs in JavaScript with the same results up to rounding.
 */
import { WEIGHTED_GRAM_WASM } from './weightedGram.wasm';

/** One block of rows column by column, and the d × d sums it is added to. */
export interface GramBlocks {
	/** Which kernel adds the blocks. */
	kind: 'webassembly' | 'javascript';
	/** Weighted columns: column c of row b at c·block + b. */
	WT: Float64Array;
	/** Plain columns, same layout. */
	T: Float64Array;
	/** width × width; the lower triangle (k ≤ j) of row j < rows is the result. */
	dense: Float64Array;
	/** dense[j·width + k] += Σ_{b < size} WT[j·block + b]·T[k·block + b] for j < rows, k ≤ j. */
	addBlock(rows: number, size: number): void;
}

// The part of the WebAssembly API used here (the project's TypeScript libs have no DOM types).
declare const WebAssembly: {
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object) => { exports: unknown };
};

interface GramExports {
	memory: { buffer: ArrayBuffer; grow(pages: number): number };
	addWeightedProducts(wt: number, t: number, dense: number, rows: number, width: number, stride: number, size: number): void;
}

let compiled: GramExports | null | undefined;

/** The WebAssembly kernel, compiled once per process; null where the runtime has none. */
function wasmKernel(): GramExports | null {
	if (compiled === undefined) {
		try {
			const bytes = Buffer.from(WEIGHTED_GRAM_WASM, 'base64');
			compiled = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as GramExports;
		} catch {
			compiled = null; // no WebAssembly (--jitless) or no SIMD: the JavaScript loop below
		}
	}
	return compiled;
}

/**
 * Zeroed blocks of `width` columns × `block` rows (width a multiple of 4, block even). The
 * WebAssembly blocks live in the kernel's one memory, so they are valid until the next call:
 * training is synchronous and asks for them once per pass.
 */
export function gramBlocks(width: number, block: number, useWebAssembly = true): GramBlocks {
	const kernel = useWebAssembly ? wasmKernel() : null;
	if (kernel === null) {
		const WT = new Float64Array(width * block);
		const T = new Float64Array(width * block);
		const dense = new Float64Array(width * width);
		return { kind: 'javascript', WT, T, dense, addBlock: (rows, size) => addWeightedProducts(dense, rows, width, WT, T, block, size) };
	}
	const values = 2 * width * block + width * width;
	const pages = Math.ceil((values * 8) / 65536) - kernel.memory.buffer.byteLength / 65536;
	if (pages > 0) kernel.memory.grow(pages);
	const buffer = kernel.memory.buffer;
	const WT = new Float64Array(buffer, 0, width * block).fill(0);
	const T = new Float64Array(buffer, WT.byteLength, width * block).fill(0);
	const dense = new Float64Array(buffer, 2 * WT.byteLength, width * width).fill(0);
	return {
		kind: 'webassembly',
		WT,
		T,
		dense,
		addBlock: (rows, size) => {
			// The kernel takes rows two at a time: a zero weight pads an odd block.
			if (size % 2 === 1) for (let c = 0; c < rows; c++) WT[c * block + size] = 0;
			kernel.addWeightedProducts(WT.byteOffset, T.byteOffset, dense.byteOffset, rows, width, block, size + (size % 2));
		},
	};
}

/**
 * The same sums in JavaScript. Two rows of the result by four columns at a time: eight
 * independent running sums keep the processor's adders busy where one sum would wait on its own
 * previous addition, and each value loaded serves two or four products (about 3× faster in V8
 * than one dot product at a time).
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
