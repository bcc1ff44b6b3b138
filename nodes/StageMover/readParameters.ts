/**
 * n8n glue: turns the Stage Mover's parameters (read once, at item 0) into the model's inputs.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { DateFormat } from '../shared/dates';
import type { ValueInputOption } from '../shared/sheets/crm';
import type { PipelineDefinition } from './pipeline';
import type { RuleDefinition } from './rules';

export type Operation = 'moveToStage' | 'applyRules' | 'flagStale';

export interface StageMoverOptions {
	allowSkipping: boolean;
	allowMovingBack: boolean;
	reasonRequiredOnClose: boolean;
	dryRun: boolean;
	historyTab: string;
	changedAtField: string;
	activityField: string;
	dateFormat: DateFormat;
	cellFormat: ValueInputOption;
}

export function readOptions(ctx: IExecuteFunctions): StageMoverOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (name: string, fallback: string) => (typeof options[name] === 'string' && (options[name] as string).trim() ? (options[name] as string).trim() : fallback);
	return {
		allowSkipping: options.allowSkipping === true,
		allowMovingBack: options.allowMovingBack === true,
		reasonRequiredOnClose: options.reasonRequiredOnClose !== false,
		dryRun: options.dryRun === true,
		historyTab: text('historyTab', 'StageHistory'),
		changedAtField: text('changedAtField', 'stageChangedAt'),
		activityField: text('activityField', 'lastActivityAt'),
		dateFormat: text('dateFormat', 'auto') as DateFormat,
		cellFormat: options.cellFormat === 'USER_ENTERED' ? 'USER_ENTERED' : 'RAW',
	};
}

/** The pipeline as the model wants it: probabilities 0..1, field lists split, 0 days = never stale. */
export function readPipeline(ctx: IExecuteFunctions, options: StageMoverOptions): PipelineDefinition {
	const collection = ctx.getNodeParameter('pipelineStages', 0, {}) as { stage?: IDataObject[] };
	const stages = (collection.stage ?? []).map((stage) => ({
		name: String(stage.name ?? ''),
		probability: typeof stage.probability === 'number' ? stage.probability / 100 : NaN,
		requiredFields: String(stage.requiredFields ?? '')
			.split(',')
			.map((field) => field.trim())
			.filter((field) => field !== ''),
		staleAfterDays: typeof stage.staleAfterDays === 'number' && stage.staleAfterDays > 0 ? stage.staleAfterDays : null,
	}));
	return {
		stages,
		wonStage: ctx.getNodeParameter('wonStage', 0, 'Won') as string,
		lostStage: ctx.getNodeParameter('lostStage', 0, 'Lost') as string,
		allowSkipping: options.allowSkipping,
		allowMovingBack: options.allowMovingBack,
		reasonRequiredOnClose: options.reasonRequiredOnClose,
	};
}

export function readRules(ctx: IExecuteFunctions): RuleDefinition[] {
	const collection = ctx.getNodeParameter('rules', 0, {}) as { rule?: IDataObject[] };
	return (collection.rule ?? []).map((rule) => ({
		name: String(rule.name ?? ''),
		conditions: String(rule.conditions ?? ''),
		moveTo: String(rule.moveTo ?? ''),
	}));
}

/** A field-name parameter, trimmed; falls back to the default when left empty. */
export function readFieldName(ctx: IExecuteFunctions, name: string, fallback: string): string {
	const value = ctx.getNodeParameter(name, 0, fallback) as string;
	return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}
