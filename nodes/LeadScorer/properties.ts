/**
 * The Lead Scorer's parameters as the n8n editor shows them. Names and defaults are public
 * interface: templates and users' workflows store them.
 */
import type { INodeProperties } from 'n8n-workflow';
import { DATE_FORMAT_OPTIONS } from '../shared/dateFormatOptions';

const show = (...operation: string[]) => ({ show: { operation } });

const gradeBands: INodeProperties = {
	displayName: 'Grade Bands',
	name: 'gradeBands',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Grade Band',
	default: {},
	description: 'Letter grades by minimum score (0–100). Leave empty for A 75+, B 50+, C 25+, D below.',
	displayOptions: show('scoreWithWeights', 'scoreWithModel'),
	options: [
		{
			displayName: 'Band',
			name: 'band',
			values: [
				{ displayName: 'Grade', name: 'grade', type: 'string', default: 'A', description: 'Label given to leads in this band' },
				{ displayName: 'Minimum Score', name: 'minScore', type: 'number', default: 75, description: 'Lowest score (0–100) that earns this grade' },
			],
		},
	],
};

const scoreOptions: INodeProperties = {
	displayName: 'Options',
	name: 'scoreOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: show('scoreWithWeights', 'scoreWithModel'),
	options: [
		{
			displayName: 'Number of Reasons',
			name: 'maxReasons',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 3,
			description: 'How many of the largest contributions to list in scoreReasons (0 for none, fastest)',
		},
	],
};

