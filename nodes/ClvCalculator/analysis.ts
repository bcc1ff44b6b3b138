/**
 * The node's two model operations as plain functions: from order rows to per-customer
 * predictions (P(alive), expected purchases and spend, CLV, RFM scores, segment) plus the
 * fitted model, and predictions from a previously fitted model.
 */
import { InputError } from '../shared/errors';
import { MS_PER_DAY, toIsoDate, type DateFormat } from '../shared/dates';
import type { FitOptions } from './fitting';
import { fitGammaGamma } from './gammaGamma';
import { holdoutReport } from './holdout';
import type { ClvModel } from './model';
import { predictCustomer, checkPredictOptions, type ClvPrediction, type PredictOptions } from './predict';
import { fitPurchaseModel, type PurchaseModel, type PurchaseModelType } from './purchaseModels';
import { rfmScores, segmentOf, type RfmScores, type Segment } from './segments';
import { observationEndDay, parseSettingDay, readOrderLog, summarizeOrderLog, type CustomerSummary } from './summarize';

export interface OrderFields {
	customerId: string;
	date: string;
	amount: string;
	dateFormat?: DateFormat;
	/** Default: the last order date. */
	observationEnd?: unknown;
}

export interface FitAndPredictOptions extends OrderFields, PredictOptions, FitOptions {
	purchaseModel?: PurchaseModelType;
	/** When set, fit on orders up to this date and report expected vs actual purchases after it. */
	calibrationEnd?: unknown;
}

export interface CustomerResult extends Omit<CustomerSummary, 'totalSpent' | 'orders'>, ClvPrediction, RfmScores {
	segment: Segment;
	actualHoldoutPurchases?: number;
	expectedHoldoutPurchases?: number;
}

function requireConverged(fit: { converged: boolean; warnings: string[] }, what: string): void {
	if (!fit.converged) {
		throw new InputError(`The ${what} fit did not converge: ${fit.warnings.join('; ')}. Try a penalizer (e.g. 0.001) or check the order data.`, {
			field: 'penalizer',
		});
	}
}

/** Predictions, scores and segments for summarized customers. */
function scoreCustomers(models: { purchaseModel: PurchaseModel; spendModel: ClvModel['spendModel'] }, customers: CustomerSummary[], options: PredictOptions): CustomerResult[] {
	const predictions = customers.map((c, row) => predictCustomer(models, c, options, row));
	const scores = rfmScores(customers.map((c, i) => ({ ...c, ...predictions[i] })));
	return customers.map((c, i) => {
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { totalSpent, orders, ...summary } = c;
		return { ...summary, ...predictions[i], ...scores[i], segment: segmentOf(predictions[i].pAlive, scores[i]) };
	});
}

/** Summarize → fit purchase + spend models → predict, score and segment every customer. */
export function fitAndPredict(rows: readonly Record<string, unknown>[], options: FitAndPredictOptions): { customers: CustomerResult[]; model: ClvModel } {
	checkPredictOptions(options);
	const log = readOrderLog(rows, options);
	const lastDay = observationEndDay(log, options.observationEnd);
	const hasHoldout = options.calibrationEnd !== undefined && options.calibrationEnd !== null && options.calibrationEnd !== '';
	const fitEndDay = hasHoldout ? parseSettingDay(options.calibrationEnd, 'calibrationEnd') : lastDay;
	const customers = summarizeOrderLog(log, fitEndDay, options.unit, false, hasHoldout ? 'ignore' : 'error', options.date);
	if (customers.length === 0) throw new InputError('No orders on or before the calibration end', { field: 'calibrationEnd' });
	const fitOptions = { penalizer: options.penalizer, maxIterations: options.maxIterations };
	const purchaseModel = fitPurchaseModel(options.purchaseModel ?? 'bgNbd', customers, fitOptions);
	requireConverged(purchaseModel as { converged: boolean; warnings: string[] }, 'purchase model');
	const spendFit = fitGammaGamma(customers, fitOptions);
	requireConverged(spendFit, 'spend model (Gamma-Gamma)');
	const spendModel = { type: 'gammaGamma' as const, ...spendFit };
	const results = scoreCustomers({ purchaseModel, spendModel }, customers, options);
	const model: ClvModel = {
		modelType: 'clvModel',
		version: 1,
		unit: options.unit,
		observationEnd: toIsoDate(fitEndDay * MS_PER_DAY),
		purchaseModel,
		spendModel,
		warnings: [...(purchaseModel.warnings ?? []), ...spendFit.warnings],
	};
	if (hasHoldout) {
		const { report, expected, actual } = holdoutReport(purchaseModel, log, customers, fitEndDay, lastDay, options.unit);
		model.holdout = report;
		results.forEach((r, i) => {
			r.expectedHoldoutPurchases = expected[i];
			r.actualHoldoutPurchases = actual[i];
		});
	}
	return { customers: results, model };
}

/** Summarize the orders and predict with an already fitted model (no refit). */
export function predictWithModel(
	rows: readonly Record<string, unknown>[],
	model: ClvModel,
	options: OrderFields & Omit<PredictOptions, 'unit'>,
): CustomerResult[] {
	const predictOptions = { ...options, unit: model.unit };
	checkPredictOptions(predictOptions);
	const log = readOrderLog(rows, options);
	const customers = summarizeOrderLog(log, observationEndDay(log, options.observationEnd), model.unit, false, 'error', options.date);
	return scoreCustomers(model, customers, predictOptions);
}
