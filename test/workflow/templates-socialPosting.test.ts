/**
 * Template 6 (social posting): structure checks, and the workflow run in-process against the
 * local Sheets API server: as shipped (X and LinkedIn disabled) nothing may be marked posted;
 * with the X node enabled (a stand-in answering like the X API v2 "create tweet" endpoint) the
 * due X posts, and only those, are marked posted with their tweet id and logged.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';
import * as template from '../../scripts/templates/socialPosting.template';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { committedTemplate, registerNodeType, runTemplate, tabRecords, templateStructureTests, testCredentials } from './templates-support';

describe('social posting template: structure', () => {
	templateStructureTests(template);

	test('the X and LinkedIn nodes ship disabled, with credentials referenced by type', () => {
		const nodes = committedTemplate(template).nodes;
		for (const type of ['n8n-nodes-base.twitter', 'n8n-nodes-base.linkedIn']) {
			const node = nodes.find((n) => n.type === type)!;
			expect(node.disabled).toBe(true);
			expect(Object.keys(node.credentials ?? {})).toEqual([type.endsWith('twitter') ? 'twitterOAuth2Api' : 'linkedInOAuth2Api']);
		}
	});
});

const DAY = 86_400_000;
const CALENDAR_HEADERS = ['id', 'date', 'channel', 'text', 'campaign', 'status', 'postedAt', 'postId'];
const TOUCHPOINT_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Touchpoints')!.headers;

/** Answers like the X API v2 create-tweet call: `data` of POST /2/tweets. */
class FakeXPost implements INodeType {
	static posted: string[] = [];
	description = {
		displayName: 'Fake X',
		name: 'fakeX',
		group: ['output'],
		version: 2,
		description: 'Test stand-in for the X node',
		defaults: { name: 'Fake X' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', default: {}, options: [] },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, i) => {
				const text = this.getNodeParameter('text', i) as string;
				FakeXPost.posted.push(text);
				const id = String(1790000000000000000n + BigInt(FakeXPost.posted.length));
				return { json: { id, text, edit_history_tweet_ids: [id] }, pairedItem: { item: i } };
			}),
		];
	}
}

function isoDay(offsetDays: number): string {
	return new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
}

/** Days are at least 3 away from today, so no time zone can move a post across "today". */
function calendar(): (string | number)[][] {
	return [
		CALENDAR_HEADERS,
		['p1', isoDay(-3), 'X', 'Launch day: the solo sales kit is live', 'launch', 'scheduled', '', ''],
		['p2', isoDay(-3), 'LinkedIn', 'What I learned selling alone for a year', 'launch', 'scheduled', '', ''],
		['p3', isoDay(3), 'X', 'Not yet', 'launch', 'scheduled', '', ''],
		['p4', isoDay(-10), 'X', 'Already out', 'launch', 'posted', '2024-01-01T09:00:00.000Z', '1'],
		['p5', isoDay(-4), 'X', '', 'launch', 'scheduled', '', ''],
		['p6', isoDay(-5), 'x ', 'Overdue post, lower-case channel', 'tips', 'scheduled', '', ''],
		['p7', isoDay(-5), 'Mastodon', 'No node for this channel', 'tips', 'scheduled', '', ''],
		['p8', isoDay(-6), 'X', 'Draft, not scheduled', 'tips', 'draft', '', ''],
	];
}

let sheets: SheetsServer;
beforeAll(async () => {
	sheets = await startSheetsServer();
	registerNodeType('test.fakeX', new FakeXPost());
});
afterAll(async () => sheets.close());

