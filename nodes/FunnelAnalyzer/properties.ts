/**
 * The Funnel Analyzer's parameters (its public interface: templates store these names and defaults).
 */
import type { INodeProperties } from 'n8n-workflow';
import { DATE_FORMAT_OPTIONS } from '../shared/dateFormatOptions';

const counts = { show: { operation: ['stageCounts'] } };
const records = { show: { operation: ['records'] } };
const events = { show: { operation: ['eventLog'] } };

/** The Sales CRM sheet's pipeline (Won included, Lost left out: it is read as a status). */
const CRM_STAGES = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won'].map((name) => ({ name }));

function stageList(displayOptions: INodeProperties['displayOptions'], description: string): INodeProperties {
	return {
		displayName: 'Stages',
		name: 'stages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Stage',
		default: {},
		description,
		displayOptions,
		options: [
			{
				displayName: 'Stage',
				name: 'stage',
				values: [{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Stage or step name, exactly as in the data' }],
			},
		],
	};
}

const dateFormatOption: INodeProperties = {
	displayName: 'Date Format',
	name: 'dateFormat',
	type: 'options',
	options: DATE_FORMAT_OPTIONS,
	default: 'auto',
	description: 'How dates and timestamps are written. Texts without a time zone are read as UTC.',
};

const timeUnitOption: INodeProperties = {
	displayName: 'Time Unit',
	name: 'timeUnit',
	type: 'options',
	options: [
		{ name: 'Days', value: 'days' },
		{ name: 'Hours', value: 'hours' },
		{ name: 'Minutes', value: 'minutes' },
		{ name: 'Seconds', value: 'seconds' },
	],
	default: 'days',
	description: 'Unit of the time to next step and time in stage outputs',
};

const segmentOptions: INodeProperties[] = [
	{
		displayName: 'Segment Field',
		name: 'segmentField',
		type: 'string',
		default: '',
		placeholder: 'source',
		description:
			'Break the funnel down by this field (e.g. lead source), with a chi-square test per step and a z-test against the baseline segment. In event logs it is read from the first step\'s event.',
	},
	{
		displayName: 'Baseline Segment',
		name: 'baselineSegment',
		type: 'string',
		default: '',
		description: 'Segment the others are compared with. Empty: the segment with the most entries.',
	},
];

const comparisonOptions: INodeProperties[] = [
	{
		displayName: 'Benchmark Rates',
		name: 'benchmarkRates',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Benchmark Rate',
		default: {},
		description: 'Expected conversion rate from each step to the next, to find the step that fell most below it',
		options: [
			{
				displayName: 'Rate',
				name: 'rate',
				values: [
					{ displayName: 'Stage', name: 'stage', type: 'string', default: '', description: 'The step the rate starts from' },
					{ displayName: 'Conversion Rate (%)', name: 'percent', type: 'number', typeOptions: { minValue: 0, maxValue: 100 }, default: 50 },
				],
			},
		],
	},
	{
		displayName: 'Previous Result',
		name: 'previousResult',
		type: 'json',
		default: '',
		description:
			'A summary item of an earlier run of this node (e.g. last month), to compare conversion rates with. Use an expression that returns that item from an earlier node.',
	},
	{
		displayName: 'Comparison Label',
		name: 'comparisonLabel',
		type: 'string',
		default: '',
		description: 'How the comparison is named in the sentence, e.g. "last month". Default: "the benchmark" or "the previous period".',
	},
];

export const funnelAnalyzerProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Analyze Event Log',
				value: 'eventLog',
				description: 'One item per event or stage change (e.g. the StageHistory tab), with a conversion window',
				action: 'Analyze an event log',
			},
			{
				name: 'Analyze Records',
				value: 'records',
				description: 'One item per lead or deal with its current stage (e.g. the Deals tab), with pipeline metrics',
				action: 'Analyze records by current stage',
			},
			{
				name: 'Analyze Stage Counts',
				value: 'stageCounts',
				description: 'One item per stage with its count, or one item holding all counts',
				action: 'Analyze stage counts',
			},
		],
		default: 'records',
	},

	// ------------------------------------------------------------------ stage counts
	{
		displayName: 'Input Layout',
		name: 'countsLayout',
		type: 'options',
		noDataExpression: true,
		displayOptions: counts,
		options: [
			{ name: 'One Item per Stage', value: 'itemPerStage' },
			{ name: 'One Item With All Counts', value: 'countsObject', description: 'An object such as {"Lead": 100, "Quote": 70}' },
		],
		default: 'itemPerStage',
	},
	{
		displayName: 'Stage Name',
		name: 'stageName',
		type: 'string',
		default: '={{ $json.stage }}',
		description: 'The stage of each item',
		displayOptions: { show: { operation: ['stageCounts'], countsLayout: ['itemPerStage'] } },
	},
	{
		displayName: 'Count',
		name: 'count',
		type: 'string',
		default: '={{ $json.count }}',
		description: 'How many reached the stage',
		displayOptions: { show: { operation: ['stageCounts'], countsLayout: ['itemPerStage'] } },
	},
	{
		displayName: 'Segment',
		name: 'segment',
		type: 'string',
		default: '',
		placeholder: '={{ $json.source }}',
		description: 'Optional: the segment of each count (one item per stage and segment), for the breakdown and its tests',
		displayOptions: { show: { operation: ['stageCounts'], countsLayout: ['itemPerStage'] } },
	},
	{
		displayName: 'Counts Field',
		name: 'countsField',
		type: 'string',
		default: 'counts',
		description: 'Field of the first item holding the counts object. Empty: the whole item is the counts object.',
		displayOptions: { show: { operation: ['stageCounts'], countsLayout: ['countsObject'] } },
	},
	stageList(counts, 'Stage order. Empty: the order in which stages appear in the input.'),

	// ------------------------------------------------------------------ records
	{ ...stageList(records, 'Stage order of the funnel. A record at stage k counts as having reached stages 1..k.'), default: { stage: CRM_STAGES } },
	{
		displayName: 'Stage Field',
		name: 'stageField',
		type: 'string',
		default: 'stage',
		description: 'Field holding the current stage of each record',
		displayOptions: records,
	},

	// ------------------------------------------------------------------ event log
	{ ...stageList(events, 'Funnel steps in order; events of other steps are ignored'), default: { stage: CRM_STAGES } },
	{
		displayName: 'Entity ID Field',
		name: 'entityIdField',
		type: 'string',
		default: 'key',
		description: 'Field identifying the lead, deal or user the event belongs to (the StageHistory tab calls it "key")',
		displayOptions: events,
	},
	{
		displayName: 'Step Field',
		name: 'stepField',
		type: 'string',
		default: 'to',
		description: 'Field holding the step or event name (the StageHistory tab calls it "to")',
		displayOptions: events,
	},
	{
		displayName: 'Timestamp Field',
		name: 'timestampField',
		type: 'string',
		default: 'time',
		description: 'Field holding when the event happened',
		displayOptions: events,
	},
	{
		displayName: 'Conversion Window',
		name: 'conversionWindow',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description: 'How long after the first step the others may happen. 0 = no limit.',
		displayOptions: events,
	},
	{
		displayName: 'Conversion Window Unit',
		name: 'conversionWindowUnit',
		type: 'options',
		options: [
			{ name: 'Days', value: 'days' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Weeks', value: 'weeks' },
		],
		default: 'days',
		displayOptions: events,
	},
	{
		displayName: 'Step Order',
		name: 'stepOrder',
		type: 'options',
		options: [
			{ name: 'In Order', value: 'strict', description: 'Each step must happen at or after the one before (other events may happen in between)' },
			{ name: 'Any Order', value: 'any', description: 'After the first step, the others may happen in any order' },
		],
		default: 'strict',
		displayOptions: events,
	},

	// ------------------------------------------------------------------ output
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Summary', value: 'summary', description: 'One item with the steps, bottleneck, breakdown and pipeline metrics' },
			{ name: 'One Item per Step', value: 'steps', description: 'For writing to a sheet or drawing a chart' },
			{ name: 'Both', value: 'both', description: 'The summary item first, then one item per step' },
		],
		default: 'summary',
	},
	{
		displayName: 'Include Funnel Chart',
		name: 'includeChart',
		type: 'boolean',
		default: false,
		description: 'Whether to attach an SVG funnel chart as binary data to the first output item (viewable in n8n, attachable to an email)',
	},

	// ------------------------------------------------------------------ options
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: counts,
		options: [...segmentOptions.slice(1), ...comparisonOptions, { displayName: 'Chart Title', name: 'chartTitle', type: 'string', default: 'Funnel' }],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: records,
		options: [
			{ displayName: 'Amount Field', name: 'amountField', type: 'string', default: 'amount', description: 'Deal value, for win value, weighted pipeline and velocity' },
			...segmentOptions.slice(1),
			...comparisonOptions,
			{ displayName: 'Chart Title', name: 'chartTitle', type: 'string', default: 'Funnel' },
			{
				displayName: 'Closed At Field',
				name: 'closedAtField',
				type: 'string',
				default: 'stageChangedAt',
				description: 'When a won or lost record closed (in the CRM sheet: the stage change time of a Won/Lost deal)',
			},
			{ displayName: 'Created At Field', name: 'createdAtField', type: 'string', default: 'createdAt', description: 'When the record was created, for the sales cycle' },
			dateFormatOption,
			{
				displayName: 'Ignore Stages',
				name: 'ignoreStages',
				type: 'string',
				default: '',
				placeholder: 'Archived, Duplicate',
				description: 'Comma-separated current-stage values that are not funnel stages; such records count up to their furthest dated stage',
			},
			{
				displayName: 'Include Time in Current Stage',
				name: 'includeCurrentStageTime',
				type: 'boolean',
				default: true,
				description: 'Whether open records count the time in their current stage until now in the average time in stage',
			},
			{
				displayName: 'Lost Values',
				name: 'lostValues',
				type: 'string',
				default: 'lost, closed lost',
				description: 'Comma-separated status (or stage) values meaning lost, case-insensitive',
			},
			{
				displayName: 'Reached Stages',
				name: 'reachedBy',
				type: 'options',
				options: [
					{ name: 'Up to the Current Stage', value: 'currentStage', description: 'A record at stage k reached stages 1..k' },
					{ name: 'Only Stages With an Entry Date', value: 'entryDates', description: 'Only stages whose entry date field is filled, plus the current one' },
				],
				default: 'currentStage',
			},
			{
				displayName: 'Stage Entry Date Fields',
				name: 'stageDateFields',
				type: 'string',
				default: '',
				placeholder: 'Date Entered {stage}',
				description: 'Name pattern of the fields holding when a record entered each stage; {stage} is replaced by the stage name. Enables time to next stage and time in stage.',
			},
			{
				displayName: 'Stage Probabilities',
				name: 'stageProbabilities',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Probability',
				default: {},
				description: 'Chance that an open deal in a stage is won, for the weighted pipeline. Stages not listed use their historical win rate.',
				options: [
					{
						displayName: 'Probability',
						name: 'probability',
						values: [
							{ displayName: 'Stage', name: 'stage', type: 'string', default: '' },
							{ displayName: 'Win Probability (%)', name: 'percent', type: 'number', typeOptions: { minValue: 0, maxValue: 100 }, default: 50 },
						],
					},
				],
			},
			{ displayName: 'Status Field', name: 'statusField', type: 'string', default: '', description: 'Field saying won / lost / open. Empty: read won and lost from the stage name.' },
			timeUnitOption,
			{ displayName: 'Won Values', name: 'wonValues', type: 'string', default: 'won, closed won', description: 'Comma-separated status (or stage) values meaning won, case-insensitive' },
			segmentOptions[0],
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: events,
		options: [
			...segmentOptions.slice(1),
			...comparisonOptions,
			{ displayName: 'Chart Title', name: 'chartTitle', type: 'string', default: 'Funnel' },
			dateFormatOption,
			{
				displayName: 'Entry',
				name: 'entry',
				type: 'options',
				options: [
					{ name: 'First Entry Only', value: 'first', description: 'Each entity counts once, from its first entry into step 1' },
					{ name: 'Re-Entry', value: 'reentry', description: 'An entity may enter again after converting or after its window ends' },
				],
				default: 'first',
			},
			{
				displayName: 'Exclusion Steps',
				name: 'exclusionSteps',
				type: 'string',
				default: '',
				placeholder: 'Lost, Unsubscribed',
				description: 'Comma-separated events that drop an attempt when they happen after step 1 while it is open',
			},
			timeUnitOption,
			segmentOptions[0],
		],
	},
];
