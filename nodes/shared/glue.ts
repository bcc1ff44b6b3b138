/**
 * The few things every node of this package does the same way when it meets n8n:
 * turning a model's InputError into a NodeOperationError with `itemIndex`, running a per-item
 * operation with pairedItem lineage and continueOnFail, and reading a JSON parameter.
 * Everything here is n8n glue; the models never import it.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputError } from './errors';

/** Wraps any error from a model as a NodeOperationError pointing at the item it concerns. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const err = error instanceof Error ? error : new Error(String(error));
	const index = error instanceof InputError && error.row !== undefined ? error.row : itemIndex;
	const description =
		error instanceof InputError && error.field !== undefined ? `Field: ${error.field}` : undefined;
	return new NodeOperationError(ctx.getNode(), err, { itemIndex: index, description });
}

/** The JSON of an error item as n8n's own nodes emit it under continueOnFail. */
export function errorJson(error: unknown): IDataObject {
	const message = error instanceof Error ? error.message : String(error);
	const json: IDataObject = { error: message };
	if (error instanceof InputError) {
		if (error.field !== undefined) json.errorField = error.field;
		if (error.row !== undefined) json.errorItemIndex = error.row;
	}
	return json;
}

/**
 * Runs `fn` for every input item. Each result (one object or several) becomes an output item
 * paired to its input item. With "On Error: Continue", a failing item becomes `{ error }` and
 * the rest go on; otherwise the first failure stops the node with the item's index.
 */
export function mapItems(
	ctx: IExecuteFunctions,
	fn: (item: INodeExecutionData, itemIndex: number) => IDataObject | IDataObject[],
): INodeExecutionData[] {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = fn(items[i], i);
			for (const json of Array.isArray(result) ? result : [result]) {
				out.push({ json, pairedItem: { item: i } });
			}
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push({ json: errorJson(error), pairedItem: { item: i } });
				continue;
			}
			throw toNodeError(ctx, error, i);
		}
	}
	return out;
}

/**
 * Runs an operation that reads all items at once (train, fit, analyze) and returns summary
 * items. Every output item is paired to all input items it was computed from. With
 * continueOnFail a failure becomes one `{ error }` item instead of stopping the workflow.
 */
export function aggregateItems(
	ctx: IExecuteFunctions,
	fn: (items: INodeExecutionData[]) => INodeExecutionData[] | IDataObject[],
): INodeExecutionData[] {
	const items = ctx.getInputData();
	const pairedItem = items.map((_, item) => ({ item }));
	try {
		const result = fn(items);
		return result.map((entry) =>
			'json' in entry && typeof entry.json === 'object' && entry.json !== null
				? { ...(entry as INodeExecutionData), pairedItem: (entry as INodeExecutionData).pairedItem ?? pairedItem }
				: { json: entry as IDataObject, pairedItem },
		);
	} catch (error) {
		if (ctx.continueOnFail()) return [{ json: errorJson(error), pairedItem }];
		throw toNodeError(ctx, error);
	}
}

/**
 * Reads a parameter that holds JSON: either already an object (from an expression such as
 * `{{ $json.model }}`) or a string (pasted text). Names the parameter when it does not parse.
 */
export function readJsonParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex) as unknown;
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
		});
	}
}
