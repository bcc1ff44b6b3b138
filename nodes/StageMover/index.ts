// Public library API of the Stage Mover: pipeline definition, rules, move planning, stale flags.
export {
	DEFAULT_PIPELINE,
	definePipeline,
	resolveStage,
	type Pipeline,
	type PipelineDefinition,
	type StageDefinition,
} from './pipeline';
export { checkMove, isTransitionAllowed, requiredFieldsFor, type Rejection, type RejectionReason } from './transitions';
export { parseConditions, evaluateCondition, type Condition, type ConditionOperator } from './conditions';
export { defineRules, firstMatchingRule, type RuleDefinition, type StageRule } from './rules';
export {
	planStageMoves,
	decideMove,
	decideRuleMove,
	applyStageMoves,
	type StageMove,
	type MovedStage,
	type UnchangedStage,
	type RejectedMove,
	type PlanOptions,
	type StageRecord,
} from './plan';
export { flagStale, checkStale, type StaleCheck, type StaleOptions } from './stale';
