/**
 * How good are predicted probabilities against known outcomes: ranking (AUC), probability
 * quality (log-loss, Brier score), decisions at a threshold (accuracy, precision, recall) and
 * calibration by decile. Undefined metrics (e.g. precision when nothing is predicted won)
 * are null with a warning, never NaN.
 */
import { InputError, describeValue } from '../shared/errors';

export interface CalibrationBin {
	/** 1 = lowest tenth of predicted probabilities. */
	decile: number;
	count: number;
	meanPredicted: number;
	observedRate: number;
	minProbability: number;
	maxProbability: number;
}

export interface BinaryEvaluation {
	count: number;
	positives: number;
	/** Area under the ROC curve = Mann–Whitney U / (n₊ n₋), ties counted half. Null with one class. */
	auc: number | null;
	/** Mean −[y log p + (1 − y) log(1 − p)], p clipped to [1e-15, 1 − 1e-15] (as scikit-learn does). */
	logLoss: number;
	/** Mean (p − y)² (Brier 1950). */
	brier: number;
	threshold: number;
	accuracy: number;
	precision: number | null;
	recall: number | null;
	calibration: CalibrationBin[];
	warnings: string[];
}

function checkInputs(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): void {
	if (labels.length !== probabilities.length) {
		throw new InputError(`labels (${labels.length}) and probabilities (${probabilities.length}) differ in length`);
	}
	if (labels.length === 0) throw new InputError('Nothing to evaluate: no labels');
	if (!(threshold >= 0 && threshold <= 1)) {
		throw new InputError(`threshold must be between 0 and 1, got ${describeValue(threshold)}`, { field: 'threshold', value: threshold });
	}
	for (let i = 0; i < labels.length; i++) {
		if (labels[i] !== 0 && labels[i] !== 1) {
			throw new InputError(`Item ${i}: label must be 0 or 1, got ${describeValue(labels[i])}`, { row: i, field: 'label', value: labels[i] });
		}
		const p = probabilities[i];
		if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
			throw new InputError(`Item ${i}: probability must be between 0 and 1, got ${describeValue(p)}`, { row: i, field: 'probability', value: p });
		}
	}
}

/** Indices sorted by probability, ascending. */
function orderByProbability(probabilities: ArrayLike<number>): Int32Array {
	const order = new Int32Array(probabilities.length);
	for (let i = 0; i < order.length; i++) order[i] = i;
	return order.sort((a, b) => probabilities[a] - probabilities[b]);
}

/** AUC from midranks (Mann & Whitney 1947; Hanley & McNeil 1982, eq. 1): ties count ½. */
export function areaUnderCurve(labels: ArrayLike<number>, probabilities: ArrayLike<number>, order = orderByProbability(probabilities)): number | null {
	let positives = 0;
	for (let i = 0; i < labels.length; i++) positives += labels[i];
	const negatives = labels.length - positives;
	if (positives === 0 || negatives === 0) return null;
	let rankSumPositives = 0;
	for (let start = 0; start < order.length; ) {
		let end = start;
		while (end + 1 < order.length && probabilities[order[end + 1]] === probabilities[order[start]]) end++;
		const midrank = (start + end) / 2 + 1;
		for (let k = start; k <= end; k++) if (labels[order[k]] === 1) rankSumPositives += midrank;
		start = end + 1;
	}
	return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Ten bins of (nearly) equal size by predicted probability; fewer when there are < 10 rows. */
function calibrationByDecile(labels: ArrayLike<number>, probabilities: ArrayLike<number>, order: Int32Array): CalibrationBin[] {
	const n = order.length;
	const bins = Math.min(10, n);
	const result: CalibrationBin[] = [];
	for (let b = 0; b < bins; b++) {
		const start = Math.floor((b * n) / bins);
		const end = Math.floor(((b + 1) * n) / bins);
		let predicted = 0;
		let observed = 0;
		for (let k = start; k < end; k++) {
			predicted += probabilities[order[k]];
			observed += labels[order[k]];
		}
		const count = end - start;
		result.push({
			decile: b + 1,
			count,
			meanPredicted: predicted / count,
			observedRate: observed / count,
			minProbability: probabilities[order[start]],
			maxProbability: probabilities[order[end - 1]],
		});
	}
	return result;
}

/**
 * Evaluates probabilities against 0/1 labels. A lead counts as predicted won when its
 * probability is at least `threshold` (default 0.5).
 */
export function evaluateBinary(
	labels: ArrayLike<number>,
	probabilities: ArrayLike<number>,
	options: { threshold?: number } = {},
): BinaryEvaluation {
	const threshold = options.threshold ?? 0.5;
	checkInputs(labels, probabilities, threshold);
	const n = labels.length;
	const warnings: string[] = [];
	let positives = 0;
	let logLoss = 0;
	let brier = 0;
	let truePositives = 0;
	let falsePositives = 0;
	let trueNegatives = 0;
	const epsilon = 1e-15;
	for (let i = 0; i < n; i++) {
		const y = labels[i];
		const p = probabilities[i];
		positives += y;
		const clipped = Math.min(1 - epsilon, Math.max(epsilon, p));
		logLoss -= y === 1 ? Math.log(clipped) : Math.log(1 - clipped);
		brier += (p - y) * (p - y);
		const predictedWon = p >= threshold;
		if (predictedWon && y === 1) truePositives++;
		else if (predictedWon) falsePositives++;
		else if (y === 0) trueNegatives++;
	}
	const order = orderByProbability(probabilities);
	const auc = areaUnderCurve(labels, probabilities, order);
	if (auc === null) warnings.push('AUC is undefined: the labels contain only one class');
	const precision = truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : null;
	if (precision === null) warnings.push(`Precision is undefined: no lead has a probability of at least ${threshold}`);
	const recall = positives > 0 ? truePositives / positives : null;
	if (recall === null) warnings.push('Recall is undefined: there are no won leads');
	return {
		count: n,
		positives,
		auc,
		logLoss: logLoss / n,
		brier: brier / n,
		threshold,
		accuracy: (truePositives + trueNegatives) / n,
		precision,
		recall,
		calibration: calibrationByDecile(labels, probabilities, order),
		warnings,
	};
}