describe('social posting template: run', () => {
	test('as shipped (posting nodes disabled) nothing is marked posted and nothing is logged', async () => {
		const rows = calendar();
		const id = sheets.createSpreadsheet({ ContentCalendar: rows, Touchpoints: [TOUCHPOINT_HEADERS] });
		const before = sheets.getValues(id, 'ContentCalendar');
		const writesBefore = sheets.requests.filter((r) => r.method !== 'GET').length;
		const run = await runTemplate(committedTemplate(template), { trigger: 'Every morning', triggerItems: [{}], spreadsheetId: id, credentials: testCredentials(sheets) });
		expect(run.error).toBeUndefined();
		// The disabled nodes passed the due posts on, and the guard stopped every one of them.
		expect(run.nodeOutputs('Post on X')[0].map((item) => item.json.id)).toEqual(['p1', 'p6']);
		expect(run.nodeOutputs('Post on LinkedIn')[0].map((item) => item.json.id)).toEqual(['p2']);
		expect(sheets.getValues(id, 'ContentCalendar')).toEqual(before);
		expect(sheets.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
		expect(sheets.getValues(id, 'Touchpoints')).toEqual([TOUCHPOINT_HEADERS]);
	});

	test('with X enabled, exactly the due X posts go out, are marked posted with their tweet id, and are logged', async () => {
		const rows = calendar();
		const id = sheets.createSpreadsheet({ ContentCalendar: rows, Touchpoints: [TOUCHPOINT_HEADERS] });
		FakeXPost.posted = [];
		const startMs = Date.now();
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'Every morning',
			triggerItems: [{}],
			spreadsheetId: id,
			credentials: testCredentials(sheets),
			patch: { 'Post on X': { type: 'test.fakeX', disabled: false } },
		});
		expect(run.error).toBeUndefined();

		// Due = scheduled, dated today or earlier, with text; X = channel "x" in any case or spacing.
		const due = tabRecords(rows).filter(
			(r) => r.status === 'scheduled' && String(r.date) <= isoDay(0) && r.text !== '' && String(r.channel).trim().toLowerCase() === 'x',
		);
		expect(due.map((r) => r.id)).toEqual(['p1', 'p6']);
		expect(FakeXPost.posted).toEqual(due.map((r) => r.text));

		const after = new Map(tabRecords(sheets.getValues(id, 'ContentCalendar')).map((r) => [r.id, r]));
		due.forEach((row, k) => {
			const stored = after.get(row.id)!;
			expect(stored).toMatchObject({ status: 'posted', postId: String(1790000000000000000n + BigInt(k + 1)) });
			expect(Date.parse(String(stored.postedAt))).toBeGreaterThanOrEqual(startMs - 1000);
		});
		for (const other of ['p2', 'p3', 'p5', 'p7', 'p8']) expect(after.get(other)).toMatchObject({ status: tabRecords(rows).find((r) => r.id === other)!.status, postId: null });

		const log = tabRecords(sheets.getValues(id, 'Touchpoints'));
		expect(log.map((r) => [r.type, r.channel, r.campaign, r.subject])).toEqual(due.map((r) => ['social post', r.channel, r.campaign, String(r.text).slice(0, 80)]));
		expect(log.map((r) => r.details)).toEqual(due.map((r, k) => `calendar ${r.id}, post ${String(1790000000000000000n + BigInt(k + 1))}`));
	});

	test('with both channels enabled, each due post goes out on its own channel and every log row has its own id', async () => {
		const rows = calendar();
		const id = sheets.createSpreadsheet({ ContentCalendar: rows, Touchpoints: [TOUCHPOINT_HEADERS] });
		FakeXPost.posted = [];
		const enabled = { type: 'test.fakeX', disabled: false };
		const run = await runTemplate(committedTemplate(template), {
			trigger: 'Every morning',
			triggerItems: [{}],
			spreadsheetId: id,
			credentials: testCredentials(sheets),
			patch: { 'Post on X': enabled, 'Post on LinkedIn': enabled },
		});
		expect(run.error).toBeUndefined();
		const after = tabRecords(sheets.getValues(id, 'ContentCalendar'));
		expect(after.filter((r) => r.status === 'posted').map((r) => r.id).sort()).toEqual(['p1', 'p2', 'p4', 'p6']);
		const log = tabRecords(sheets.getValues(id, 'Touchpoints'));
		expect(log.map((r) => String(r.details).split(',')[0]).sort()).toEqual(['calendar p1', 'calendar p2', 'calendar p6']);
		expect(new Set(log.map((r) => r.id)).size).toBe(3);
	});
});
