import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { renderRoiChart } from './roiChart';
import type { DateFormat } from '../shared/dates';
import { aggregateItems, errorJson } from '../shared/glue';
import { attribute, type AttributionModel, type AttributionResult } from './attribute';
import { evaluateCampaigns, type CampaignFieldMapping, type CampaignRankMetric } from './campaignMetrics';
import { compareVariants, readVariant, type VariantComparison, type VariantCounts, type VariantTestResult } from './compareVariants';
import { journeysFromPaths, journeysFromTouches } from './journeys';
import { campaignEvaluatorProperties } from './properties';
import { skipOrThrow, type BadRowHandler } from './values';

type Operation = 'evaluateCampaigns' | 'compareVariants' | 'attributeConversions';

export class CampaignEvaluator implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Campaign Evaluator',
		name: 'campaignEvaluator',
		icon: { light: 'file:campaignEvaluator.svg', dark: 'file:campaignEvaluator.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Which campaigns pay, which variant wins, and which channel earns the credit',
		defaults: { name: 'Campaign Evaluator' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: campaignEvaluatorProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as Operation;
		if (operation === 'compareVariants') return [compareVariantItems(this)];
		if (operation === 'attributeConversions') return [attributeConversionItems(this)];
		const out = evaluateCampaignItems(this);
		const { includeChart } = this.getNodeParameter('campaignOptions', 0, {}) as { includeChart?: boolean };
		const summary = out.find((item) => item.json.type === 'summary');
		if (includeChart && summary) {
			const campaigns = out.filter((item) => item.json.type === 'campaign').map((item) => item.json as unknown as { campaign: string; returnOnInvestment: number | null });
			if (campaigns.length > 0) {
				const svg = renderRoiChart(campaigns);
				summary.binary = { chart: await this.helpers.prepareBinaryData(Buffer.from(svg), 'campaign-roi.svg', 'image/svg+xml') };
			}
		}
		return [out];
	}
}

/**
 * With "On Error: Continue", rows that fail to read become `{ error }` items paired to their
 * input item and the others are still evaluated; otherwise the first bad row stops the node.
 */
function badRowCollector(ctx: IExecuteFunctions): { onBadRow?: BadRowHandler; items: INodeExecutionData[] } {
	const items: INodeExecutionData[] = [];
	if (!ctx.continueOnFail()) return { items };
	return { items, onBadRow: (error) => items.push({ json: errorJson(error), pairedItem: { item: error.row ?? 0 } }) };
}

