import { describeValue, InputError } from '../errors';

/**
 * Accepts a spreadsheet ID or a Google Sheets URL (https://docs.google.com/spreadsheets/d/<id>/edit#gid=0),
 * as users paste either.
 */
export function spreadsheetIdFrom(input: unknown): string {
	const text = typeof input === 'string' ? input.trim() : '';
	const fromUrl = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(text);
	if (fromUrl) return fromUrl[1];
	if (/^[A-Za-z0-9_-]+$/.test(text)) return text;
	throw new InputError(`Spreadsheet ID ${describeValue(input)} is neither a spreadsheet ID nor a Google Sheets URL`, {
		field: 'spreadsheetId',
		value: input,
	});
}
