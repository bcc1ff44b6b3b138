// Public library API of the Stage Mover: pipeline definition, rules, move planning, stale flags.
// Generic names are exported with a sales/stage prefix so the package entry stays unambiguous.
export {
	DEFAULT_PIPELINE as DEFAULT_SALES_PIPELINE,
	definePipeline as defineSalesPipeline,
	resolveStage as resolvePipelineStage,
	type Pipeline as SalesPipeline,
	type PipelineDefinition as SalesPipelineDefinition,
	type StageDefinition as PipelineStageDefinition,
} from './pipeline';
export {
	checkMove as checkStageMove,
	isTransitionAllowed,
	requiredFieldsFor as requiredFieldsForStage,
	type Rejection as StageMoveRejection,
	type RejectionReason as StageMoveRejectionReason,
} from './transitions';
export {
	parseConditions as parseStageConditions,
	evaluateCondition as evaluateStageCondition,
	type Condition as StageCondition,
	type ConditionOperator as StageConditionOperator,
} from './conditions';
export {
	defineRules as defineStageRules,
	firstMatchingRule as firstMatchingStageRule,
	type RuleDefinition as StageRuleDefinition,
	type StageRule,
} from './rules';
export {
	planStageMoves,
	decideMove as decideStageMove,
	applyStageMoves,
	type StageMove,
	type MovedStage,
	type UnchangedStage,
	type RejectedMove,
	type PlanOptions as StageMovePlanOptions,
	type StageRecord,
} from './plan';
export { flagStale, checkStale, type StaleCheck, type StaleOptions } from './stale';
