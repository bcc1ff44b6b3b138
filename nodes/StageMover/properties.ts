/**
 * The Stage Mover's parameters (its public interface: templates store these names and defaults).
 */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_PIPELINE } from './pipeline';
import { DATE_FORMAT_OPTIONS } from '../shared/dateFormatOptions';

const sheetOnly = { show: { storage: ['sheet'] } };

const defaultStages = DEFAULT_PIPELINE.stages.map((stage) => ({
	name: stage.name,
	probability: Math.round(stage.probability * 100),
	requiredFields: (stage.requiredFields ?? []).join(', '),
	staleAfterDays: stage.staleAfterDays ?? 0,
}));

export const stageMoverProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Apply Rules',
				value: 'applyRules',
				description: 'Move each record by the first rule whose conditions hold',
				action: 'Apply stage rules',
			},
			{
				name: 'Flag Stale',
				value: 'flagStale',
				description: 'Find records with no activity for longer than their stage allows (stale ones leave through the first output)',
				action: 'Flag stale records',
			},
			{
				name: 'Move to Stage',
				value: 'moveToStage',
				description: 'Move each record to the stage given for it, if the pipeline allows',
				action: 'Move records to a stage',
			},
		],
		default: 'moveToStage',
	},
	{
		displayName: 'Storage',
		name: 'storage',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Google Sheet',
				value: 'sheet',
				description: 'Read the records from the CRM sheet and write the moves and their history there',
			},
			{
				name: 'Compute Only',
				value: 'computeOnly',
				description: 'Use the incoming items as the records, output the new stages and write nothing',
			},
		],
		default: 'sheet',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'OAuth2', value: 'oAuth2' },
			{ name: 'Service Account', value: 'serviceAccount' },
		],
		default: 'oAuth2',
		displayOptions: sheetOnly,
	},
	{
		displayName: 'Spreadsheet',
		name: 'spreadsheetId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://docs.google.com/spreadsheets/d/1AbC.../edit',
		description: 'The CRM spreadsheet: its URL or ID',
		displayOptions: sheetOnly,
	},
	{
		displayName: 'Records Tab',
		name: 'recordsTab',
		type: 'string',
		default: 'Leads',
		description: 'The tab holding the leads or deals, one per row',
		displayOptions: sheetOnly,
	},
	{
		displayName: 'Key Field',
		name: 'keyField',
		type: 'string',
		default: 'email',
		description: 'The field that identifies a record, in the items and in the sheet (e.g. email for Leads, ID for Deals)',
	},
	{
		displayName: 'Stage Field',
		name: 'stageField',
		type: 'string',
		default: 'stage',
		description:
			'The field holding the stage. With Google Sheet storage, an item that carries it is checked against the sheet: if someone changed the stage meanwhile, the item is rejected as a conflict.',
	},
	{
		displayName: 'Target Stage',
		name: 'targetStage',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. MQL or {{ $json.nextStage }}',
		description: 'The stage to move this item\'s record to',
		displayOptions: { show: { operation: ['moveToStage'] } },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.lostReason }}',
		description: 'Why the record moves; written to StageHistory. Needed for moves to the won or lost stage unless turned off in the options.',
		displayOptions: { show: { operation: ['moveToStage'] } },
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		placeholder: 'Add Rule',
		typeOptions: { multipleValues: true, sortable: true },
		default: { rule: [{ name: 'Hot lead', conditions: 'score >= 70 and stage = New', moveTo: 'MQL' }] },
		description: 'Tried in order; the first rule whose conditions all hold moves the record',
		displayOptions: { show: { operation: ['applyRules'] } },
		options: [
			{
				name: 'rule',
				displayName: 'Rule',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Shown in the output and written to StageHistory as the reason' },
					{
						displayName: 'Conditions',
						name: 'conditions',
						type: 'string',
						default: '',
						placeholder: 'score >= 70 and stage = New',
						description:
							'Conditions joined by "and": field =, !=, >, >=, <, <= value; field contains text; field is empty; field is not empty; field older than N days; field within N days. Put field names with spaces in `back quotes`.',
					},
					{ displayName: 'Move To', name: 'moveTo', type: 'string', default: '', description: 'The stage to move matching records to' },
				],
			},
		],
	},
	{
		displayName: 'Pipeline Stages',
		name: 'pipelineStages',
		type: 'fixedCollection',
		placeholder: 'Add Stage',
		typeOptions: { multipleValues: true, sortable: true },
		default: { stage: defaultStages },
		description: 'The stages in pipeline order, the won and lost stages included',
		options: [
			{
				name: 'stage',
				displayName: 'Stage',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{
						displayName: 'Win Probability (%)',
						name: 'probability',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100 },
						default: 0,
						description: 'Chance that a record in this stage is won, 0 to 100',
					},
					{
						displayName: 'Required Fields',
						name: 'requiredFields',
						type: 'string',
						default: '',
						placeholder: 'amount, company',
						description: 'Comma-separated fields that must be filled before a record enters this stage (and every later one)',
					},
					{
						displayName: 'Stale After (Days)',
						name: 'staleAfterDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Days without activity after which a record in this stage is stale; 0 = never',
					},
				],
			},
		],
	},
	{
		displayName: 'Won Stage',
		name: 'wonStage',
		type: 'string',
		default: 'Won',
		description: 'The stage that closes a record as won',
	},
	{
		displayName: 'Lost Stage',
		name: 'lostStage',
		type: 'string',
		default: 'Lost',
		description: 'The stage that closes a record as lost; reachable from every open stage',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Activity Field',
				name: 'activityField',
				type: 'string',
				default: 'lastActivityAt',
				description: 'Date of the last activity, for Flag Stale',
			},
			{
				displayName: 'Allow Moving Back',
				name: 'allowMovingBack',
				type: 'boolean',
				default: false,
				description: 'Whether records may move to an earlier stage, and won or lost records be reopened',
			},
			{
				displayName: 'Allow Skipping',
				name: 'allowSkipping',
				type: 'boolean',
				default: false,
				description: 'Whether records may jump forward over stages (otherwise one step at a time)',
			},
			{
				displayName: 'Cell Format',
				name: 'cellFormat',
				type: 'options',
				options: [
					{ name: 'Raw', value: 'RAW', description: 'Values are stored exactly as sent' },
					{
						name: 'User Entered',
						value: 'USER_ENTERED',
						description: 'Values are parsed as if typed (text that looks like a formula is kept as text)',
					},
				],
				default: 'RAW',
			},
			{
				displayName: 'Date Format',
				name: 'dateFormat',
				type: 'options',
				options: DATE_FORMAT_OPTIONS,
				default: 'auto',
				description: 'How dates in the records are written, for date conditions and Flag Stale',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to read the sheet and decide the moves without writing anything',
			},
			{
				displayName: 'History Tab',
				name: 'historyTab',
				type: 'string',
				default: 'StageHistory',
				description: 'The tab that gets one audit row per move',
			},
			{
				displayName: 'Require Close Reason',
				name: 'reasonRequiredOnClose',
				type: 'boolean',
				default: true,
				description: 'Whether a move to the won or lost stage needs a reason',
			},
			{
				displayName: 'Stage Changed At Field',
				name: 'changedAtField',
				type: 'string',
				default: 'stageChangedAt',
				description: 'Field that gets the time of the move (and counts as activity for Flag Stale)',
			},
		],
	},
];
