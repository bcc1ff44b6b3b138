/** Parameters of the Sales CRM (Sheets) node. Names and defaults are public: templates store them. */
import type { INodeProperties } from 'n8n-workflow';
import { STANDARD_TABS } from '../shared/sheets/schema';

const forOperations = (...operation: string[]) => ({ show: { operation } });

export const salesCrmSheetProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'OAuth2', value: 'oAuth2' },
			{ name: 'Service Account', value: 'serviceAccount' },
		],
		default: 'oAuth2',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Append Activity',
				value: 'appendActivity',
				description: 'Log emails, replies, calls or form fills to an activity tab',
				action: 'Append activity to the log',
			},
			{
				// Upsert by key: rows found by key get only the given fields; new keys become new rows.
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update records',
			},
			{
				name: 'Get Records',
				value: 'getRecords',
				description: 'Read all rows, rows by key, or rows matching field values',
				action: 'Get records',
			},
			{
				name: 'Set Up CRM Spreadsheet',
				value: 'setUpSpreadsheet',
				description: 'Create the standard tabs with their header rows where missing',
				action: 'Set up the CRM spreadsheet',
			},
		],
		default: 'upsert',
	},
	{
		displayName: 'Spreadsheet ID or URL',
		name: 'spreadsheetId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit',
		description: 'The spreadsheet URL from the browser, or just its ID',
	},
	{
		displayName: 'Tab Name',
		name: 'tab',
		type: 'string',
		default: 'Leads',
		required: true,
		description: 'The tab (sheet) holding the records, one row each under a header row',
		displayOptions: forOperations('upsert', 'getRecords'),
	},
	{
		displayName: 'Key Column',
		name: 'keyField',
		type: 'string',
		default: 'email',
		required: true,
		description: 'The column that identifies a record, e.g. email or ID. Keys must be unique in the tab.',
		displayOptions: { show: { operation: ['upsert'] } },
	},
	{
		displayName: 'Key Column',
		name: 'keyField',
		type: 'string',
		default: 'email',
		required: true,
		description: 'The column to look the keys up in. Keys must be unique in the tab.',
		displayOptions: { show: { operation: ['getRecords'], returnMode: ['byKey'] } },
	},
	{
		displayName: 'Activity Tab Name',
		name: 'activityTab',
		type: 'string',
		default: 'Touchpoints',
		required: true,
		description: 'The tab the activity rows are appended to, e.g. Touchpoints, or Errors to log rejected input',
		displayOptions: forOperations('appendActivity'),
	},
	{
		displayName: 'Fields to Send',
		name: 'dataMode',
		type: 'options',
		options: [
			{ name: 'Map Automatically', value: 'autoMap', description: 'Send every field of the input item whose name is a column' },
			{ name: 'Define Below', value: 'define', description: 'Set each column value, e.g. with expressions' },
		],
		default: 'autoMap',
		displayOptions: forOperations('upsert', 'appendActivity'),
	},
	{
		displayName: 'Fields',
		name: 'fieldValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: ['upsert', 'appendActivity'], dataMode: ['define'] } },
		options: [
			{
				displayName: 'Field',
				name: 'values',
				values: [
					{ displayName: 'Column', name: 'fieldName', type: 'string', default: '', description: 'Header name of the column' },
					{ displayName: 'Value', name: 'fieldValue', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Values for New Records',
		name: 'newRecordValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Value for New Records',
		default: {},
		description:
			'Written only when the key is new and a row is added, e.g. stage = New or createdAt = {{ $now.toISO() }}; never written to existing records. Fields the item sets itself win.',
		displayOptions: forOperations('upsert'),
		options: [
			{
				displayName: 'Field',
				name: 'values',
				values: [
					{ displayName: 'Column', name: 'fieldName', type: 'string', default: '', description: 'Header name of the column' },
					{ displayName: 'Value', name: 'fieldValue', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Return',
		name: 'returnMode',
		type: 'options',
		options: [
			{ name: 'All Rows', value: 'all' },
			{ name: 'Row by Key', value: 'byKey', description: 'The row whose key equals the value below, for each input item' },
			{ name: 'Rows Matching Filters', value: 'filter', description: 'Rows whose fields equal all the values below' },
		],
		default: 'all',
		displayOptions: forOperations('getRecords'),
	},
	{
		displayName: 'Key Value',
		name: 'keyValue',
		type: 'string',
		default: '={{ $json.email }}',
		description: 'The key to look up for each input item',
		displayOptions: { show: { operation: ['getRecords'], returnMode: ['byKey'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { operation: ['getRecords'], returnMode: ['filter'] } },
		options: [
			{
				displayName: 'Filter',
				name: 'conditions',
				values: [
					{ displayName: 'Column', name: 'field', type: 'string', default: '' },
					{ displayName: 'Equals', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Tabs',
		name: 'tabs',
		type: 'multiOptions',
		options: STANDARD_TABS.map((t) => ({ name: t.tab, value: t.tab, description: t.description })),
		// Every standard tab (a literal, as n8n's lint asks; the Set Up test checks it lists them all).
		default: ['Leads', 'Deals', 'Orders', 'Campaigns', 'Touchpoints', 'StageHistory', 'Models', 'Reports', 'Variants', 'ContentCalendar', 'IntentRules', 'FAQ', 'Errors'],
		description: 'Standard tabs to create (with their header rows) if missing. Existing tabs are never changed.',
		displayOptions: forOperations('setUpSpreadsheet'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forOperations('upsert', 'appendActivity', 'getRecords'),
		options: [
			{
				displayName: 'Header Row',
				name: 'headerRow',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
				description: 'The row holding the column names; records start below it',
			},
			{
				displayName: 'Ignore Empty Values',
				name: 'ignoreEmptyValues',
				type: 'boolean',
				default: true,
				description: 'Whether empty item fields leave the cell as it is (instead of clearing it)',
				displayOptions: { show: { '/operation': ['upsert'] } },
			},
			{
				displayName: 'Unknown Fields',
				name: 'unknownFields',
				type: 'options',
				options: [
					{ name: 'Ignore', value: 'ignore', description: 'Skip fields the tab has no column for (listed in ignoredFields)' },
					{ name: 'Error', value: 'error', description: 'Fail the item' },
				],
				default: 'ignore',
				description: 'What to do with item fields that are not columns of the tab',
				displayOptions: { show: { '/operation': ['upsert', 'appendActivity'] } },
			},
			{
				displayName: 'Value Input Option',
				name: 'valueInputOption',
				type: 'options',
				options: [
					{ name: 'Raw', value: 'RAW', description: 'Store values exactly as given (safe for web-form data)' },
					{
						name: 'User Entered',
						value: 'USER_ENTERED',
						description: 'Let Sheets parse numbers and dates; formula-looking text is still stored as text',
					},
				],
				default: 'RAW',
				displayOptions: { show: { '/operation': ['upsert', 'appendActivity'] } },
			},
		],
	},
];
