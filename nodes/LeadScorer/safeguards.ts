/**
 * The checks that keep a fit honest: collinear columns (dropped, like R's NA coefficients),
 * perfect or quasi-perfect separation (the maximum-likelihood estimate does not exist;
 * Albert & Anderson 1984), and variance inflation. Each finding comes back as data and a
 * sentence for the fit report.
 */
import { dependentColumnsInOrder, invertSymmetricPositiveDefinite } from '../shared/linalg';
import type { Design } from './design';
import { accumulate } from './irls';

/**
 * Columns that can be estimated given the rows with a non-zero prior weight. `gram` is XᵀWX
 * for any positive weights proportional to the prior (the first Newton pass gives one).
 */
export function findAliasedColumns(design: Design, prior: Float64Array, gram = accumulate(design, new Float64Array(design.columnNames.length), prior, true).hessian): { active: boolean[]; aliased: number[]; gram: Float64Array } {
	const p = design.columnNames.length;
	// Relative tolerance 1e-10 on squared norms: a column whose part not explained by the
	// earlier columns is below 1e-5 of its length counts as a combination of them.
	const report = dependentColumnsInOrder(gram, p, 1e-10);
	const active = new Array<boolean>(p).fill(true);
	for (const column of report.dependent) active[column] = false;
	return { active, aliased: report.dependent, gram };
}

/**
 * Variance inflation factors of the active columns (Marquardt 1970): diagonal of the inverse
 * correlation matrix of the centered columns. Null where it cannot be computed.
 */
export function varianceInflation(gram: Float64Array, p: number, active: boolean[]): (number | null)[] {
	const columns = active.map((on, j) => (on && j > 0 ? j : -1)).filter((j) => j > 0);
	const m = columns.length;
	const result = new Array<number | null>(p).fill(null);
	if (m < 2) return result;
	const total = gram[0];
	const centered = new Float64Array(m * m);
	for (let a = 0; a < m; a++) {
		for (let b = 0; b < m; b++) {
			const j = columns[a];
			const k = columns[b];
			centered[a * m + b] = gram[j * p + k] - (gram[j * p] * gram[k * p]) / total;
		}
	}
	const scale = new Float64Array(m);
	for (let a = 0; a < m; a++) scale[a] = Math.sqrt(centered[a * m + a]);
	for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) centered[a * m + b] /= scale[a] * scale[b];
	try {
		const inverse = invertSymmetricPositiveDefinite(centered, m);
		for (let a = 0; a < m; a++) result[columns[a]] = inverse[a * m + a];
	} catch {
		// Singular after aliasing is impossible in exact arithmetic; leave the VIFs unknown.
	}
	return result;
}

export interface SeparatedColumn {
	/** Column name (numeric field or `field=level`). */
	name: string;
	/** Plain-words explanation, e.g. 'all 4 rows with source=referral are won'. */
	detail: string;
}

/**
 * Single-feature separation, found exactly from the data: a level whose rows are all won
 * (or all lost), or a numeric field whose won and lost ranges do not overlap (touching
 * ranges = quasi-complete separation). Either makes the estimate run off to infinity.
 */
export function findSeparatedColumns(design: Design, prior: Float64Array): SeparatedColumn[] {
	const n = design.rowCount;
	const q = design.numericFields.length;
	const y = design.outcome;
	const found: SeparatedColumn[] = [];
	for (let j = 0; j < q; j++) {
		const sd = design.standardDeviations[j];
		const mean = design.means[j];
		let min0 = Infinity;
		let max0 = -Infinity;
		let min1 = Infinity;
		let max1 = -Infinity;
		for (let r = 0; r < n; r++) {
			if (prior[r] === 0) continue;
			const x = design.numeric[r * q + j];
			if (y[r] === 1) {
				if (x < min1) min1 = x;
				if (x > max1) max1 = x;
			} else {
				if (x < min0) min0 = x;
				if (x > max0) max0 = x;
			}
		}
		if (min0 === max0 && min1 === max1 && min0 === min1) continue; // constant: aliased, not separating
		const field = design.numericFields[j];
		const original = (z: number) => Math.round((z * sd + mean) * 1e6) / 1e6;
		if (max0 <= min1) found.push({ name: field, detail: `every won lead has ${field} >= ${original(min1)} and every lost lead ${field} <= ${original(max0)}` });
		else if (max1 <= min0) found.push({ name: field, detail: `every lost lead has ${field} >= ${original(min0)} and every won lead ${field} <= ${original(max1)}` });
	}
	for (const factor of design.factors) {
		const won = new Float64Array(factor.levels.length);
		const rows = new Float64Array(factor.levels.length);
		for (let r = 0; r < n; r++) {
			if (prior[r] === 0) continue;
			rows[factor.codes[r]]++;
			won[factor.codes[r]] += y[r];
		}
		factor.levels.forEach((level, l) => {
			if (rows[l] === 0 || (won[l] > 0 && won[l] < rows[l])) return;
			const name = `${factor.field}=${level}`;
			found.push({ name, detail: `all ${rows[l]} rows with ${name} are ${won[l] > 0 ? 'won' : 'lost'}` });
		});
	}
	return found;
}
