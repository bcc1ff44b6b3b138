// Public library API of the CLV Calculator: order-log summaries, BG/NBD, Pareto/NBD, MBG/NBD
// and Gamma-Gamma fits, CLV predictions, segments and heuristics.
export { summarizeTransactions, DAYS_PER_UNIT } from './summarize';
export type { CustomerSummary, SummarizeOptions, TimeUnit } from './summarize';
export type { PurchaseHistory } from './customers';
export type { ModelFit, FitOptions } from './fitting';
export {
	fitBgNbd,
	bgNbdProbabilityAlive,
	bgNbdExpectedPurchases,
	bgNbdConditionalExpectedPurchases,
	bgNbdProbabilityOfPurchases,
} from './bgNbd';
export type { BgNbdParams } from './bgNbd';
export { fitMbgNbd, mbgNbdProbabilityAlive, mbgNbdExpectedPurchases, mbgNbdConditionalExpectedPurchases } from './mbgNbd';
export {
	fitParetoNbd,
	paretoNbdProbabilityAlive,
	paretoNbdExpectedPurchases,
	paretoNbdConditionalExpectedPurchases,
} from './paretoNbd';
export type { ParetoNbdParams } from './paretoNbd';
export { fitGammaGamma, gammaGammaExpectedSpend } from './gammaGamma';
export type { GammaGammaParams, SpendHistory } from './gammaGamma';
export { predictClv } from './predict';
export type { ClvCustomer, ClvPrediction, PredictOptions, SpendModel } from './predict';
export type { PurchaseModel, PurchaseModelType } from './purchaseModels';
export { rfmScores, segmentOf } from './segments';
export type { RfmScores, Segment } from './segments';
export { simpleClv, simpleClvForCustomer, heuristicClv } from './simpleClv';
export type { SimpleClv, SimpleClvInput, SimpleClvOptions } from './simpleClv';
export { fitAndPredict, predictWithModel } from './analysis';
export type { CustomerResult, FitAndPredictOptions } from './analysis';
export { parseClvModel } from './model';
export type { ClvModel } from './model';
export type { HoldoutReport } from './holdout';
