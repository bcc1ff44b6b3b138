/**
 * The one error type the pure models throw for bad input. It names the row (item index),
 * field and value so the n8n glue can turn it into a NodeOperationError with `itemIndex`.
 */
export class InputError extends Error {
	readonly row?: number;
	readonly field?: string;
	readonly value?: unknown;

	constructor(message: string, details: { row?: number; field?: string; value?: unknown } = {}) {
		super(message);
		this.name = 'InputError';
		this.row = details.row;
		this.field = details.field;
		this.value = details.value;
	}
}

/** Shows a bad value inside an error message, short and unambiguous (strings quoted). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
	try {
		const text = JSON.stringify(value);
		return text.length > 60 ? `${text.slice(0, 57)}...` : text;
	} catch {
		return Object.prototype.toString.call(value);
	}
}
