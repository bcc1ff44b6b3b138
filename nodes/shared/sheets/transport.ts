/**
 * The ONLY place that talks HTTP to the Sheets API, through n8n's
 * `httpRequestWithAuthentication` (so n8n signs requests and refreshes OAuth2 tokens).
 * One retry policy (./retry.ts) and one count of API calls per execution.
 * Request/response shapes: Sheets API v4 REST reference, typed with @googleapis/sheets.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import {
	NodeApiError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';
import type { CellValue } from './crm';
import { isRetryable, mayHaveBeenApplied, MAX_TRIES, parseRetryAfter, retryDelayMs } from './retry';

export type CrmCredentialType = 'googleSheetsCrmOAuth2Api' | 'googleSheetsCrmServiceAccountApi';
export const DEFAULT_API_BASE_URL = 'https://sheets.googleapis.com';

export interface SheetsTransport {
	batchGet(spreadsheetId: string, ranges: string[]): Promise<sheets_v4.Schema$BatchGetValuesResponse>;
	batchUpdate(
		spreadsheetId: string,
		data: sheets_v4.Schema$ValueRange[],
		valueInputOption: 'RAW' | 'USER_ENTERED',
	): Promise<sheets_v4.Schema$BatchUpdateValuesResponse>;
	append(
		spreadsheetId: string,
		range: string,
		values: CellValue[][],
		valueInputOption: 'RAW' | 'USER_ENTERED',
	): Promise<sheets_v4.Schema$AppendValuesResponse>;
	getSpreadsheet(spreadsheetId: string): Promise<sheets_v4.Schema$Spreadsheet>;
	addSheets(spreadsheetId: string, titles: string[]): Promise<void>;
	/** Requests sent, retries excluded. */
	readonly apiCalls: number;
	readonly retries: number;
}

export interface SheetsRequest {
	method: IHttpRequestMethods;
	/** Path and query after the base URL, already encoded, e.g. `/v4/spreadsheets/abc/values:batchGet?ranges=...`. */
	path: string;
	body?: object;
	/** False for requests that add rows or tabs: they are not repeated when they may have been applied (./retry.ts). */
	idempotent?: boolean;
}

/** What a failed request tells us, dug out of n8n's wrapped errors (NodeApiError → axios error → response). */
export interface RequestFailure {
	status?: number;
	code?: string;
	retryAfterSeconds?: number;
	googleStatus?: string;
	googleMessage?: string;
}

type Loose = Record<string, unknown> | undefined;

export function describeFailure(error: unknown): RequestFailure {
	const e = error as Loose;
	const cause = e?.cause as Loose;
	const response = (cause?.response ?? e?.response) as Loose;
	const context = e?.context as Loose;
	const data = (response?.data ?? response?.body ?? context?.data) as Loose;
	const googleError = (data?.error ?? undefined) as Loose;
	const headers = (response?.headers ?? {}) as Record<string, unknown>;
	const statusRaw = response?.status ?? response?.statusCode ?? e?.httpCode ?? googleError?.code;
	const status = statusRaw === undefined || statusRaw === null ? undefined : Number(statusRaw);
	return {
		status: Number.isFinite(status) ? status : undefined,
		code: (cause?.code ?? e?.code) as string | undefined,
		retryAfterSeconds: parseRetryAfter(headers['retry-after'] ?? headers['Retry-After']),
		googleStatus: typeof googleError?.status === 'string' ? googleError.status : undefined,
		googleMessage:
			typeof googleError?.message === 'string'
				? googleError.message
				: typeof e?.description === 'string'
					? e.description
					: typeof e?.message === 'string'
						? e.message
						: undefined,
	};
}

export interface TransportOptions {
	maxTries?: number;
	wait?: (ms: number) => Promise<void>;
	random?: () => number;
	/** Builds the error thrown when a request finally fails. */
	toError: (failure: RequestFailure, tries: number, request: SheetsRequest) => Error;
}

function spreadsheetPath(spreadsheetId: string): string {
	return `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}`;
}

/**
 * A transport over any `send` function; createTransport plugs in n8n's authenticated request.
 * Tests plug in their own `send`, `wait` and `random`.
 */
