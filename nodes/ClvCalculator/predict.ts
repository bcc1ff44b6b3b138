/**
 * Customer lifetime value from a purchase model and a spend model, with lifetimes'
 * customer_lifetime_value definition: over months i = 1..horizon,
 *   CLV = Σ margin · expectedSpend · (E[purchases by month i] − E[purchases by month i−1]) / (1 + d)^i,
 * a month being 30 days expressed in the model's time unit (30 days, 30/7 weeks, 1 month).
 * (lifetimes uses 4.345 weeks per month for freq 'W'; we use 30 days in every unit so the
 * answer does not depend on the unit chosen.)
 */
import { InputError, describeValue } from '../shared/errors';
import { checkHistory, type PurchaseHistory } from './customers';
import { gammaGammaExpectedSpend, type GammaGammaParams, type SpendHistory } from './gammaGamma';
import { conditionalExpectedPurchases, probabilityAlive, type PurchaseModel } from './purchaseModels';
import { DAYS_PER_UNIT, type TimeUnit } from './summarize';

export interface SpendModel {
	type: 'gammaGamma';
	params: GammaGammaParams;
}

export interface ClvCustomer extends PurchaseHistory, SpendHistory {
	customerId: string | number;
}

export interface PredictOptions {
	/** Months ahead (whole number ≥ 1). */
	horizon: number;
	/** Time unit of the customers' recency and T, and of the models. */
	unit: TimeUnit;
	/** Monthly discount rate, e.g. 0.01. */
	discountRate: number;
	/** Profit margin applied to spend (0–1], default 1 (CLV in revenue). */
	margin?: number;
}

export interface ClvPrediction {
	customerId: string | number;
	pAlive: number;
	/** Expected purchases over the horizon. */
	expectedPurchases: number;
	/** Expected spend per purchase (null when the spend model has no finite mean). */
	expectedSpend: number | null;
	clv: number | null;
}

/** Throws when the prediction options cannot be used. */
export function checkPredictOptions(options: PredictOptions): void {
	const { horizon, unit, discountRate, margin = 1 } = options;
	if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1200) {
		throw new InputError(`Horizon must be a whole number of months between 1 and 1200, got ${describeValue(horizon)}`, { field: 'horizon', value: horizon });
	}
	if (!(unit in DAYS_PER_UNIT)) throw new InputError(`Time unit must be days, weeks or months, got ${describeValue(unit)}`, { field: 'unit', value: unit });
	if (typeof discountRate !== 'number' || !(discountRate >= 0 && discountRate < 1)) {
		throw new InputError(`Monthly discount rate must be between 0 and 1 (e.g. 0.01), got ${describeValue(discountRate)}`, { field: 'discountRate', value: discountRate });
	}
	if (typeof margin !== 'number' || !(margin > 0 && margin <= 1)) {
		throw new InputError(`Margin must be a fraction between 0 and 1 (e.g. 0.3 for 30%), got ${describeValue(margin)}`, { field: 'margin', value: margin });
	}
}

/** Length of a month (30 days) in the given time unit. */
export function monthLength(unit: TimeUnit): number {
	return 30 / DAYS_PER_UNIT[unit];
}

/** Predicts one customer (the row number is for error messages). */
export function predictCustomer(
	models: { purchaseModel: PurchaseModel; spendModel: SpendModel },
	customer: ClvCustomer,
	options: PredictOptions,
	row = 0,
): ClvPrediction {
	checkHistory(customer, row);
	const step = monthLength(options.unit);
	const margin = options.margin ?? 1;
	const expectedSpend = gammaGammaExpectedSpend(models.spendModel.params, customer);
	let previous = 0;
	let clv = 0;
	for (let i = 1; i <= options.horizon; i++) {
		const cumulative = conditionalExpectedPurchases(models.purchaseModel, customer, i * step);
		clv += (cumulative - previous) / Math.pow(1 + options.discountRate, i);
		previous = cumulative;
	}
	const pAlive = probabilityAlive(models.purchaseModel, customer);
	if (!Number.isFinite(pAlive) || !Number.isFinite(previous) || !Number.isFinite(clv)) {
		throw new InputError(`Customer ${row}: the model gives no finite prediction for this history (frequency ${customer.frequency}, recency ${customer.recency}, T ${customer.T})`, {
			row,
			field: 'frequency',
			value: customer.frequency,
		});
	}
	return {
		customerId: customer.customerId,
		pAlive,
		expectedPurchases: previous,
		expectedSpend,
		clv: expectedSpend === null ? null : clv * expectedSpend * margin,
	};
}

/** CLV per customer (see the module comment for the definition). */
export function predictClv(
	models: { purchaseModel: PurchaseModel; spendModel: SpendModel },
	customers: readonly ClvCustomer[],
	options: PredictOptions,
): ClvPrediction[] {
	checkPredictOptions(options);
	return customers.map((customer, row) => predictCustomer(models, customer, options, row));
}