/** Model warnings shown in the editor's output pane. */
function showWarnings(ctx: IExecuteFunctions, warnings: string[]): void {
	if (warnings.length > 0) ctx.addExecutionHints(...warnings.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
}

const percent = (value: number | undefined, fallback: number) => (value ?? fallback) / 100;

function evaluateCampaignItems(ctx: IExecuteFunctions): INodeExecutionData[] {
	const rankBy = ctx.getNodeParameter('rankBy', 0) as CampaignRankMetric;
	const minimumBudget = ctx.getNodeParameter('minimumBudget', 0, 0) as number;
	const fields = ctx.getNodeParameter('campaignFields', 0, {}) as CampaignFieldMapping;
	const options = ctx.getNodeParameter('campaignOptions', 0, {}) as { output?: 'both' | 'campaigns' | 'summary'; totalBudget?: number };
	const output = options.output ?? 'both';
	return aggregateItems(ctx, (items) => {
		const bad = badRowCollector(ctx);
		const { campaigns, rowIndex, summary } = evaluateCampaigns(
			items.map((item) => item.json),
			fields,
			{ rankBy, minimumBudget, totalBudget: options.totalBudget ? options.totalBudget : undefined, onBadRow: bad.onBadRow },
		);
		showWarnings(ctx, summary.warnings);
		const out: INodeExecutionData[] = [...bad.items];
		if (output !== 'summary') {
			campaigns.forEach((campaign, i) => out.push({ json: { type: 'campaign', ...campaign } as unknown as IDataObject, pairedItem: { item: rowIndex[i] } }));
		}
		if (output !== 'campaigns') out.push({ json: { type: 'summary', advice: summary.reallocation.sentence, ...summary } as unknown as IDataObject });
		return out;
	});
}

function comparisonJson(result: VariantTestResult, c: VariantComparison): IDataObject {
	const control = result.variants.find((v) => v.variant === c.control)!;
	const variant = result.variants.find((v) => v.variant === c.variant)!;
	return {
		variant: c.variant,
		control: c.control,
		visitors: variant.trials,
		conversions: variant.successes,
		conversionRate: c.conversionRate,
		controlVisitors: control.trials,
		controlConversions: control.successes,
		controlConversionRate: c.controlConversionRate,
		difference: c.difference,
		relativeLift: c.relativeLift,
		zScore: c.zScore,
		pValue: c.pValue,
		confidenceLower: c.confidenceInterval.lower,
		confidenceUpper: c.confidenceInterval.upper,
		confidenceLevel: c.confidenceInterval.level,
		intervalMethod: 'Newcombe hybrid score',
		probabilityToBeatControl: c.probabilityToBeatControl,
		probabilityMethod: c.probabilityMethod,
		expectedLossChoosingVariant: c.expectedLossChoosingVariant,
		expectedLossKeepingControl: c.expectedLossKeepingControl,
		sampleSizePerArm: result.sampleSize.perArm,
		sampleSizeReached: result.sampleSize.reached,
		chiSquare: result.chiSquare ? result.chiSquare.statistic : null,
		chiSquarePValue: result.chiSquare ? result.chiSquare.pValue : null,
		verdict: result.verdict,
		warnings: result.warnings,
	};
}

function compareVariantItems(ctx: IExecuteFunctions): INodeExecutionData[] {
	const control = (ctx.getNodeParameter('control', 0, '') as string).trim();
	const effect = ctx.getNodeParameter('minimumDetectableEffect', 0, 10) as number;
	const effectType = ctx.getNodeParameter('effectType', 0, 'relative') as 'relative' | 'absolute';
	const options = ctx.getNodeParameter('variantOptions', 0, {}) as { confidenceLevel?: number; power?: number; priorAlpha?: number; priorBeta?: number };
	return aggregateItems(ctx, (items) => {
		// Name and counts are per item (expressions such as {{ $json.visitors }}).
		const bad = badRowCollector(ctx);
		const variants: Array<VariantCounts & { item: number }> = [];
		items.forEach((_, i) => {
			try {
				const variant = readVariant(ctx.getNodeParameter('variantName', i), ctx.getNodeParameter('visitors', i), ctx.getNodeParameter('conversions', i), i);
				variants.push({ ...variant, item: i });
			} catch (error) {
				skipOrThrow(error, bad.onBadRow);
			}
		});
		const result = compareVariants(variants, {
			control: control === '' ? undefined : control,
			minimumDetectableEffect: effect / 100,
			effectType,
			confidenceLevel: percent(options.confidenceLevel, 95),
			power: percent(options.power, 80),
			priorAlpha: options.priorAlpha,
			priorBeta: options.priorBeta,
		});
		showWarnings(ctx, result.warnings);
		const itemOf = new Map(variants.map((v) => [v.name, v.item]));
		return [
			...bad.items,
			...result.comparisons.map((c) => ({
				json: comparisonJson(result, c),
				pairedItem: [{ item: itemOf.get(c.control)! }, { item: itemOf.get(c.variant)! }],
			})),
		];
	});
}

interface AttributionOptions {
	collapseRepeats?: boolean;
	dateFormat?: DateFormat;
	firstTouchShare?: number;
	lastTouchShare?: number;
	halfLifeDays?: number;
	halfLifeTouches?: number;
	includeRemovalEffects?: boolean;
	includeTransitionMatrix?: boolean;
	separator?: string;
}

function attributionRows(result: AttributionResult, models: AttributionModel[]): IDataObject[] {
	const rows: IDataObject[] = [];
	for (const model of models) {
		for (const [channel, credit] of Object.entries(result[model] ?? {})) {
			const row: IDataObject = { model, channel, conversions: credit.conversions, value: credit.value, share: credit.share };
			if (model === 'markov' && result.removalEffects) row.removalEffect = result.removalEffects[channel];
			rows.push(row);
		}
	}
	for (const [from, targets] of Object.entries(result.transitionMatrix ?? {})) {
		for (const [to, probability] of Object.entries(targets)) rows.push({ model: 'markov', from, to, probability });
	}
	return rows;
}

function attributeConversionItems(ctx: IExecuteFunctions): INodeExecutionData[] {
	const format = ctx.getNodeParameter('journeyFormat', 0) as 'touches' | 'paths';
	const models = ctx.getNodeParameter('models', 0) as AttributionModel[];
	const options = ctx.getNodeParameter('attributionOptions', 0, {}) as AttributionOptions;
	const field = (name: string) => ctx.getNodeParameter(name, 0) as string;
	return aggregateItems(ctx, (items) => {
		// One shared lineage array for every output row (they are all computed from all items).
		const allItems = items.map((_, item) => ({ item }));
		const rows = items.map((item) => item.json);
		const bad = badRowCollector(ctx);
		const warnings: string[] = [];
		let journeys;
		if (format === 'paths') {
			const mapping = { path: field('pathField'), conversions: field('conversionsField'), value: field('pathValueField'), nonConversions: field('nonConversionsField') };
			journeys = journeysFromPaths(rows, mapping, options.separator || '>', bad.onBadRow);
		} else {
			const mapping = {
				customerId: field('customerIdField'),
				channel: field('channelField'),
				timestamp: field('timestampField'),
				converted: field('convertedField'),
				value: field('touchValueField'),
			};
			const built = journeysFromTouches(rows, mapping, options.dateFormat ?? 'auto', bad.onBadRow);
			journeys = built.journeys;
			warnings.push(...built.warnings);
		}
		const result = attribute(journeys, {
			models,
			positionWeights: { first: percent(options.firstTouchShare, 40), last: percent(options.lastTouchShare, 40) },
			halfLifeDays: options.halfLifeDays,
			halfLifeTouches: options.halfLifeTouches,
			collapseRepeats: options.collapseRepeats,
			includeRemovalEffects: options.includeRemovalEffects,
			includeTransitionMatrix: options.includeTransitionMatrix,
		});
		showWarnings(ctx, [...warnings, ...result.warnings]);
		return [...bad.items, ...attributionRows(result, models).map((json) => ({ json, pairedItem: allItems }))];
	});
}
