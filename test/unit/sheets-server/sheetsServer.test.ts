/**
 * The local Sheets API server against Google's documented behaviour. Expected values marked
 * "docs" are copied from Google's "Basic writing" / "Basic reading" samples
 * (https://developers.google.com/sheets/api/samples/writing, .../samples/reading) and the
 * values.append reference; the rest state documented rules (A1 notation, trailing-empty
 * omission, RAW vs USER_ENTERED, error shapes).
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type SheetsServer } from '../../servers/sheetsServer';

let server: SheetsServer;
beforeAll(async () => {
	server = await startSheetsServer();
});
afterAll(async () => server.close());

async function api(method: string, path: string, body?: unknown, token: string | null = DEFAULT_TEST_TOKEN) {
	const res = await fetch(`${server.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const values = (id: string, range: string, query = '') => `/v4/spreadsheets/${id}/values/${encodeURIComponent(range)}${query}`;

/** The docs' sample sheet, written the way "Write a single range" does. */
async function docsSheet(): Promise<string> {
	const id = server.createSpreadsheet({ Sheet1: [] });
	const res = await api('PUT', values(id, 'Sheet1!A1:D5', '?valueInputOption=USER_ENTERED'), {
		range: 'Sheet1!A1:D5',
		majorDimension: 'ROWS',
		values: [
			['Item', 'Cost', 'Stocked', 'Ship Date'],
			['Wheel', '$20.50', '4', '3/1/2016'],
			['Door', '$15', '2', '3/15/2016'],
			['Engine', '$100', '1', '3/20/2016'],
			['Totals', '=SUM(B2:B4)', '=SUM(C2:C4)', '=MAX(D2:D4)'],
		],
	});
	// docs: UpdateValuesResponse of "Write a single range"
	expect(res.status).toBe(200);
	expect(res.json).toEqual({ spreadsheetId: id, updatedRange: 'Sheet1!A1:D5', updatedRows: 5, updatedColumns: 4, updatedCells: 20 });
	return id;
}