export const leadScorerProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'scoreWithModel',
		options: [
			{ name: 'Fit × Engagement Grid', value: 'fitEngagementGrid', description: 'Combine a fit score and an engagement score into A1–C3', action: 'Place leads on the fit x engagement grid' },
			{ name: 'Points Rules', value: 'pointsRules', description: 'Add or subtract points by rules, with decay, caps and lifecycle stages', action: 'Score leads with points rules' },
			{ name: 'Score With Model', value: 'scoreWithModel', description: 'Score leads with a model from Train Model, with reasons', action: 'Score leads with a trained model' },
			{ name: 'Score With Weights', value: 'scoreWithWeights', description: 'Score leads with weights you set: P = 1 / (1 + e^-(b0 + Σ w·x))', action: 'Score leads with weights' },
			{ name: 'Train Model', value: 'trainModel', description: 'Learn a scoring model from won and lost leads (logistic regression)', action: 'Train a lead scoring model' },
		],
	},

	// Score With Weights
	{
		displayName: 'Intercept',
		name: 'intercept',
		type: 'number',
		typeOptions: { numberPrecision: 4 },
		default: 0,
		description: 'The log-odds (b0) of a lead whose fields are all 0',
		displayOptions: show('scoreWithWeights'),
	},
	{
		displayName: 'Weights',
		name: 'weights',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Weight',
		default: {},
		description: 'Each field multiplied by its weight adds to the log-odds; empty cells count as 0',
		displayOptions: show('scoreWithWeights'),
		options: [
			{
				displayName: 'Weight',
				name: 'weight',
				values: [
					{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'inquiries', description: 'Name of the numeric field' },
					{ displayName: 'Weight', name: 'weight', type: 'number', typeOptions: { numberPrecision: 4 }, default: 0.5, description: 'Change in log-odds per unit of the field' },
				],
			},
		],
	},

	// Train Model
	{
		displayName: 'Outcome Field',
		name: 'outcomeField',
		type: 'string',
		default: 'outcome',
		required: true,
		description: 'Field saying whether the lead was won: 1/0, true/false, yes/no, won/lost (or the values set in options). Empty = still open, skipped.',
		displayOptions: show('trainModel'),
	},
	{
		displayName: 'Numeric Fields',
		name: 'numericFields',
		type: 'string',
		default: '',
		placeholder: 'pageViews, inquiries, daysSinceContact',
		description: 'Comma-separated numeric fields to learn from',
		displayOptions: show('trainModel'),
	},
	{
		displayName: 'Category Fields',
		name: 'categoryFields',
		type: 'string',
		default: '',
		placeholder: 'source, industry',
		description: 'Comma-separated text fields; each value gets its own coefficient against the first value in sorted order',
		displayOptions: show('trainModel'),
	},
	{
		displayName: 'Options',
		name: 'trainOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('trainModel'),
		options: [
			{
				displayName: 'Class Weights',
				name: 'classWeights',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'None', value: 'none', description: 'Every lead counts once' },
					{ name: 'Balanced', value: 'balanced', description: 'Won and lost leads count equally in total' },
					{ name: 'Custom', value: 'custom', description: 'Set the weight of won and lost leads' },
				],
				description: 'How much won and lost leads count; Balanced helps when few leads are won',
			},
			{ displayName: 'Holdout Share', name: 'testShare', type: 'number', typeOptions: { minValue: 0.01, maxValue: 0.99, numberPrecision: 2 }, default: 0.2, description: 'Share of leads held out for Holdout validation' },
			{ displayName: 'L2 Penalty', name: 'l2', type: 'number', typeOptions: { minValue: 0, numberPrecision: 3 }, default: 0, description: 'Shrinks coefficients of standardized fields towards 0 (ridge); 0 = plain maximum likelihood' },
			{ displayName: 'Lost Values', name: 'lostValues', type: 'string', default: '', placeholder: 'closed lost, churned', description: 'Comma-separated extra outcome values meaning lost' },
			{ displayName: 'Lost Weight', name: 'lostWeight', type: 'number', default: 1, description: 'Weight of a lost lead (Class Weights: Custom)' },
			{ displayName: 'Max Iterations', name: 'maxIterations', type: 'number', typeOptions: { minValue: 1 }, default: 50, description: 'Newton steps before giving up' },
			{
				displayName: 'Missing Values',
				name: 'missingValues',
				type: 'options',
				default: 'drop',
				options: [
					{ name: 'Drop Row', value: 'drop', description: 'Leave out leads with an empty feature' },
					{ name: 'Impute Mean', value: 'imputeMean', description: 'Use the average (most frequent value for categories)' },
					{ name: 'Own Category', value: 'ownCategory', description: 'Learn a separate effect for "empty"' },
				],
				description: 'What to do with empty feature cells',
			},
			{ displayName: 'Number of Folds', name: 'folds', type: 'number', typeOptions: { minValue: 2 }, default: 5, description: 'Folds for K-Fold validation' },
			{ displayName: 'Seed', name: 'seed', type: 'number', default: 1, description: 'Makes the validation split reproducible' },
			{ displayName: 'Threshold', name: 'threshold', type: 'number', typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 }, default: 0.5, description: 'Probability at which a lead counts as predicted won (accuracy, precision, recall)' },
			{
				displayName: 'Validation',
				name: 'validation',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Holdout', value: 'holdout', description: 'Hold out a share of leads, train on the rest' },
					{ name: 'K-Fold', value: 'kFold', description: 'Cross-validation: every lead held out once' },
				],
				description: 'Measure accuracy on leads the model did not see (AUC, log-loss, Brier, calibration)',
			},
			{ displayName: 'Won Values', name: 'wonValues', type: 'string', default: '', placeholder: 'closed won, customer', description: 'Comma-separated extra outcome values meaning won' },
			{ displayName: 'Won Weight', name: 'wonWeight', type: 'number', default: 1, description: 'Weight of a won lead (Class Weights: Custom)' },
		],
	},

	// Score With Model
	{
		displayName: 'Model',
		name: 'model',
		type: 'json',
		default: '={{ $json.model }}',
		required: true,
		description: 'The model output by Train Model: pasted JSON, or an expression that returns it (default: the model field of each item)',
		displayOptions: show('scoreWithModel'),
	},

	gradeBands,
	scoreOptions,

	// Points Rules
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Rule',
		default: {},
		displayOptions: show('pointsRules'),
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Compare As',
						name: 'type',
						type: 'options',
						default: 'auto',
						options: [
							{
								name: 'Auto',
								value: 'auto',
								description: 'Numbers when both sides are numbers, else text',
							},
							{
								name: 'Date',
								value: 'date',
							},
							{
								name: 'Number',
								value: 'number',
							},
							{
								name: 'Text',
								value: 'string',
							},
						]
					},
					{
						displayName: 'Decay Date Field',
						name: 'decayDateField',
						type: 'string',
						default: '',
						placeholder: 'lastVisitAt',
						description: 'Date of the activity;	its points halve every half-life (set Decay Half-Life in options)',
					},
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'pagesVisited',
					},
					{
						displayName: 'Group',
						name: 'group',
						type: 'string',
						default: '',
						placeholder: 'engagement',
						description: 'Score group, for group caps',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'Visited pricing page',
						description: 'Shown in matchedRules (default:	the rule itself)',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: 'equals',
						options: [
							{
								name: 'Between',
								value: 'between',
							},
							{
								name: 'Contains',
								value: 'contains',
							},
							{
								name: 'Does Not Contain',
								value: 'notContains',
							},
							{
								name: 'Equals',
								value: 'equals',
							},
							{
								name: 'Exists',
								value: 'exists',
							},
							{
								name: 'Greater Than',
								value: 'greaterThan',
							},
							{
								name: 'Is Empty',
								value: 'notExists',
							},
							{
								name: 'Is One Of',
								value: 'inList',
							},
							{
								name: 'Less Than',
								value: 'lessThan',
							},
							{
								name: 'Not Equals',
								value: 'notEquals',
							},
					]
					},
					{
						displayName: 'Points',
						name: 'points',
						type: 'number',
						default: 10,
						description: 'Added when the rule matches (negative to subtract)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Value to compare with;	for Is One Of a comma-separated list;	for Between the lower bound',
					},
					{
						displayName: 'Value To',
						name: 'valueTo',
						type: 'string',
						default: '',
						description: 'Upper bound for Between (inclusive)',
					},
			],
			},
		],
	},
	{
		displayName: 'Group Caps',
		name: 'groupCaps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Group Cap',
		default: {},
		displayOptions: show('pointsRules'),
		options: [
			{
				displayName: 'Cap',
				name: 'cap',
				values: [
					{ displayName: 'Group', name: 'group', type: 'string', default: '' },
					{ displayName: 'Max Points', name: 'maxPoints', type: 'number', default: 50, description: 'Most points this group can add' },
				],
			},
		],
	},
	{
		displayName: 'Lifecycle Stages',
		name: 'stages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Stage',
		default: {},
		description: 'Stage by minimum points. Leave empty for subscriber 0, lead 20, MQL 50, SQL 80.',
		displayOptions: show('pointsRules'),
		options: [
			{
				displayName: 'Stage',
				name: 'stage',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: 'MQL' },
					{ displayName: 'Minimum Points', name: 'minPoints', type: 'number', default: 50 },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'pointsOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('pointsRules'),
		options: [
			{
				displayName: 'Date Format',
				name: 'dateFormat',
				type: 'options',
				default: 'auto',
				options: DATE_FORMAT_OPTIONS,
				description: 'How date cells and date rule values are written',
			},
			{ displayName: 'Decay Date Field', name: 'decayDateField', type: 'string', default: '', description: 'Default activity date for decay, for rules without their own' },
			{ displayName: 'Decay Half-Life (Days)', name: 'halfLifeDays', type: 'number', typeOptions: { minValue: 0.01 }, default: 30, description: 'Points of a matched rule halve every this many days after its activity date' },
			{ displayName: 'Max Total Points', name: 'maxTotal', type: 'number', default: 100, description: 'Cap on the total' },
			{ displayName: 'Min Total Points', name: 'minTotal', type: 'number', default: 0, description: 'Floor under the total' },
		],
	},

	// Fit × Engagement Grid
	{
		displayName: 'Fit Score',
		name: 'fitScore',
		type: 'string',
		default: '={{ $json.fitScore }}',
		description: 'How well the lead matches your ideal customer, 0–100 (usually an expression)',
		displayOptions: show('fitEngagementGrid'),
	},
	{
		displayName: 'Engagement Score',
		name: 'engagementScore',
		type: 'string',
		default: '={{ $json.engagementScore }}',
		description: 'How engaged the lead is, 0–100 (usually an expression)',
		displayOptions: show('fitEngagementGrid'),
	},
	{
		displayName: 'Thresholds',
		name: 'gridThresholds',
		type: 'collection',
		placeholder: 'Add Threshold',
		default: {},
		displayOptions: show('fitEngagementGrid'),
		options: [
			{ displayName: 'Engagement for 1', name: 'engagement1', type: 'number', default: 70, description: 'Engagement score at or above which a lead is 1 (most engaged)' },
			{ displayName: 'Engagement for 2', name: 'engagement2', type: 'number', default: 40, description: 'Engagement score at or above which a lead is 2; below is 3' },
			{ displayName: 'Fit for A', name: 'fitA', type: 'number', default: 70, description: 'Fit score at or above which a lead is A (best fit)' },
			{ displayName: 'Fit for B', name: 'fitB', type: 'number', default: 40, description: 'Fit score at or above which a lead is B; below is C' },
		],
	},
];
