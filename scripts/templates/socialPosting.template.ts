/**
 * Template 6, social posting: every morning the posts of a ContentCalendar tab that are due
 * (status "scheduled", date today or earlier) go out with n8n's own X and LinkedIn nodes,
 * and are marked posted and logged as touchpoints. The posting nodes ship disabled; a
 * disabled node passes its items through unchanged, so "Really posted?" lets only real
 * API answers (which never carry the calendar's rowNumber) mark a post as posted.
 */
import { PKG, stableId, WorkflowTemplate, type Parameters } from './builder';
import { LINKEDIN, SHEETS_CRM, SPREADSHEET, X_ACCOUNT } from './credentials';

export const fileName = 'social-posting.json';
export const SOCIAL_POSTING_ID = 'SoloSalesSocial1';

const DUE = 'Due posts';
const MARK = 'Mark as posted';

function condition(key: string, leftValue: string, type: string, operation: string, rightValue: unknown = ''): Parameters {
	const singleValue = ['empty', 'notEmpty', 'exists', 'notExists', 'true', 'false'].includes(operation);
	return { id: stableId(`social-posting/${key}`), leftValue, rightValue, operator: { type, operation, ...(singleValue ? { singleValue } : {}) } };
}

function filterConditions(list: Parameters[]): Parameters {
	return { options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 }, conditions: list, combinator: 'and' };
}

/** Switch rule sending a channel's posts to its own output. */
function channelRule(channel: string, outputKey: string): Parameters {
	return {
		conditions: filterConditions([condition(`channel-${outputKey}`, '={{ String($json.channel).trim() }}', 'string', 'equals', channel)]),
		renameOutput: true,
		outputKey,
	};
}

/** The result of a post, in the ContentCalendar's columns. */
function postResult(t: WorkflowTemplate, name: string, position: [number, number], postId: string): void {
	t.add(name, 'n8n-nodes-base.set', 3.4, position, {
		assignments: {
			assignments: [
				{ id: stableId(`social-posting/${name}/id`), name: 'id', value: `={{ $('${DUE}').item.json.id }}`, type: 'string' },
				{ id: stableId(`social-posting/${name}/channel`), name: 'channel', value: `={{ $('${DUE}').item.json.channel }}`, type: 'string' },
				{ id: stableId(`social-posting/${name}/campaign`), name: 'campaign', value: `={{ $('${DUE}').item.json.campaign }}`, type: 'string' },
				{ id: stableId(`social-posting/${name}/text`), name: 'text', value: `={{ $('${DUE}').item.json.text }}`, type: 'string' },
				{ id: stableId(`social-posting/${name}/status`), name: 'status', value: 'posted', type: 'string' },
				{ id: stableId(`social-posting/${name}/postedAt`), name: 'postedAt', value: '={{ $now.toUTC().toISO() }}', type: 'string' },
				{ id: stableId(`social-posting/${name}/postId`), name: 'postId', value: postId, type: 'string' },
			],
		},
		options: {},
	});
}

