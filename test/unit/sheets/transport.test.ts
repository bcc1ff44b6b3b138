import fc from 'fast-check';
import { createSheetsTransport, describeFailure, failureMessage, type SheetsRequest } from '../../../nodes/shared/sheets/transport';
import { MAX_DELAY_MS, MAX_TRIES, parseRetryAfter, retryDelayMs } from '../../../nodes/shared/sheets/retry';

/** An error shaped like what n8n's httpRequestWithAuthentication throws: NodeApiError whose cause is the axios error. */
function httpError(status: number, headers: Record<string, string> = {}, googleStatus = 'RESOURCE_EXHAUSTED') {
	const axiosError = Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, headers, data: { error: { code: status, message: `boom ${status}`, status: googleStatus } } },
	});
	return Object.assign(new Error('wrapped'), { cause: axiosError, httpCode: String(status) });
}

function harness(failures: unknown[]) {
	const waits: number[] = [];
	const sent: SheetsRequest[] = [];
	const transport = createSheetsTransport(
		async (request) => {
			sent.push(request);
			const failure = failures.shift();
			if (failure) throw failure;
			return { ok: true, valueRanges: [] };
		},
		{
			wait: async (ms) => {
				waits.push(ms);
			},
			random: () => 0.5,
			toError: (failure, tries) => new Error(failureMessage(failure, tries).message),
		},
	);
	return { transport, waits, sent };
}

describe('retry policy', () => {
	test('delay = min(2^n s + random ms, 64 s), Retry-After wins (capped at 64 s)', () => {
		fc.assert(
			fc.property(fc.nat(20), fc.double({ min: 0, max: 0.999, noNaN: true }), (n, r) => {
				const expected = Math.min(Math.pow(2, n) * 1000 + Math.floor(r * 1000), 64_000);
				expect(retryDelayMs(n, undefined, () => r)).toBe(expected);
			}),
		);
		expect(retryDelayMs(3, 7)).toBe(7000);
		expect(retryDelayMs(0, 0)).toBe(0);
		expect(retryDelayMs(0, 3600)).toBe(MAX_DELAY_MS);
		expect(parseRetryAfter('12')).toBe(12);
		expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3);
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	test('five 429s then success: one API call, five retries, exponential waits', async () => {
		const { transport, waits, sent } = harness(Array.from({ length: 5 }, () => httpError(429)));
		await transport.batchGet('sheet', ["'Leads'"]);
		expect(transport.apiCalls).toBe(1);
		expect(transport.retries).toBe(5);
		expect(sent).toHaveLength(6);
		expect(waits).toEqual([1500, 2500, 4500, 8500, 16500]);
	});

	test('Retry-After from the response is honoured; 5xx is retried too', async () => {
		const { transport, waits } = harness([httpError(503, { 'retry-after': '2' }, 'UNAVAILABLE'), httpError(500, {}, 'INTERNAL')]);
		await transport.getSpreadsheet('sheet');
		expect(waits).toEqual([2000, 2500]); // second retry: 2^1 s + 500 ms
	});

	test('bounded: after MAX_TRIES the error names the status and the tries', async () => {
		const { transport, sent } = harness(Array.from({ length: 20 }, () => httpError(429)));
		await expect(transport.append('s', "'Leads'!A1", [['a']], 'RAW')).rejects.toThrow(
			`Google Sheets API kept failing (429 RESOURCE_EXHAUSTED) after ${MAX_TRIES} tries: boom 429`,
		);
		expect(sent).toHaveLength(MAX_TRIES);
	});

	test('client errors are not retried', async () => {
		const { transport, sent } = harness([httpError(400, {}, 'INVALID_ARGUMENT')]);
		await expect(transport.batchGet('s', ['x'])).rejects.toThrow('Google Sheets API error (400 INVALID_ARGUMENT): boom 400');
		expect(sent).toHaveLength(1);
	});

	test('empty writes make no call', async () => {
		const { transport, sent } = harness([]);
		await transport.batchUpdate('s', [], 'RAW');
		await transport.append('s', "'Leads'!A1", [], 'RAW');
		await transport.addSheets('s', []);
		expect(sent).toHaveLength(0);
		expect(transport.apiCalls).toBe(0);
	});

	test('requests: repeated ranges in batchGet, encoded append range, INSERT_ROWS, RAW', async () => {
		const { transport, sent } = harness([]);
		await transport.batchGet('id 1', ["'Q1 Leads'", "'StageHistory'"]);
		await transport.append('id', "'Q1 Leads'!A1", [['a']], 'USER_ENTERED');
		await transport.batchUpdate('id', [{ range: "'Leads'!B2", values: [['x']] }], 'RAW');
		expect(sent[0].path).toBe(
			"/v4/spreadsheets/id%201/values:batchGet?ranges=%27Q1+Leads%27&ranges=%27StageHistory%27&majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=FORMATTED_STRING",
		);
		expect(sent[1]).toEqual({
			method: 'POST',
			path: "/v4/spreadsheets/id/values/'Q1%20Leads'!A1:append?valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS",
			body: { range: "'Q1 Leads'!A1", majorDimension: 'ROWS', values: [['a']] },
		});
		expect(sent[2].body).toEqual({ valueInputOption: 'RAW', data: [{ range: "'Leads'!B2", values: [['x']] }], includeValuesInResponse: false });
	});

	test('describeFailure reads status, Retry-After and Google error from wrapped errors', () => {
		expect(describeFailure(httpError(429, { 'retry-after': '4' }))).toEqual({
			status: 429,
			code: undefined,
			retryAfterSeconds: 4,
			googleStatus: 'RESOURCE_EXHAUSTED',
			googleMessage: 'boom 429',
		});
		expect(describeFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ status: undefined, code: 'ECONNRESET' });
	});
});
