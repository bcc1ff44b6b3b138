/** n8n glue: a FunnelResult as output items (summary, one per step, or both). */
import type { IDataObject } from 'n8n-workflow';
import type { FunnelResult, FunnelStep } from './types';

/** The summary item: everything, with the bottleneck sentence at the top level for emails. */
export function summaryJson(result: FunnelResult): IDataObject {
	const json: IDataObject = {
		mode: result.mode,
		sentence: result.bottleneck.sentence,
		overallConversion: result.overallConversion,
		timeUnit: result.timeUnit,
		steps: result.steps as unknown as IDataObject[],
		bottleneck: result.bottleneck as unknown as IDataObject,
		warnings: result.warnings,
	};
	if (result.segments) json.segments = result.segments as unknown as IDataObject;
	if (result.pipeline) json.pipeline = result.pipeline as unknown as IDataObject;
	return json;
}

/** One flat item per step (and per segment and step when broken down), ready for a sheet. */
export function stepJsons(result: FunnelResult): IDataObject[] {
	const weakest = result.bottleneck.byConversion?.step;
	const row = (step: FunnelStep, position: number, segment?: string): IDataObject => ({
		...(segment === undefined ? {} : { segment }),
		position,
		...(step as unknown as IDataObject),
		step: step.name,
		timeUnit: result.timeUnit,
		isBottleneck: segment === undefined || segment === 'All' ? step.name === weakest : false,
	});
	if (!result.segments) return result.steps.map((s, i) => row(s, i + 1));
	return [
		...result.steps.map((s, i) => row(s, i + 1, 'All')),
		...result.segments.segments.flatMap((seg) => seg.steps.map((s, i) => row(s, i + 1, seg.segment))),
	];
}
