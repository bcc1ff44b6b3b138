/**
 * Stage rules: "when these conditions hold, move the record to that stage". Rules are tried in
 * order and the first whose conditions all hold wins (like HubSpot workflows' branch order).
 */
import { InputError, describeValue } from '../shared/errors';
import { checkCondition, evaluateAll, parseConditions, type Condition, type ConditionContext } from './conditions';
import { listStages, resolveStage, type Pipeline } from './pipeline';

export interface RuleDefinition {
	/** Shown in the output and written to StageHistory as the reason of the move. */
	name: string;
	/** Either the text form ("score >= 70 and stage = MQL") or structured conditions. */
	conditions: string | Condition[];
	moveTo: string;
}

export interface StageRule {
	name: string;
	conditions: Condition[];
	/** The target as the pipeline spells it. */
	moveTo: string;
}

/** Checks and compiles rules once per execution; errors name the rule (1-based) and what is wrong. */
export function defineRules(rules: RuleDefinition[], pipeline: Pipeline): StageRule[] {
	return rules.map((rule, index) => {
		const label = `Rule ${index + 1}${typeof rule?.name === 'string' && rule.name.trim() ? ` ("${rule.name.trim()}")` : ''}`;
		const moveTo = resolveStage(pipeline, rule?.moveTo);
		if (!moveTo) {
			throw new InputError(`${label}: move to ${describeValue(rule?.moveTo)} is not a stage of the pipeline (${listStages(pipeline)})`, {
				field: 'moveTo',
				value: rule?.moveTo,
			});
		}
		const conditions =
			typeof rule.conditions === 'string'
				? parseConditions(rule.conditions, label)
				: (rule.conditions ?? []).map((c) => checkCondition(c, label));
		const name = typeof rule.name === 'string' && rule.name.trim() ? rule.name.trim() : `Rule ${index + 1}`;
		return { name, conditions, moveTo };
	});
}

/** The first rule whose conditions all hold, or undefined. */
export function firstMatchingRule(rules: StageRule[], record: Record<string, unknown>, context: ConditionContext): StageRule | undefined {
	for (const rule of rules) if (evaluateAll(rule.conditions, record, context)) return rule;
	return undefined;
}