function reallyPosted(t: WorkflowTemplate, name: string, position: [number, number]): void {
	t.add(name, 'n8n-nodes-base.filter', 2.2, position, {
		conditions: filterConditions([condition(`${name}-row`, '={{ $json.rowNumber }}', 'number', 'notExists')]),
		looseTypeValidation: true,
		options: {},
	});
}

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(SOCIAL_POSTING_ID, 'Solo Sales: social posting', ['solo-sales', 'social']);
	const crm = { credentials: SHEETS_CRM };

	t.add('Every morning', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 300], { rule: { interval: [{ field: 'days', triggerAtHour: 9 }] } });
	t.add('Get scheduled posts', `${PKG}.salesCrmSheet`, 1, [220, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'ContentCalendar',
		keyField: 'id',
		returnMode: 'filter',
		filters: { conditions: [{ field: 'status', value: 'scheduled' }] },
		options: {},
	}, crm);
	t.add(DUE, 'n8n-nodes-base.filter', 2.2, [440, 300], {
		conditions: filterConditions([
			condition('date', '={{ $json.date }}', 'dateTime', 'beforeOrEquals', '={{ $today.plus({ days: 1 }).minus({ milliseconds: 1 }) }}'),
			condition('text', '={{ $json.text }}', 'string', 'notEmpty'),
		]),
		looseTypeValidation: true,
		options: {},
	});
	t.add('By channel', 'n8n-nodes-base.switch', 3.2, [660, 300], {
		rules: { values: [channelRule('X', 'X'), channelRule('LinkedIn', 'LinkedIn')] },
		looseTypeValidation: true,
		options: { fallbackOutput: 'none', ignoreCase: true },
	});
	t.add('Post on X', 'n8n-nodes-base.twitter', 2, [880, 200], { text: '={{ $json.text }}', additionalFields: {} }, { credentials: X_ACCOUNT, disabled: true });
	t.add('Post on LinkedIn', 'n8n-nodes-base.linkedIn', 1, [880, 420], {
		postAs: 'person',
		person: '',
		text: '={{ $json.text }}',
		shareMediaCategory: 'NONE',
		additionalFields: {},
	}, { credentials: LINKEDIN, disabled: true });
	reallyPosted(t, 'Really posted on X?', [1100, 200]);
	reallyPosted(t, 'Really posted on LinkedIn?', [1100, 420]);
	postResult(t, 'X post', [1320, 200], '={{ $json.id ?? "" }}');
	postResult(t, 'LinkedIn post', [1320, 420], '={{ $json.urn ?? $json.id ?? "" }}');
	t.add(MARK, `${PKG}.salesCrmSheet`, 1, [1540, 300], {
		authentication: 'oAuth2',
		operation: 'upsert',
		spreadsheetId: SPREADSHEET,
		tab: 'ContentCalendar',
		keyField: 'id',
		dataMode: 'autoMap',
		options: {},
	}, crm);
	t.add('Log post', `${PKG}.salesCrmSheet`, 1, [1760, 300], {
		authentication: 'oAuth2',
		operation: 'appendActivity',
		spreadsheetId: SPREADSHEET,
		activityTab: 'Touchpoints',
		dataMode: 'define',
		fieldValues: {
			values: [
				// This node runs once per channel branch: the run index keeps the log ids unique.
				{ fieldName: 'id', fieldValue: '={{ $execution.id }}-{{ $runIndex }}-{{ $itemIndex }}' },
				{ fieldName: 'type', fieldValue: 'social post' },
				{ fieldName: 'channel', fieldValue: '={{ $json.channel }}' },
				{ fieldName: 'campaign', fieldValue: '={{ $json.campaign }}' },
				{ fieldName: 'subject', fieldValue: '={{ $json.text.slice(0, 80) }}' },
				{ fieldName: 'details', fieldValue: '=calendar {{ $json.id }}, post {{ $json.postId }}' },
			],
		},
		options: {},
	}, crm);

	t.chain('Every morning', 'Get scheduled posts', DUE, 'By channel');
	t.connect('By channel', 'Post on X', 0);
	t.connect('By channel', 'Post on LinkedIn', 1);
	t.chain('Post on X', 'Really posted on X?', 'X post', MARK);
	t.chain('Post on LinkedIn', 'Really posted on LinkedIn?', 'LinkedIn post', MARK);
	t.connect(MARK, 'Log post');

	t.note(
		'setup',
		`## Social posting from a content calendar
Every morning at 9, posts that are due go out on X and LinkedIn, are marked \`posted\` and logged to **Touchpoints**.

**Set up**
1. Fill the **ContentCalendar** tab (\`id, date, channel, text, campaign, status, postedAt, postId\`; *Sales CRM → Set Up CRM Spreadsheet* creates it). One row per post; \`channel\` is \`X\` or \`LinkedIn\`; \`status\` \`scheduled\` means "post it on \`date\` (or as soon as possible after)".
2. Credentials: your **Google Sheets CRM** credential on the Sales CRM nodes; set the n8n variable \`SOLO_SALES_SPREADSHEET\` to the sheet's URL.
3. **X** and **LinkedIn** nodes are **disabled**: add your X (OAuth2) / LinkedIn credential, pick your LinkedIn profile, then enable the node (select it, press D).`,
		[0, -80],
		[560, 340],
	);
	t.note(
		'safety',
		`## Nothing is marked posted unless it was
A disabled node passes its items on unchanged. *Really posted?* lets through only answers from X or LinkedIn (they never carry the calendar's \`rowNumber\`), so posts stay \`scheduled\` until their channel is enabled.`,
		[880, -40],
		[480, 200],
		6,
	);
	return t;
}
