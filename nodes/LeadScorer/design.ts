/**
 * Turns lead rows into the model's design: an outcome vector, standardized numeric columns
 * (row-major Float64Array) and categorical fields kept as level codes rather than dense
 * one-hot columns (a 10-level field costs one Int32 per row, not nine doubles).
 *
 * Conventions follow R's glm: a categorical field gets one 0/1 column per level except the
 * baseline, which is the first level in sorted order (numeric order when every level is a
 * number, otherwise code-point order); columns are named `field=level`.
 */
import { InputError, describeValue } from '../shared/errors';
import { allocateNumeric } from './trainingKernel';
import { isMissing, readLevel, readNumber, readOutcome, type LeadRow, type OutcomeValues } from './values';

/** What to do with an empty feature cell. */
export type MissingPolicy = 'drop' | 'imputeMean' | 'ownCategory';

export const MISSING_LEVEL = '(missing)';

export interface DesignSpec {
	/** Outcome field: 1/0, true/false, yes/no, won/lost or the configured values. */
	target: string;
	/** Feature fields; those also listed in `categorical` are one-hot encoded, the rest are numbers. */
	features: string[];
	/** Categorical fields (may or may not be repeated in `features`). */
	categorical?: string[];
	/** drop (default): skip rows with an empty feature; imputeMean: training mean (most frequent
	 * level for categories); ownCategory: a `field=(missing)` column. */
	missing?: MissingPolicy;
	outcomeValues?: OutcomeValues;
}

/** A categorical field (or a numeric field's missing-value indicator) as level codes. */
export interface Factor {
	field: string;
	/** Levels in column order; levels[0] is the baseline (no column). */
	levels: string[];
	/** Level index per row. */
	codes: Int32Array;
	/** Column of levels[1] in the full design (intercept = column 0). */
	firstColumn: number;
	/** True for the `field=(missing)` indicator of a numeric field (policy ownCategory). */
	missingIndicator: boolean;
	/** Share of training rows at each level (for "compared with an average lead" reasons). */
	shares: number[];
}

export interface Design {
	rowCount: number;
	/** Item index (0-based, in the input) of each design row. Rows are grouped by the first
	 * factor's level, in input order within a level. */
	sourceRows: Int32Array;
	outcome: Float64Array;
	numericFields: string[];
	/** rowCount x numericFields.length, standardized: (x - mean) / standardDeviation. */
	numeric: Float64Array;
	means: Float64Array;
	/** Population standard deviations; 1 where a field is constant (then the column is all zero). */
	standardDeviations: Float64Array;
	factors: Factor[];
	/** '(Intercept)', numeric fields, then `field=level` columns. */
	columnNames: string[];
	/** Fields that were constant in the training rows (they cannot be estimated). */
	constantFields: string[];
	missingPolicy: MissingPolicy;
	/** Empty cells per feature field. */
	missingCounts: Record<string, number>;
	/** Rows dropped for an empty feature (policy drop). */
	rowsDropped: number;
	/** Rows skipped because the outcome is empty (open leads). */
	rowsWithoutOutcome: number;
}

