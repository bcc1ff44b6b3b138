import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { DateFormat } from '../shared/dates';
import { aggregateItems, mapItems, readJsonParameter } from '../shared/glue';
import { fitAndPredict, predictWithModel, type CustomerResult, type OrderFields } from './analysis';
import { parseClvModel } from './model';
import { clvCalculatorProperties } from './properties';
import type { PurchaseModelType } from './purchaseModels';
import { renderSegmentChart } from './segmentChart';
import type { Segment } from './segments';
import { simpleClvForCustomer } from './simpleClv';
import { summarizeTransactions, type TimeUnit } from './summarize';

interface ClvOptions {
	calibrationEnd?: string;
	discountRate?: number;
	horizon?: number;
	includeFirst?: boolean;
	margin?: number;
	observationEnd?: string;
	output?: 'customersAndModel' | 'customers' | 'model';
	penalizer?: number;
	includeChart?: boolean;
}

export class ClvCalculator implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CLV Calculator',
		name: 'clvCalculator',
		icon: { light: 'file:clvCalculator.svg', dark: 'file:clvCalculator.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Customer lifetime value from an order log: RFM summaries, BG/NBD, Pareto/NBD and Gamma-Gamma fits, P(alive), CLV and segments',
		defaults: { name: 'CLV Calculator' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: clvCalculatorProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'simpleClv') return [simpleClvItems(this)];
		const out = aggregateItems(this, (items) => orderLogItems(this, operation, items));
		const { includeChart } = this.getNodeParameter('options', 0, {}) as ClvOptions;
		const customers = out.filter((item) => typeof item.json.segment === 'string');
		if (includeChart && customers.length > 0) {
			// The chart rides on the model item (or the last item), for reports and n8n's binary view.
			const svg = renderSegmentChart(customers.map((item) => item.json as unknown as { segment: Segment; clv: number | null }));
			const carrier = out[out.length - 1];
			carrier.binary = { chart: await this.helpers.prepareBinaryData(Buffer.from(svg), 'clv-segments.svg', 'image/svg+xml') };
		}
		return [out];
	}
}

/** Simple CLV: one result per customer item; its inputs are per-item (expressions on $json). */
function simpleClvItems(ctx: IExecuteFunctions): INodeExecutionData[] {
	const decay = ctx.getNodeParameter('decay', 0) as number;
	const { margin } = ctx.getNodeParameter('simpleOptions', 0, {}) as { margin?: number };
	return mapItems(ctx, (item, i) => ({
		...item.json,
		...simpleClvForCustomer(
			{
				orders: ctx.getNodeParameter('orders', i),
				averageOrderValue: ctx.getNodeParameter('averageOrderValue', i),
				periodsSinceLastOrder: ctx.getNodeParameter('periodsSinceLastOrder', i),
				totalSpent: ctx.getNodeParameter('totalSpent', i),
			},
			{ decay, margin },
			i,
		),
	}));
}

/** The order-log operations: every item is an order; results are per customer (+ the model item). */
function orderLogItems(ctx: IExecuteFunctions, operation: string, items: INodeExecutionData[]): INodeExecutionData[] {
	const options = ctx.getNodeParameter('options', 0, {}) as ClvOptions;
	const fields: OrderFields = {
		customerId: ctx.getNodeParameter('customerIdField', 0) as string,
		date: ctx.getNodeParameter('dateField', 0) as string,
		amount: ctx.getNodeParameter('amountField', 0) as string,
		dateFormat: ctx.getNodeParameter('dateFormat', 0) as DateFormat,
		observationEnd: options.observationEnd,
	};
	const rows = items.map((item) => item.json);
	const pairedBy = customerPairing(rows, fields.customerId);
	const customerItem = (json: IDataObject & { customerId: string | number }): INodeExecutionData => ({
		json,
		pairedItem: pairedBy.get(json.customerId) ?? [],
	});
	const prediction = { horizon: options.horizon ?? 12, discountRate: options.discountRate ?? 0.01, margin: options.margin ?? 1 };

	if (operation === 'summarize') {
		const unit = ctx.getNodeParameter('unit', 0) as TimeUnit;
		return summarizeTransactions(rows, { ...fields, unit, includeFirst: options.includeFirst ?? false }).map((c) =>
			customerItem({ ...c, averageOrderValue: c.totalSpent / c.orders, periodsSinceLastOrder: c.T - c.recency, unit }),
		);
	}
	if (operation === 'predictWithModel') {
		const model = parseClvModel(readJsonParameter(ctx, 'model', 0, 'Model'));
		return predictWithModel(rows, model, { ...fields, ...prediction }).map((c) => customerItem(customerJson(c)));
	}
	const { customers, model } = fitAndPredict(rows, {
		...fields,
		...prediction,
		unit: ctx.getNodeParameter('unit', 0) as TimeUnit,
		purchaseModel: ctx.getNodeParameter('purchaseModel', 0) as PurchaseModelType,
		penalizer: options.penalizer ?? 0,
		calibrationEnd: options.calibrationEnd,
	});
	const output = options.output ?? 'customersAndModel';
	const result: INodeExecutionData[] = output === 'model' ? [] : customers.map((c) => customerItem(customerJson(c)));
	if (output !== 'customers') result.push({ json: model as unknown as IDataObject, pairedItem: items.map((_, item) => ({ item })) });
	return result;
}

function customerJson(c: CustomerResult): IDataObject & { customerId: string | number } {
	return { ...c } as IDataObject & { customerId: string | number };
}

/** Which input items (orders) belong to each customer, for pairedItem. */
function customerPairing(rows: IDataObject[], field: string): Map<unknown, { item: number }[]> {
	const map = new Map<unknown, { item: number }[]>();
	rows.forEach((row, item) => {
		const list = map.get(row[field]);
		if (list) list.push({ item });
		else map.set(row[field], [{ item }]);
	});
	return map;
}