export function createSheetsTransport(send: (request: SheetsRequest) => Promise<unknown>, options: TransportOptions): SheetsTransport {
	const maxTries = options.maxTries ?? MAX_TRIES;
	const wait = options.wait ?? sleep;
	const random = options.random ?? Math.random;
	let apiCalls = 0;
	let retries = 0;

	async function call<T>(request: SheetsRequest): Promise<T> {
		apiCalls++;
		for (let attempt = 1; ; attempt++) {
			try {
				return (await send(request)) as T;
			} catch (error) {
				const failure = describeFailure(error);
				if (!isRetryable(failure.status, failure.code, request.idempotent !== false) || attempt >= maxTries) {
					throw options.toError(failure, attempt, request);
				}
				retries++;
				await wait(retryDelayMs(attempt - 1, failure.retryAfterSeconds, random));
			}
		}
	}

	return {
		get apiCalls() {
			return apiCalls;
		},
		get retries() {
			return retries;
		},
		async batchGet(spreadsheetId, ranges) {
			const query = new URLSearchParams();
			for (const range of ranges) query.append('ranges', range);
			// Numbers come back as numbers; dates as the text a person sees.
			query.set('majorDimension', 'ROWS');
			query.set('valueRenderOption', 'UNFORMATTED_VALUE');
			query.set('dateTimeRenderOption', 'FORMATTED_STRING');
			return await call({ method: 'GET', path: `${spreadsheetPath(spreadsheetId)}/values:batchGet?${query}` });
		},
		async batchUpdate(spreadsheetId, data, valueInputOption) {
			if (data.length === 0) return { spreadsheetId, totalUpdatedCells: 0, responses: [] };
			return await call({
				method: 'POST',
				path: `${spreadsheetPath(spreadsheetId)}/values:batchUpdate`,
				body: { valueInputOption, data, includeValuesInResponse: false },
			});
		},
		async append(spreadsheetId, range, values, valueInputOption) {
			if (values.length === 0) return { spreadsheetId };
			// INSERT_ROWS: new rows are inserted, so nothing below the table is overwritten.
			const query = new URLSearchParams({ valueInputOption, insertDataOption: 'INSERT_ROWS' });
			return await call({
				method: 'POST',
				path: `${spreadsheetPath(spreadsheetId)}/values/${encodeURIComponent(range)}:append?${query}`,
				body: { range, majorDimension: 'ROWS', values },
				idempotent: false, // a repeated append adds the rows again
			});
		},
		async getSpreadsheet(spreadsheetId) {
			const query = new URLSearchParams({ fields: 'spreadsheetId,properties.title,sheets.properties' });
			return await call({ method: 'GET', path: `${spreadsheetPath(spreadsheetId)}?${query}` });
		},
		async addSheets(spreadsheetId, titles) {
			if (titles.length === 0) return;
			await call({
				method: 'POST',
				path: `${spreadsheetPath(spreadsheetId)}:batchUpdate`,
				body: { requests: titles.map((title) => ({ addSheet: { properties: { title } } })) },
				idempotent: false, // a repeat after a lost answer fails with "already exists"
			});
		},
	};
}

/** The message a person reads when a Sheets call finally fails. */
export function failureMessage(
	failure: RequestFailure,
	tries: number,
	request?: Pick<SheetsRequest, 'idempotent'>,
): { message: string; description?: string } {
	const what = [failure.status, failure.googleStatus].filter((x) => x !== undefined).join(' ') || failure.code || 'network error';
	const detail = failure.googleMessage ? `: ${failure.googleMessage}` : '';
	if (request?.idempotent === false && mayHaveBeenApplied(failure.status, failure.code)) {
		return {
			message: `Google Sheets API error (${what}) while adding rows or tabs; not retried${detail}`,
			description:
				'Google may have added them before failing, and a retry could add them twice. Look at the tab before running the workflow again.',
		};
	}
	if (isRetryable(failure.status, failure.code, request?.idempotent !== false)) {
		return {
			message: `Google Sheets API kept failing (${what}) after ${tries} tries${detail}`,
			description:
				failure.status === 429
					? 'The Sheets quota is 60 reads and 60 writes per minute per user. Run the workflow less often or with fewer executions in parallel.'
					: 'Google Sheets is having trouble; try again later.',
		};
	}
	const hint =
		failure.status === 401 || failure.status === 403
			? 'Check the credential and that the spreadsheet is shared with this Google account or service account.'
			: failure.status === 404
				? 'Check the spreadsheet ID (or URL).'
				: undefined;
	return { message: `Google Sheets API error (${what})${detail}`, description: hint };
}

/** The transport a node uses: its `authentication` parameter picks the credential. */
export async function createTransport(ctx: IExecuteFunctions, itemIndex = 0): Promise<SheetsTransport> {
	const authentication = ctx.getNodeParameter('authentication', itemIndex, 'oAuth2') as string;
	const credentialType: CrmCredentialType =
		authentication === 'serviceAccount' ? 'googleSheetsCrmServiceAccountApi' : 'googleSheetsCrmOAuth2Api';
	const credentials = await ctx.getCredentials(credentialType, itemIndex);
	const baseUrl = String(credentials.apiBaseUrl || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
	return createSheetsTransport(
		async (request) =>
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				body: request.body,
				json: true,
			}),
		{
			toError: (failure, tries, request) => {
				const { message, description } = failureMessage(failure, tries, request);
				const httpCode = failure.status === undefined ? undefined : String(failure.status);
				return new NodeApiError(ctx.getNode(), { message, description: description ?? '', httpCode: httpCode ?? '' } as JsonObject, {
					message,
					description,
					httpCode,
					itemIndex,
				});
			},
		},
	);
}
