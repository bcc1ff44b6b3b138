import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { InputError } from '../shared/errors';
import { errorJson, toNodeError } from '../shared/glue';
import { analyzeFunnel } from './analyze';
import { stepJsons, summaryJson } from './outputs';
import { funnelAnalyzerProperties } from './properties';
import { buildInput, readRun } from './readParameters';
import { renderFunnelSvg } from './renderFunnelSvg';

/** With "On Error: Continue", at most this many bad items are set aside before the node gives up. */
const MAX_BAD_ITEMS = 100;

export class FunnelAnalyzer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Funnel Analyzer',
		name: 'funnelAnalyzer',
		icon: { light: 'file:funnelAnalyzer.svg', dark: 'file:funnelAnalyzer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Find where leads drop out of the funnel, how long each step takes, and whether segments really differ',
		defaults: { name: 'Funnel Analyzer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: funnelAnalyzerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const all = items.map((_, item) => ({ item }));
		const bad = new Map<number, unknown>();
		for (;;) {
			const kept = items.map((item, index) => ({ item, index })).filter(({ index }) => !bad.has(index));
			try {
				const run = readRun(this, Date.now());
				const result = analyzeFunnel(buildInput(this, run, kept), run.options);
				const pairedItem = kept.map(({ index }) => ({ item: index }));
				const jsons = [
					...(run.output === 'steps' ? [] : [summaryJson(result)]),
					...(run.output === 'summary' ? [] : stepJsons(result)),
				];
				const out: INodeExecutionData[] = jsons.map((json) => ({ json, pairedItem }));
				if (run.includeChart && out.length > 0) {
					const svg = renderFunnelSvg(result, { title: run.chartTitle });
					out[0].binary = { chart: await this.helpers.prepareBinaryData(Buffer.from(svg), 'funnel.svg', 'image/svg+xml') };
				}
				for (const [index, error] of bad) out.push({ json: errorJson(error), pairedItem: { item: index } });
				return [out];
			} catch (error) {
				// A bad item (its row is known): set it aside and analyze the rest, if allowed.
				const row = error instanceof InputError && error.row !== undefined ? kept[error.row]?.index : undefined;
				if (this.continueOnFail() && row !== undefined && bad.size < MAX_BAD_ITEMS) {
					bad.set(row, error);
					continue;
				}
				if (this.continueOnFail()) return [[{ json: errorJson(error), pairedItem: all }]];
				throw toNodeError(this, error, row);
			}
		}
	}
}
