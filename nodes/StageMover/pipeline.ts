/**
 * The sales pipeline: ordered stages with a win probability each, one terminal "won" stage and
 * one terminal "lost" stage, and the switches that decide which moves are allowed.
 * Modelled on Pipedrive / HubSpot deal pipelines (stage probability, won/lost as closing stages,
 * "rotting" days per stage, required fields per stage).
 */
import { InputError, describeValue } from '../shared/errors';

export interface StageDefinition {
	name: string;
	/** Win probability of a deal in this stage, 0..1 (HubSpot's "deal probability"). */
	probability: number;
	/** Fields that must be filled before a record may enter this stage (e.g. `amount` before Proposal). */
	requiredFields?: string[];
	/** Days without activity after which a record in this stage is stale (Pipedrive's "rotting"); null = never. */
	staleAfterDays?: number | null;
}

export interface PipelineDefinition {
	/** All stages in pipeline order, the won and lost stages included. */
	stages: StageDefinition[];
	wonStage: string;
	lostStage: string;
	/** Allow jumping forward over stages (New → SQL). Default: forward one step only. */
	allowSkipping?: boolean;
	/** Allow moving to an earlier stage, and reopening a won or lost record. */
	allowMovingBack?: boolean;
	/** A move to the won or lost stage must carry a reason. Default true. */
	reasonRequiredOnClose?: boolean;
}

/** A checked pipeline: stage names resolved, open stages ordered, lookups built once. */
export interface Pipeline {
	stages: Required<StageDefinition>[];
	/** The stages a record can be in before it is closed, in order (won and lost excluded). */
	openStages: string[];
	wonStage: string;
	lostStage: string;
	allowSkipping: boolean;
	allowMovingBack: boolean;
	reasonRequiredOnClose: boolean;
	/** Lower-cased, trimmed stage name → stage, so "mql " typed in a sheet still means MQL. */
	byName: Map<string, Required<StageDefinition>>;
	/** Position of each stage on the way to "won": open stages 0..n-1, won = n. Lost has none. */
	rank: Map<string, number>;
}

export const DEFAULT_PIPELINE: PipelineDefinition = {
	stages: [
		{ name: 'New', probability: 0.05, staleAfterDays: 7 },
		{ name: 'MQL', probability: 0.1, staleAfterDays: 14 },
		{ name: 'SQL', probability: 0.2, staleAfterDays: 14 },
		{ name: 'Proposal', probability: 0.5, requiredFields: ['amount'], staleAfterDays: 21 },
		{ name: 'Negotiation', probability: 0.75, requiredFields: ['amount'], staleAfterDays: 21 },
		{ name: 'Won', probability: 1 },
		{ name: 'Lost', probability: 0 },
	],
	wonStage: 'Won',
	lostStage: 'Lost',
	allowSkipping: false,
	allowMovingBack: false,
	reasonRequiredOnClose: true,
};

/** The lookup key of a stage name: stages are matched trimmed and case-insensitively. */
export function stageKey(name: string): string {
	return name.trim().toLowerCase();
}

/** Validates a pipeline definition; throws InputError naming the stage and field at fault. */
export function definePipeline(definition: PipelineDefinition): Pipeline {
	if (!Array.isArray(definition.stages) || definition.stages.length === 0) {
		throw new InputError('The pipeline has no stages', { field: 'stages', value: definition.stages });
	}
	const byName = new Map<string, Required<StageDefinition>>();
	const stages = definition.stages.map((stage, index) => {
		const checked = checkStage(stage, index);
		const key = stageKey(checked.name);
		const previous = byName.get(key);
		if (previous) {
			throw new InputError(
				`Pipeline stage ${index + 1}: the name ${describeValue(checked.name)} is used twice (also by "${previous.name}")`,
				{ field: 'stages', value: checked.name },
			);
		}
		byName.set(key, checked);
		return checked;
	});
	const wonStage = findTerminal(byName, definition.wonStage, 'won stage');
	const lostStage = findTerminal(byName, definition.lostStage, 'lost stage');
	if (wonStage === lostStage) {
		throw new InputError(`The won stage and the lost stage are both "${wonStage}"; they must differ`, {
			field: 'lostStage',
			value: definition.lostStage,
		});
	}
	const openStages = stages.map((s) => s.name).filter((name) => name !== wonStage && name !== lostStage);
	if (openStages.length === 0) {
		throw new InputError('The pipeline has no open stages besides the won and lost stages', { field: 'stages' });
	}
	const rank = new Map<string, number>();
	openStages.forEach((name, i) => rank.set(name, i));
	rank.set(wonStage, openStages.length);
	return {
		stages,
		openStages,
		wonStage,
		lostStage,
		allowSkipping: definition.allowSkipping ?? false,
		allowMovingBack: definition.allowMovingBack ?? false,
		reasonRequiredOnClose: definition.reasonRequiredOnClose ?? true,
		byName,
		rank,
	};
}

/** The pipeline's own spelling of a stage name, or undefined when it is not a stage. */
export function resolveStage(pipeline: Pipeline, value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	return pipeline.byName.get(stageKey(value))?.name;
}

/** The stage names as a short list for error messages. */
export function listStages(pipeline: Pipeline): string {
	return pipeline.stages.map((s) => s.name).join(', ');
}

export function isClosed(pipeline: Pipeline, stage: string): boolean {
	return stage === pipeline.wonStage || stage === pipeline.lostStage;
}

function checkStage(stage: StageDefinition, index: number): Required<StageDefinition> {
	const where = `Pipeline stage ${index + 1}`;
	if (typeof stage?.name !== 'string' || stage.name.trim() === '') {
		throw new InputError(`${where}: the name is empty`, { field: 'name', value: stage?.name });
	}
	const name = stage.name.trim();
	if (typeof stage.probability !== 'number' || !(stage.probability >= 0 && stage.probability <= 1)) {
		throw new InputError(`${where} ("${name}"): win probability ${describeValue(stage.probability)} is not between 0 and 1`, {
			field: 'probability',
			value: stage.probability,
		});
	}
	const stale = stage.staleAfterDays ?? null;
	if (stale !== null && !(typeof stale === 'number' && Number.isFinite(stale) && stale >= 0)) {
		throw new InputError(`${where} ("${name}"): stale after ${describeValue(stale)} days is not a number of days >= 0`, {
			field: 'staleAfterDays',
			value: stale,
		});
	}
	const requiredFields = (stage.requiredFields ?? []).map((field) => {
		if (typeof field !== 'string' || field.trim() === '') {
			throw new InputError(`${where} ("${name}"): a required field name is empty`, { field: 'requiredFields', value: field });
		}
		return field.trim();
	});
	return { name, probability: stage.probability, requiredFields, staleAfterDays: stale };
}

function findTerminal(byName: Map<string, Required<StageDefinition>>, name: string, label: string): string {
	const stage = typeof name === 'string' ? byName.get(stageKey(name)) : undefined;
	if (!stage) {
		const known = [...byName.values()].map((s) => s.name).join(', ');
		throw new InputError(`The ${label} ${describeValue(name)} is not one of the pipeline's stages (${known})`, {
			field: label === 'won stage' ? 'wonStage' : 'lostStage',
			value: name,
		});
	}
	return stage.name;
}
