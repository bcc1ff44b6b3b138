/**
 * The standard CRM spreadsheet: tab names, their header rows and key fields. The Sales CRM
 * node's "Set Up CRM Spreadsheet" creates these, the Stage Mover writes StageHistory, the
 * templates log rejected input to Errors (Append Activity), and they read and write the same
 * names; change them here only.
 */
export interface StandardTab {
	/** Tab title in the spreadsheet. */
	tab: string;
	/** Header row (row 1), in column order. */
	headers: string[];
	/** The field that identifies a row, or undefined for append-only logs. */
	keyField?: string;
	/** One line for the docs and the node's hints. */
	description: string;
}

export const STANDARD_TABS: readonly StandardTab[] = [
	{
		tab: 'Leads',
		keyField: 'email',
		headers: [
			'email', 'name', 'company', 'phone', 'source', 'campaign', 'stage', 'score', 'owner',
			'createdAt', 'updatedAt', 'lastActivityAt', 'stageChangedAt', 'lostReason', 'notes',
			// Written by the Daily follow-ups and Inquiry auto-reply templates.
			'followUpStep', 'followUpStage', 'lastFollowUpAt', 'repliedAt', 'unsubscribed',
		],
		description: 'One row per person who showed interest, found by email',
	},
	{
		tab: 'Deals',
		keyField: 'id',
		headers: [
			'id', 'leadEmail', 'name', 'stage', 'amount', 'currency', 'probability', 'expectedCloseDate',
			'createdAt', 'updatedAt', 'lastActivityAt', 'stageChangedAt', 'wonReason', 'lostReason', 'notes',
		],
		description: 'One row per sales opportunity moving through the pipeline',
	},
	{
		tab: 'Orders',
		keyField: 'id',
		headers: ['id', 'customerEmail', 'date', 'amount', 'currency', 'product', 'campaign', 'notes'],
		description: 'One row per purchase (the input of customer lifetime value)',
	},
	{
		tab: 'Campaigns',
		keyField: 'id',
		headers: [
			'id', 'name', 'channel', 'startDate', 'endDate', 'spend', 'impressions', 'clicks', 'leads', 'conversions', 'revenue',
			'budget', 'objective', 'objectiveTarget', 'objectiveAchieved',
		],
		description: 'One row per marketing campaign with its spend and results',
	},
	{
		tab: 'Touchpoints',
		keyField: 'id',
		headers: ['id', 'time', 'email', 'type', 'channel', 'campaign', 'subject', 'details', 'executionId', 'converted', 'value'],
		description: 'Activity log: emails, replies, calls, form fills, one row per touch',
	},
	{
		tab: 'StageHistory',
		headers: ['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId'],
		description: 'Audit log of every stage change (append-only)',
	},
	{
		tab: 'Models',
		keyField: 'name',
		headers: ['name', 'type', 'trainedAt', 'rows', 'model', 'version', 'auc', 'deviance'],
		description: 'Trained models (e.g. lead scoring weights) as JSON',
	},
	{
		tab: 'Reports',
		headers: ['date', 'report', 'period', 'metric', 'value', 'details'],
		description: 'Weekly report figures, one row per metric',
	},
	{
		tab: 'Variants',
		headers: ['campaign', 'variant', 'description', 'trials', 'successes'],
		description: 'A/B test variants with their trials and successes, one row per variant',
	},
	{
		tab: 'ContentCalendar',
		keyField: 'id',
		headers: ['id', 'date', 'channel', 'text', 'campaign', 'status', 'postedAt', 'postId'],
		description: 'Social posts to publish (Social posting template), one row per post',
	},
	{
		tab: 'IntentRules',
		keyField: 'intent',
		headers: ['intent', 'keywords'],
		description: 'Keywords that sort inbound emails into intents (Inquiry auto-reply), first match wins',
	},
	{
		tab: 'FAQ',
		keyField: 'intent',
		headers: ['intent', 'subject', 'answer'],
		description: 'The reply for each intent (Inquiry auto-reply)',
	},
	{
		tab: 'Errors',
		headers: ['time', 'workflow', 'executionId', 'source', 'itemIndex', 'field', 'value', 'message'],
		description: 'Rejected input (bad webhook payloads, emails with no sender), one row per problem (append-only)',
	},
];

export function standardTab(tab: string): StandardTab | undefined {
	return STANDARD_TABS.find((t) => t.tab === tab);
}
