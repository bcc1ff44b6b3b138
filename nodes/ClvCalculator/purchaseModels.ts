/**
 * The three purchase models behind one interface: P(alive) and expected purchases, given a
 * fitted model and a customer's history. Used by predictClv and the holdout report.
 */
import {
	bgNbdConditionalExpectedPurchases,
	bgNbdExpectedPurchases,
	bgNbdProbabilityAlive,
	fitBgNbd,
	type BgNbdParams,
} from './bgNbd';
import type { PurchaseHistory } from './customers';
import type { FitOptions, ModelFit } from './fitting';
import { fitMbgNbd, mbgNbdConditionalExpectedPurchases, mbgNbdExpectedPurchases, mbgNbdProbabilityAlive } from './mbgNbd';
import {
	fitParetoNbd,
	paretoNbdConditionalExpectedPurchases,
	paretoNbdExpectedPurchases,
	paretoNbdProbabilityAlive,
	type ParetoNbdParams,
} from './paretoNbd';

export type PurchaseModelType = 'bgNbd' | 'paretoNbd' | 'mbgNbd';

export type PurchaseModel =
	| ({ type: 'bgNbd' } & Partial<ModelFit<BgNbdParams>> & { params: BgNbdParams })
	| ({ type: 'mbgNbd' } & Partial<ModelFit<BgNbdParams>> & { params: BgNbdParams })
	| ({ type: 'paretoNbd' } & Partial<ModelFit<ParetoNbdParams>> & { params: ParetoNbdParams });

export const PURCHASE_MODEL_PARAMS: Record<PurchaseModelType, readonly string[]> = {
	bgNbd: ['r', 'alpha', 'a', 'b'],
	mbgNbd: ['r', 'alpha', 'a', 'b'],
	paretoNbd: ['r', 'alpha', 's', 'beta'],
};

/** Fits the chosen purchase model. */
export function fitPurchaseModel(type: PurchaseModelType, customers: readonly PurchaseHistory[], options: FitOptions = {}): PurchaseModel {
	if (type === 'paretoNbd') return { type, ...fitParetoNbd(customers, options) };
	if (type === 'mbgNbd') return { type, ...fitMbgNbd(customers, options) };
	return { type, ...fitBgNbd(customers, options) };
}

/** Probability the customer is still active at the end of the observation period. */
export function probabilityAlive(model: PurchaseModel, customer: PurchaseHistory): number {
	if (model.type === 'paretoNbd') return paretoNbdProbabilityAlive(model.params, customer);
	if (model.type === 'mbgNbd') return mbgNbdProbabilityAlive(model.params, customer);
	return bgNbdProbabilityAlive(model.params, customer);
}

/** Expected purchases in the next t time units, given the customer's history. */
export function conditionalExpectedPurchases(model: PurchaseModel, customer: PurchaseHistory, t: number): number {
	if (model.type === 'paretoNbd') return paretoNbdConditionalExpectedPurchases(model.params, customer, t);
	if (model.type === 'mbgNbd') return mbgNbdConditionalExpectedPurchases(model.params, customer, t);
	return bgNbdConditionalExpectedPurchases(model.params, customer, t);
}

/** Expected repeat purchases in (0, t] of a customer just acquired. */
export function expectedPurchasesOfNewCustomer(model: PurchaseModel, t: number): number {
	if (model.type === 'paretoNbd') return paretoNbdExpectedPurchases(model.params, t);
	if (model.type === 'mbgNbd') return mbgNbdExpectedPurchases(model.params, t);
	return bgNbdExpectedPurchases(model.params, t);
}
