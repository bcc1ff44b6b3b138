// Public library API of the Lead Scorer: train, score, explain and evaluate lead scores.
export { fitLogisticRegression, SEPARATION_PENALTY } from './fitLogisticRegression';
export type { ClassWeights, CoefficientRow, LogisticRegressionOptions, LogisticRegressionResult, SeparationReport } from './fitLogisticRegression';
export type { MissingPolicy } from './design';
export type { ValidationOptions } from './validation';
export { scoreLeads, ModelScorer } from './scoreLeads';
export type { LeadScore, ScoreOptions } from './scoreLeads';
export { scoreWithWeights, prepareWeightsScorer } from './scoreWithWeights';
export type { FieldWeight, WeightsConfig } from './scoreWithWeights';
export { parseModel, MODEL_SCHEMA, MODEL_VERSION } from './model';
export type { LeadScoreModel } from './model';
export { evaluateBinary } from './evaluate';
export type { BinaryEvaluation, CalibrationBin } from './evaluate';
export { DEFAULT_GRADES } from './grades';
export type { GradeBand } from './grades';
export { preparePointsRules, scorePointsRules, DEFAULT_STAGES, RULE_OPERATORS } from './pointsRules';
export type { LifecycleStage, PointsCap, PointsOptions, PointsResult, PointsRule, RuleOperator, RuleValueType } from './pointsRules';
export { fitEngagementCell, checkGridThresholds, DEFAULT_GRID } from './fitEngagementGrid';
export type { GridCell, GridThresholds } from './fitEngagementGrid';
