import fc from 'fast-check';
import { createSheetsTransport, describeFailure, failureMessage, type SheetsRequest } from '../../../nodes/shared/sheets/transport';
import { isRetryable, MAX_DELAY_MS, MAX_TRIES, parseRetryAfter, retryDelayMs } from '../../../nodes/shared/sheets/retry';

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
			toError: (failure, tries, request) => {
				const { message, description } = failureMessage(failure, tries, request);
				return Object.assign(new Error(message), { description });
			},
		},
	);
	return { transport, waits, sent };
}

function connectionError(code: string) {
	return Object.assign(new Error(`connect ${code}`), { code });
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
			idempotent: false,
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

describe('idempotency: appends are not repeated when Google may have applied them', () => {
	test.each([500, 502, 504])('append after %i: one request, not retried, the error says why', async (status) => {
		const { transport, sent } = harness([httpError(status, {}, 'INTERNAL'), httpError(status)]);
		const failure = transport.append('s', "'Leads'!A1", [['a@x.com']], 'RAW');
		await expect(failure).rejects.toThrow(`Google Sheets API error (${status} INTERNAL) while adding rows or tabs; not retried: boom ${status}`);
		await expect(failure).rejects.toMatchObject({ description: expect.stringMatching(/could add them twice/) });
		expect(sent).toHaveLength(1);
		expect(transport.retries).toBe(0);
	});

	test.each([429, 503])('append after %i is retried (Google did not apply it)', async (status) => {
		const { transport, sent } = harness([httpError(status), httpError(status)]);
		await transport.append('s', "'Leads'!A1", [['a@x.com']], 'RAW');
		expect(sent).toHaveLength(3);
		expect(transport.retries).toBe(2);
	});

	test.each([500, 502, 504, 503, 429])('batchUpdate and reads after %i are retried (same cells, same values)', async (status) => {
		const { transport, sent } = harness([httpError(status), httpError(status)]);
		await transport.batchUpdate('s', [{ range: "'Leads'!B2", values: [['x']] }], 'RAW');
		await transport.batchGet('s', ["'Leads'"]);
		expect(sent.map((r) => r.method)).toEqual(['POST', 'POST', 'POST', 'GET']);
	});

	test('connections: refused (never sent) is retried for appends; reset (maybe sent) is not', async () => {
		const refused = harness([connectionError('ECONNREFUSED'), connectionError('EAI_AGAIN')]);
		await refused.transport.append('s', "'Leads'!A1", [['a']], 'RAW');
		expect(refused.sent).toHaveLength(3);
		const reset = harness([connectionError('ECONNRESET')]);
		await expect(reset.transport.append('s', "'Leads'!A1", [['a']], 'RAW')).rejects.toThrow('Google Sheets API error (ECONNRESET) while adding rows or tabs; not retried');
		expect(reset.sent).toHaveLength(1);
		const resetRead = harness([connectionError('ECONNRESET')]);
		await resetRead.transport.batchGet('s', ["'Leads'"]);
		expect(resetRead.sent).toHaveLength(2);
	});

	test('adding tabs is not repeated after a 500 either', async () => {
		const { transport, sent } = harness([httpError(500, {}, 'INTERNAL')]);
		await expect(transport.addSheets('s', ['Errors'])).rejects.toThrow(/not retried/);
		expect(sent).toHaveLength(1);
	});

	// A simulated Google: each request meets a fault (or none); a 500/502/504 or a reset after
	// sending is adversarial (the write WAS applied, then the answer was lost), 429/503/refused
	// never apply it. Whatever the faults, an append lands at most once, and exactly once when
	// the transport reports success; an idempotent update always ends with the cell written
	// when it reports success.
	const fault = fc.constantFrom<number | string | null>(null, 429, 500, 502, 503, 504, 400, 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT');
	test('property: an append lands at most once, exactly once on success', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fault, { maxLength: 10 }), fc.boolean(), async (faults, isAppend) => {
				let landed = 0;
				const queue = [...faults];
				const transport = createSheetsTransport(
					async () => {
						const f = queue.shift() ?? null;
						const appliedAnyway = f === 500 || f === 502 || f === 504 || f === 'ECONNRESET' || f === 'ETIMEDOUT';
						if (f === null || appliedAnyway) landed++;
						if (f === null) return {};
						throw typeof f === 'string' ? connectionError(f) : httpError(f);
					},
					{ wait: async () => undefined, toError: (failure, tries, request) => new Error(failureMessage(failure, tries, request).message) },
				);
				const run = isAppend ? transport.append('s', "'Leads'!A1", [['a']], 'RAW') : transport.batchUpdate('s', [{ range: "'Leads'!A2", values: [['a']] }], 'RAW');
				const ok = await run.then(
					() => true,
					() => false,
				);
				if (isAppend) {
					expect(landed).toBeLessThanOrEqual(1);
					if (ok) expect(landed).toBe(1);
				} else if (ok) {
					expect(landed).toBeGreaterThanOrEqual(1);
				}
			}),
			{ numRuns: 500 },
		);
	});

	test('the rule, case by case', () => {
		expect(isRetryable(500, undefined)).toBe(true); // default: idempotent
		expect(isRetryable(500, undefined, false)).toBe(false);
		expect(isRetryable(503, undefined, false)).toBe(true);
		expect(isRetryable(404, undefined)).toBe(false);
		expect(isRetryable(undefined, 'ECONNREFUSED', false)).toBe(true);
		expect(isRetryable(undefined, 'ETIMEDOUT', false)).toBe(false);
		expect(isRetryable(undefined, 'ETIMEDOUT')).toBe(true);
		expect(isRetryable(undefined, 'ENOTFOUND')).toBe(false); // a wrong host name does not fix itself
	});
});
