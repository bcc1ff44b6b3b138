/**
 * The fitted CLV model as one JSON object (the node's "model item"), so a later run can
 * predict without refitting, and the check that turns pasted or passed-on JSON back into it.
 */
import { InputError, describeValue } from '../shared/errors';
import type { ModelFit } from './fitting';
import type { GammaGammaParams } from './gammaGamma';
import type { HoldoutReport } from './holdout';
import type { SpendModel } from './predict';
import { PURCHASE_MODEL_PARAMS, type PurchaseModel, type PurchaseModelType } from './purchaseModels';
import { DAYS_PER_UNIT, type TimeUnit } from './summarize';

export interface ClvModel {
	modelType: 'clvModel';
	version: 1;
	/** Time unit of the parameters (α, β scale with it). */
	unit: TimeUnit;
	observationEnd: string;
	purchaseModel: PurchaseModel;
	spendModel: SpendModel & Partial<ModelFit<GammaGammaParams>> & { correlation?: number | null };
	warnings: string[];
	holdout?: HoldoutReport;
}

function modelError(message: string, value?: unknown): InputError {
	return new InputError(`Model: ${message}${value === undefined ? '' : `, got ${describeValue(value)}`}. Pass the model item of a "Fit & Predict" run.`, {
		field: 'model',
		value,
	});
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readParams(value: unknown, names: readonly string[], where: string): Record<string, number> {
	if (!isRecord(value)) throw modelError(`${where}.params is missing`, value);
	const params: Record<string, number> = {};
	for (const name of names) {
		const v = value[name];
		if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw modelError(`${where}.params.${name} must be a positive number`, v);
		params[name] = v;
	}
	return params;
}

/** Reads a model object (as emitted by Fit & Predict); throws InputError naming what is wrong. */
export function parseClvModel(value: unknown): ClvModel {
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw modelError('is not valid JSON', value);
		}
	}
	if (!isRecord(value)) throw modelError('must be an object', value);
	if (value.modelType !== 'clvModel') throw modelError('modelType must be "clvModel"', value.modelType);
	const unit = value.unit;
	if (typeof unit !== 'string' || !(unit in DAYS_PER_UNIT)) throw modelError('unit must be days, weeks or months', unit);
	const purchase = value.purchaseModel;
	if (!isRecord(purchase)) throw modelError('purchaseModel is missing', purchase);
	const type = purchase.type;
	if (typeof type !== 'string' || !(type in PURCHASE_MODEL_PARAMS)) throw modelError('purchaseModel.type must be bgNbd, paretoNbd or mbgNbd', type);
	if (purchase.converged === false) throw modelError('the purchase model did not converge, refit it', purchase.converged);
	const purchaseParams = readParams(purchase.params, PURCHASE_MODEL_PARAMS[type as PurchaseModelType], 'purchaseModel');
	const spend = value.spendModel;
	if (!isRecord(spend) || spend.type !== 'gammaGamma') throw modelError('spendModel.type must be gammaGamma', isRecord(spend) ? spend.type : spend);
	const spendParams = readParams(spend.params, ['p', 'q', 'v'], 'spendModel');
	return {
		...(value as unknown as ClvModel),
		unit: unit as TimeUnit,
		purchaseModel: { ...(purchase as object), type, params: purchaseParams } as unknown as PurchaseModel,
		spendModel: { ...(spend as object), type: 'gammaGamma', params: spendParams as unknown as GammaGammaParams },
		warnings: Array.isArray(value.warnings) ? (value.warnings as string[]) : [],
	};
}