describe('Google documented examples', () => {
	test('Basic reading: read a single range (formatted values)', async () => {
		const id = await docsSheet();
		const res = await api('GET', values(id, 'Sheet1!A1:D5'));
		expect(res.json).toEqual({
			range: 'Sheet1!A1:D5',
			majorDimension: 'ROWS',
			values: [
				['Item', 'Cost', 'Stocked', 'Ship Date'],
				['Wheel', '$20.50', '4', '3/1/2016'],
				['Door', '$15', '2', '3/15/2016'],
				['Engine', '$100', '1', '3/20/2016'],
				['Totals', '$135.5', '7', '3/20/2016'],
			],
		});
	});

	test('Basic reading: a range grouped by column', async () => {
		const id = await docsSheet();
		const res = await api('GET', values(id, 'Sheet1!B1:D4', '?majorDimension=COLUMNS'));
		expect(res.json).toEqual({
			range: 'Sheet1!B1:D4',
			majorDimension: 'COLUMNS',
			values: [
				['Cost', '$20.50', '$15', '$100'],
				['Stocked', '4', '2', '1'],
				['Ship Date', '3/1/2016', '3/15/2016', '3/20/2016'],
			],
		});
	});

	test('Basic reading: rendering options FORMULA + SERIAL_NUMBER', async () => {
		const id = await docsSheet();
		const res = await api('GET', values(id, 'Sheet1!A1:D5', '?valueRenderOption=FORMULA&dateTimeRenderOption=SERIAL_NUMBER'));
		expect(res.json.values).toEqual([
			['Item', 'Cost', 'Stocked', 'Ship Date'],
			['Wheel', 20.5, 4, 42430],
			['Door', 15, 2, 42444],
			['Engine', 100, 1, 42449],
			['Totals', '=SUM(B2:B4)', '=SUM(C2:C4)', '=MAX(D2:D4)'],
		]);
	});

	test('Basic reading: multiple ranges (batchGet, open-ended columns)', async () => {
		const id = await docsSheet();
		const res = await api(
			'GET',
			`/v4/spreadsheets/${id}/values:batchGet?ranges=Sheet1!B:B&ranges=Sheet1!D:D&valueRenderOption=UNFORMATTED_VALUE&majorDimension=COLUMNS`,
		);
		expect(res.json).toEqual({
			spreadsheetId: id,
			valueRanges: [
				{ range: 'Sheet1!B1:B1000', majorDimension: 'COLUMNS', values: [['Cost', 20.5, 15, 100, 135.5]] },
				{ range: 'Sheet1!D1:D1000', majorDimension: 'COLUMNS', values: [['Ship Date', 42430, 42444, 42449, 42449]] },
			],
		});
	});

	test('Basic writing: write multiple ranges (batchUpdate, ROWS and COLUMNS)', async () => {
		const id = server.createSpreadsheet({ Sheet1: [] });
		const res = await api('POST', `/v4/spreadsheets/${id}/values:batchUpdate`, {
			valueInputOption: 'USER_ENTERED',
			data: [
				{ range: 'Sheet1!A1:A4', majorDimension: 'COLUMNS', values: [['Item', 'Wheel', 'Door', 'Engine']] },
				{ range: 'Sheet1!B1:D2', majorDimension: 'ROWS', values: [['Cost', 'Stocked', 'Ship Date'], ['$20.50', '4', '3/1/2016']] },
			],
		});
		expect(res.json).toEqual({
			spreadsheetId: id,
			totalUpdatedRows: 4,
			totalUpdatedColumns: 4,
			totalUpdatedCells: 10,
			totalUpdatedSheets: 1,
			responses: [
				{ spreadsheetId: id, updatedRange: 'Sheet1!A1:A4', updatedRows: 4, updatedColumns: 1, updatedCells: 4 },
				{ spreadsheetId: id, updatedRange: 'Sheet1!B1:D2', updatedRows: 2, updatedColumns: 3, updatedCells: 6 },
			],
		});
	});

	test('Basic writing: append values after the table', async () => {
		const id = await docsSheet();
		const res = await api('POST', `${values(id, 'Sheet1!A1:E1')}:append?valueInputOption=USER_ENTERED`, {
			range: 'Sheet1!A1:E1',
			majorDimension: 'ROWS',
			values: [
				['Door', '$15', '2', '3/15/2016'],
				['Engine', '$100', '1', '3/20/2016'],
			],
		});
		expect(res.json).toEqual({
			spreadsheetId: id,
			tableRange: 'Sheet1!A1:D5',
			updates: { spreadsheetId: id, updatedRange: 'Sheet1!A6:D7', updatedRows: 2, updatedColumns: 4, updatedCells: 8 },
		});
		expect(server.getValues(id, 'Sheet1')[6]).toEqual(['Engine', 100, 1, 42449]);
	});
});

describe('values.append table detection', () => {
	test('appends after the table that starts inside the range, from its first column', async () => {
		// A table at B3:C5 (a gap row above it); the range covers whole columns A:E.
		const id = server.createSpreadsheet({ Sheet1: [[], [], [null, 'h1', 'h2'], [null, 1, 2], [null, 3, 4]] });
		const res = await api('POST', `${values(id, 'Sheet1!A:E')}:append?valueInputOption=RAW`, { values: [['x', 'y']] });
		expect(res.json.tableRange).toBe('Sheet1!B3:C5');
		expect((res.json.updates as { updatedRange: string }).updatedRange).toBe('Sheet1!B6:C6');
	});

	test('a range that starts on the header cell finds the whole table; a blank row ends it', async () => {
		const id = server.createSpreadsheet({ Sheet1: [['a', 'b', 'c'], [1, 2, 3], [], ['note']] });
		const res = await api('POST', `${values(id, 'Sheet1!A1')}:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS`, {
			values: [[4, 5, 6]],
		});
		expect(res.json.tableRange).toBe('Sheet1!A1:C2');
		expect(server.getValues(id, 'Sheet1')).toEqual([['a', 'b', 'c'], [1, 2, 3], [4, 5, 6], [], ['note']]);
	});

	test('OVERWRITE writes into the rows below the table; an empty range starts at its top-left cell', async () => {
		const id = server.createSpreadsheet({ Sheet1: [['a'], [1], [], ['note']] });
		await api('POST', `${values(id, 'Sheet1!A1')}:append?valueInputOption=RAW`, { values: [[2], [3]] });
		expect(server.getValues(id, 'Sheet1')).toEqual([['a'], [1], [2], [3]]);
		const empty = server.createSpreadsheet({ Sheet1: [] });
		const res = await api('POST', `${values(empty, 'Sheet1!C5')}:append?valueInputOption=RAW`, { values: [['x']] });
		expect(res.json.tableRange).toBeUndefined();
		expect((res.json.updates as { updatedRange: string }).updatedRange).toBe('Sheet1!C5');
		const inserted = server.createSpreadsheet({ Sheet1: [] });
		await api('POST', `${values(inserted, 'Sheet1!B3')}:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS`, { values: [['y']] });
		expect(server.getValues(inserted, 'Sheet1')).toEqual([[], [], [null, 'y']]);
	});
});