/** Sort levels like R's factor(): numerically when all are numbers, else by code point. */
export function sortLevels(levels: string[]): string[] {
	const numeric = levels.every((level) => level !== '' && Number.isFinite(Number(level)));
	return [...levels].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

function checkSpec(rows: LeadRow[], spec: DesignSpec): { numericFields: string[]; categoricalFields: string[] } {
	if (!Array.isArray(rows) || rows.length === 0) throw new InputError('No rows to train on: the input is empty');
	if (typeof spec.target !== 'string' || spec.target === '') throw new InputError('The outcome field name is empty');
	const categorical = spec.categorical ?? [];
	const categoricalFields = [...spec.features.filter((f) => categorical.includes(f)), ...categorical.filter((f) => !spec.features.includes(f))];
	const numericFields = spec.features.filter((f) => !categorical.includes(f));
	const all = [...numericFields, ...categoricalFields];
	if (all.length === 0) throw new InputError('No feature fields given');
	const seen = new Set<string>();
	for (const field of all) {
		if (typeof field !== 'string' || field === '') throw new InputError(`A feature field name is empty: ${describeValue(field)}`);
		if (seen.has(field)) throw new InputError(`Feature field "${field}" is listed twice`, { field });
		if (field === spec.target) throw new InputError(`Field "${field}" is both the outcome and a feature`, { field });
		seen.add(field);
	}
	return { numericFields, categoricalFields };
}

/**
 * Moves the first `used` rows so that `key`'s levels come in order, keeping the input order
 * within a level (a stable counting sort). The numeric block is permuted in place, one cycle of
 * the permutation at a time, so no second copy of it is ever made.
 */
function groupRowsByLevel(key: Factor, factors: Factor[], numeric: Float64Array, q: number, outcome: Float64Array, sourceRows: Int32Array, used: number): void {
	const next = new Int32Array(key.levels.length + 1);
	for (let r = 0; r < used; r++) next[key.codes[r] + 1]++;
	for (let l = 1; l <= key.levels.length; l++) next[l] += next[l - 1];
	const destination = new Int32Array(used);
	for (let r = 0; r < used; r++) destination[r] = next[key.codes[r]]++;
	const move = <T extends Float64Array | Int32Array>(values: T) => {
		const moved = values.slice(0, used) as T;
		for (let r = 0; r < used; r++) moved[destination[r]] = values[r];
		values.set(moved);
	};
	move(outcome);
	move(sourceRows);
	for (const factor of factors) move(factor.codes);
	let carried = new Float64Array(q);
	let displaced = new Float64Array(q);
	const placed = new Uint8Array(used);
	for (let start = 0; start < used; start++) {
		if (placed[start] || destination[start] === start) continue;
		// Carry row `start` to its destination, pick up the row there, carry that one on, and so on
		// until the cycle comes back to `start`.
		carried.set(numeric.subarray(start * q, start * q + q));
		let r = start;
		do {
			const to = destination[r];
			displaced.set(numeric.subarray(to * q, to * q + q));
			numeric.set(carried, to * q);
			[carried, displaced] = [displaced, carried];
			placed[to] = 1;
			r = to;
		} while (r !== start);
	}
}

/** Builds the design from rows. Throws InputError on bad cells, naming item, field and value. */
export function buildDesign(rows: LeadRow[], spec: DesignSpec): Design {
	const { numericFields, categoricalFields } = checkSpec(rows, spec);
	const policy = spec.missing ?? 'drop';
	const q = numericFields.length;
	const total = rows.length;

	// Pass 1: parse every cell, one field at a time. Numeric cells go straight into the
	// row-major matrix (NaN = empty).
	for (let i = 0; i < total; i++) {
		const row = rows[i];
		if (row === null || typeof row !== 'object') {
			throw new InputError(`Item ${i} is not an object: ${describeValue(row)}`, { row: i, value: row });
		}
	}
	const outcome = new Float64Array(total);
	const sourceRows = new Int32Array(total);
	let used = 0;
	let rowsWithoutOutcome = 0;
	const target = spec.target;
	for (let i = 0; i < total; i++) {
		const y = readOutcome(rows[i][target], i, target, spec.outcomeValues);
		if (y === null) {
			rowsWithoutOutcome++;
			continue;
		}
		outcome[used] = y;
		sourceRows[used++] = i;
	}
	// In the training kernel's memory, where its WebAssembly loops read the rows (trainingKernel.ts).
	const numeric = allocateNumeric(used, q);
	const missingCounts: Record<string, number> = {};
	for (const field of numericFields) missingCounts[field] = 0;
	// Blocks of rows keep the strided writes into the row-major matrix inside the CPU cache.
	const BLOCK = 2048;
	for (let start = 0; start < used; start += BLOCK) {
		const end = Math.min(used, start + BLOCK);
		for (let j = 0; j < q; j++) {
			const field = numericFields[j];
			for (let r = start; r < end; r++) {
				const value = rows[sourceRows[r]][field];
				if (typeof value === 'number' && Number.isFinite(value)) numeric[r * q + j] = value;
				else if (isMissing(value)) {
					numeric[r * q + j] = NaN;
					missingCounts[field]++;
				} else numeric[r * q + j] = readNumber(value, sourceRows[r], field);
			}
		}
	}
	const rawCodes = categoricalFields.map(() => new Int32Array(used));
	const levelIds = categoricalFields.map(() => new Map<string, number>());
	for (let f = 0; f < categoricalFields.length; f++) {
		const field = categoricalFields[f];
		const codes = rawCodes[f];
		const ids = levelIds[f];
		let missing = 0;
		for (let r = 0; r < used; r++) {
			const value = rows[sourceRows[r]][field];
			if (isMissing(value)) {
				codes[r] = -1;
				missing++;
				continue;
			}
			const level = readLevel(value, sourceRows[r], field);
			let id = ids.get(level);
			if (id === undefined) {
				id = ids.size;
				ids.set(level, id);
			}
			codes[r] = id;
		}
		missingCounts[field] = missing;
	}

	// A field empty in every row is almost always a misspelt field name: say so before anything else.
	if (used > 0) {
		for (const field of [...numericFields, ...categoricalFields]) {
			if (missingCounts[field] === used) throw new InputError(`Field "${field}" is empty in every row with an outcome: check the field name`, { field });
		}
	}

	// Pass 2 (policy drop): compact away rows with an empty feature.
	let rowsDropped = 0;
	if (policy === 'drop') {
		let kept = 0;
		for (let r = 0; r < used; r++) {
			let complete = true;
			for (let j = 0; j < q && complete; j++) if (Number.isNaN(numeric[r * q + j])) complete = false;
			for (let f = 0; f < rawCodes.length && complete; f++) if (rawCodes[f][r] < 0) complete = false;
			if (!complete) continue;
			if (kept !== r) {
				numeric.copyWithin(kept * q, r * q, r * q + q);
				outcome[kept] = outcome[r];
				sourceRows[kept] = sourceRows[r];
				for (const codes of rawCodes) codes[kept] = codes[r];
			}
			kept++;
		}
		rowsDropped = used - kept;
		used = kept;
	}
	if (used === 0) {
		throw new InputError(
			rowsWithoutOutcome === total
				? `No row has an outcome in field "${spec.target}"`
				: `No complete rows left: all ${rowsDropped} rows with an outcome have an empty feature (missing-value policy "drop")`,
			{ field: spec.target },
		);
	}

	// Means from the observed values; empty cells are imputed with them (imputeMean, ownCategory).
	// All passes below walk the matrix row by row (cache-friendly) with per-column accumulators.
	const factors: Factor[] = [];
	const observedSum = new Float64Array(q);
	const observedCount = new Float64Array(q);
	for (let r = 0; r < used; r++) {
		const base = r * q;
		for (let j = 0; j < q; j++) {
			const value = numeric[base + j];
			if (value === value) {
				observedSum[j] += value;
				observedCount[j]++;
			}
		}
	}
	for (let j = 0; j < q; j++) {
		if (observedCount[j] === 0) throw new InputError(`Field "${numericFields[j]}" is empty in every row`, { field: numericFields[j] });
		if (observedCount[j] === used) continue;
		const mean = observedSum[j] / observedCount[j];
		const missingCodes = new Int32Array(used);
		for (let r = 0; r < used; r++) {
			if (Number.isNaN(numeric[r * q + j])) {
				numeric[r * q + j] = mean;
				missingCodes[r] = 1;
			}
		}
		if (policy === 'ownCategory') {
			factors.push({ field: numericFields[j], levels: ['(present)', MISSING_LEVEL], codes: missingCodes, firstColumn: 0, missingIndicator: true, shares: [] });
		}
	}
	// Standardize in place with the final column means (two-pass variance for accuracy).
	const means = new Float64Array(q);
	const standardDeviations = new Float64Array(q);
	const squares = new Float64Array(q);
	for (let r = 0; r < used; r++) for (let j = 0; j < q; j++) means[j] += numeric[r * q + j];
	for (let j = 0; j < q; j++) means[j] /= used;
	for (let r = 0; r < used; r++) {
		const base = r * q;
		for (let j = 0; j < q; j++) {
			const d = numeric[base + j] - means[j];
			squares[j] += d * d;
		}
	}
	const constantFields: string[] = [];
	const inverseSd = new Float64Array(q);
	for (let j = 0; j < q; j++) {
		let sd = Math.sqrt(squares[j] / used);
		if (!(sd > 1e-12 * Math.max(1, Math.abs(means[j])))) {
			sd = 1;
			constantFields.push(numericFields[j]);
		}
		standardDeviations[j] = sd;
		inverseSd[j] = 1 / sd;
	}
	for (let r = 0; r < used; r++) {
		const base = r * q;
		for (let j = 0; j < q; j++) numeric[base + j] = (numeric[base + j] - means[j]) * inverseSd[j];
	}

	// Categorical fields: sort levels, remap codes, handle empty cells.
	for (let f = 0; f < categoricalFields.length; f++) {
		const field = categoricalFields[f];
		const seenLevels = [...levelIds[f].keys()];
		const sorted = sortLevels(seenLevels);
		const raw = rawCodes[f];
		const counts = new Array<number>(seenLevels.length).fill(0);
		let missing = 0;
		for (let r = 0; r < used; r++) {
			if (raw[r] >= 0) counts[raw[r]]++;
			else missing++;
		}
		if (seenLevels.length === 0) throw new InputError(`Field "${field}" is empty in every row`, { field });
		const levels = [...sorted];
		const position = new Int32Array(seenLevels.length);
		seenLevels.forEach((level, id) => (position[id] = sorted.indexOf(level)));
		let missingCode = -1;
		if (missing > 0 && policy === 'ownCategory') {
			missingCode = levels.length;
			levels.push(MISSING_LEVEL);
		} else if (missing > 0) {
			// imputeMean for a category: the most frequent level (first in sorted order on ties).
			let best = 0;
			for (let id = 1; id < counts.length; id++) {
				if (counts[id] > counts[best] || (counts[id] === counts[best] && position[id] < position[best])) best = id;
			}
			missingCode = position[best];
		}
		const codes = new Int32Array(used);
		for (let r = 0; r < used; r++) codes[r] = raw[r] >= 0 ? position[raw[r]] : missingCode;
		factors.push({ field, levels, codes, firstColumn: 0, missingIndicator: false, shares: [] });
	}

	// Column layout: intercept, numeric fields, then each factor's non-baseline levels.
	const columnNames = ['(Intercept)', ...numericFields];
	for (const factor of factors) {
		factor.firstColumn = columnNames.length;
		for (let l = 1; l < factor.levels.length; l++) columnNames.push(`${factor.field}=${factor.levels[l]}`);
		const counts = new Array<number>(factor.levels.length).fill(0);
		for (let r = 0; r < used; r++) counts[factor.codes[r]]++;
		factor.shares = counts.map((c) => c / used);
	}

	// Rows grouped by the first factor's level (input order within a level): training then sums
	// each level's rows as one run instead of row by row (irls.ts).
	if (factors.length > 0) groupRowsByLevel(factors[0], factors, numeric, q, outcome, sourceRows, used);

	return {
		rowCount: used,
		sourceRows: sourceRows.slice(0, used),
		outcome: outcome.slice(0, used),
		numericFields,
		numeric: used * q === numeric.length ? numeric : numeric.subarray(0, used * q),
		means,
		standardDeviations,
		factors,
		columnNames,
		constantFields,
		missingPolicy: policy,
		missingCounts,
		rowsDropped,
		rowsWithoutOutcome,
	};
}