describe('A1 notation and responses', () => {
	test("quoted tab names with spaces and escaped quotes; responses quote names that need it", async () => {
		const id = server.createSpreadsheet({ 'Q1 Leads': [['email', 'name', 'stage'], ['a@x.com', 'Ann', 'New']], "It's": [['v'], [1]] });
		const res = await api('GET', values(id, "'Q1 Leads'!A1:C"));
		expect(res.json).toEqual({
			range: "'Q1 Leads'!A1:C1000",
			majorDimension: 'ROWS',
			values: [['email', 'name', 'stage'], ['a@x.com', 'Ann', 'New']],
		});
		const quoted = await api('GET', values(id, "'It''s'!A:A", '?valueRenderOption=UNFORMATTED_VALUE'));
		expect(quoted.json).toEqual({ range: "'It''s'!A1:A1000", majorDimension: 'ROWS', values: [['v'], [1]] });
		const whole = await api('GET', values(id, "'Q1 Leads'"));
		expect(whole.json.range).toBe("'Q1 Leads'!A1:Z1000");
	});

	test('trailing empty cells and rows are omitted; inner blanks kept; empty range has no values', async () => {
		const id = server.createSpreadsheet({ S: [['a', '', 'c', '', ''], [], ['', 'b'], [], []] });
		const res = await api('GET', values(id, 'S!A1:E10'));
		expect(res.json.values).toEqual([['a', '', 'c'], [], ['', 'b']]);
		const empty = await api('GET', values(id, 'S!F1:G3'));
		expect(empty.json).toEqual({ range: 'S!F1:G3', majorDimension: 'ROWS' });
	});

	test('unparseable ranges and unknown tabs: 400 INVALID_ARGUMENT "Unable to parse range"', async () => {
		const id = server.createSpreadsheet({ Leads: [['a']] });
		for (const range of ['Nope!A1', "'Q1 Leads'!A1", 'Leads!A1:B2:C3', "'Leads", 'Q1 Leads!A1']) {
			const res = await api('GET', values(id, range));
			expect(res.status).toBe(400);
			expect(res.json).toEqual({ error: { code: 400, message: `Unable to parse range: ${range}`, status: 'INVALID_ARGUMENT' } });
		}
	});
});

describe('value input', () => {
	test('RAW stores text as typed; USER_ENTERED parses numbers, booleans, formulas and strips a leading quote', async () => {
		const id = server.createSpreadsheet({ S: [] });
		const row = ['=1+1', '42', 'TRUE', "'=1+1", '+1 555', 7];
		await api('PUT', values(id, 'S!A1:F1', '?valueInputOption=RAW'), { values: [row] });
		await api('PUT', values(id, 'S!A2:F2', '?valueInputOption=USER_ENTERED'), { values: [row] });
		const raw = await api('GET', values(id, 'S!A1:F2', '?valueRenderOption=UNFORMATTED_VALUE'));
		expect(raw.json.values).toEqual([
			['=1+1', '42', 'TRUE', "'=1+1", '+1 555', 7],
			[2, 42, true, '=1+1', '+1 555', 7],
		]);
		expect(server.getCell(id, 'S', 'A1')).toEqual({ value: '=1+1' });
		expect(server.getCell(id, 'S', 'A2')?.formula).toBe('=1+1');
		const formulas = await api('GET', values(id, 'S!A2', '?valueRenderOption=FORMULA'));
		expect(formulas.json.values).toEqual([['=1+1']]);
	});

	test('valueInputOption is required; null skips a cell and "" clears it', async () => {
		const id = server.createSpreadsheet({ S: [['a', 'b', 'c']] });
		const missing = await api('PUT', values(id, 'S!A1'), { values: [['x']] });
		expect(missing.status).toBe(400);
		expect((missing.json.error as { message: string }).message).toBe("'valueInputOption' is required but not specified");
		await api('PUT', values(id, 'S!A1:C1', '?valueInputOption=RAW'), { values: [[null, '', 'z']] });
		expect(server.getValues(id, 'S')).toEqual([['a', null, 'z']]);
	});

	test('writing outside the range or the grid is refused', async () => {
		const id = server.createSpreadsheet({ S: [] });
		const outside = await api('PUT', values(id, 'S!A1:B1', '?valueInputOption=RAW'), { values: [[1, 2], [3, 4]] });
		expect(outside.status).toBe(400);
		expect((outside.json.error as { message: string }).message).toBe('Requested writing within range [S!A1:B1], but tried writing to row [2]');
		const grid = await api('PUT', values(id, 'S!AA1', '?valueInputOption=RAW'), { values: [[1]] });
		expect(grid.status).toBe(400);
		expect((grid.json.error as { message: string }).message).toMatch(/exceeds grid limits/);
	});
});

describe('spreadsheet metadata, addSheet and errors', () => {
	test('GET spreadsheet lists tabs with sheetId and grid size; addSheet adds tabs and refuses duplicates atomically', async () => {
		const id = server.createSpreadsheet({ Leads: [['a']] }, { title: 'CRM' });
		const add = await api('POST', `/v4/spreadsheets/${id}:batchUpdate`, {
			requests: [{ addSheet: { properties: { title: 'Deals' } } }, { addSheet: { properties: { title: 'Q1 Leads' } } }],
		});
		expect(add.status).toBe(200);
		const meta = await api('GET', `/v4/spreadsheets/${id}`);
		expect((meta.json.properties as { title: string }).title).toBe('CRM');
		const sheets = (meta.json.sheets as { properties: { title: string; sheetId: number; gridProperties: unknown } }[]).map((s) => s.properties);
		expect(sheets.map((s) => s.title)).toEqual(['Leads', 'Deals', 'Q1 Leads']);
		expect(new Set(sheets.map((s) => s.sheetId)).size).toBe(3);
		expect(sheets[0].gridProperties).toEqual({ rowCount: 1000, columnCount: 26 });
		const dup = await api('POST', `/v4/spreadsheets/${id}:batchUpdate`, {
			requests: [{ addSheet: { properties: { title: 'Orders' } } }, { addSheet: { properties: { title: 'Deals' } } }],
		});
		expect(dup.status).toBe(400);
		expect((dup.json.error as { status: string }).status).toBe('INVALID_ARGUMENT');
		const after = await api('GET', `/v4/spreadsheets/${id}`);
		expect((after.json.sheets as unknown[]).length).toBe(3);
	});

	test('404 NOT_FOUND for an unknown spreadsheet, 401 UNAUTHENTICATED without a valid Bearer token', async () => {
		const missing = await api('GET', '/v4/spreadsheets/nope');
		expect(missing.json).toEqual({ error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
		const id = server.createSpreadsheet({ S: [] });
		const anonymous = await api('GET', `/v4/spreadsheets/${id}`, undefined, null);
		expect(anonymous.status).toBe(401);
		expect((anonymous.json.error as { status: string }).status).toBe('UNAUTHENTICATED');
		const wrong = await api('GET', `/v4/spreadsheets/${id}`, undefined, 'wrong');
		expect(wrong.status).toBe(401);
	});

	test('failNext, delayNext and beforeNextWrite; requests are logged with status', async () => {
		const id = server.createSpreadsheet({ S: [['a']] });
		const before = server.requests.length;
		server.failNext(429, 2, { retryAfterSeconds: 3 });
		const first = await api('GET', `/v4/spreadsheets/${id}`);
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('3');
		expect((first.json.error as { status: string }).status).toBe('RESOURCE_EXHAUSTED');
		expect((await api('GET', `/v4/spreadsheets/${id}`)).status).toBe(429);
		expect((await api('GET', `/v4/spreadsheets/${id}`)).status).toBe(200);
		server.failNext(503, 1);
		expect((await api('GET', `/v4/spreadsheets/${id}`)).json.error).toEqual({
			code: 503,
			message: 'The service is currently unavailable.',
			status: 'UNAVAILABLE',
		});
		server.beforeNextWrite(() => server.setCell(id, 'S', 'B1', 'human'));
		await api('PUT', values(id, 'S!A1', '?valueInputOption=RAW'), { values: [['bot']] });
		expect(server.getValues(id, 'S')).toEqual([['bot', 'human']]);
		server.delayNext(50, 1);
		const t0 = Date.now();
		await api('GET', `/v4/spreadsheets/${id}`);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
		expect(server.requests.slice(before).map((r) => r.status)).toEqual([429, 429, 200, 503, 200, 200]);
		expect(server.requests[server.requests.length - 2]).toMatchObject({ method: 'PUT', query: { valueInputOption: 'RAW' }, body: { values: [['bot']] } });
	});

	test('failNext `only` waits for a matching request; `afterApplying` writes, then answers with the error', async () => {
		const id = server.createSpreadsheet({ S: [['a']] });
		const before = server.requests.length;
		server.failNext(500, 1, { only: /:append$/, afterApplying: true });
		expect((await api('GET', `/v4/spreadsheets/${id}`)).status).toBe(200); // not an append: passes
		const append = await api('POST', values(id, 'S!A1', ':append?valueInputOption=RAW'), { values: [['b']] });
		expect(append.status).toBe(500);
		expect(append.json.error).toEqual({ code: 500, message: 'Internal error encountered.', status: 'INTERNAL' });
		expect(server.getValues(id, 'S')).toEqual([['a'], ['b']]); // applied despite the 500
		server.failNext(504, 1);
		const timedOut = await api('POST', values(id, 'S!A1', ':append?valueInputOption=RAW'), { values: [['c']] });
		expect(timedOut.json.error).toMatchObject({ code: 504, status: 'DEADLINE_EXCEEDED' });
		expect(server.getValues(id, 'S')).toEqual([['a'], ['b']]); // not applied
		server.failNext(502, 1);
		const res = await fetch(`${server.url}/v4/spreadsheets/${id}`, { headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}` } });
		expect([res.status, res.headers.get('content-type')]).toEqual([502, 'text/html; charset=UTF-8']);
		expect(await res.text()).toContain('Error 502 (Server Error)');
		expect(server.requests.slice(before).map((r) => r.status)).toEqual([200, 500, 504, 502]);
	});
});

describe('service-account token endpoint', () => {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const email = 'robot@project.iam.gserviceaccount.com';
	let tokenServer: SheetsServer;
	beforeAll(async () => {
		tokenServer = await startSheetsServer({
			serviceAccount: { clientEmail: email, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
			acceptedTokens: [],
		});
	});
	afterAll(async () => tokenServer.close());

	function jwt(claims: Record<string, unknown>, key = privateKey): string {
		const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
		return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
	}
	const now = () => Math.floor(Date.now() / 1000);
	const good = () => ({
		iss: email,
		scope: 'https://www.googleapis.com/auth/spreadsheets',
		aud: tokenServer.tokenUrl,
		iat: now(),
		exp: now() + 3600,
	});
	async function exchange(assertion: string) {
		const res = await fetch(tokenServer.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	}

	test('a correctly signed JWT gets a token that the API accepts', async () => {
		const res = await exchange(jwt(good()));
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
		expect(tokenServer.issuedTokens).toBe(1);
		const id = tokenServer.createSpreadsheet({ S: [] });
		const api = await fetch(`${tokenServer.url}/v4/spreadsheets/${id}`, { headers: { authorization: `Bearer ${String(res.json.access_token)}` } });
		expect(api.status).toBe(200);
		expect((await fetch(`${tokenServer.url}/v4/spreadsheets/${id}`, { headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}` } })).status).toBe(401);
	});

	test.each([
		['wrong key', () => jwt(good(), other.privateKey), 'Invalid JWT Signature.'],
		['wrong issuer', () => jwt({ ...good(), iss: 'someone@else.com' }), 'Invalid email or User ID'],
		['wrong audience', () => jwt({ ...good(), aud: 'https://example.com/token' }), /audience/],
		['expired', () => jwt({ ...good(), iat: now() - 7200, exp: now() - 3600 }), /short-lived/],
		['no Sheets scope', () => jwt({ ...good(), scope: 'https://www.googleapis.com/auth/drive' }), /scope/],
	])('refuses a JWT with %s (400 invalid_grant)', async (_name, make, message) => {
		const res = await exchange(make());
		expect(res.status).toBe(400);
		expect(res.json.error).toBe('invalid_grant');
		expect(res.json.error_description).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
	});
});
