/** The Campaign Evaluator's parameters, as the n8n editor shows them. */
import type { INodeProperties } from 'n8n-workflow';
import { CAMPAIGN_RANK_METRICS, DEFAULT_CAMPAIGN_FIELDS } from './campaignMetrics';
import { DEFAULT_PATH_FIELDS, DEFAULT_TOUCH_FIELDS } from './journeys';
import { DATE_FORMAT_OPTIONS } from '../shared/dateFormatOptions';

const show = (operation: string, extra: Record<string, string[]> = {}) => ({ show: { operation: [operation], ...extra } });

const RANK_LABELS: Record<string, string> = {
	returnOnInvestment: 'Return on Investment (ROI)',
	returnOnAdSpend: 'Return on Ad Spend (ROAS)',
	costPerAcquisition: 'Cost per Acquisition (Lowest First)',
	costPerLead: 'Cost per Lead (Lowest First)',
	conversionRate: 'Conversion Rate',
	effectivenessIndex: 'Effectiveness Index (Objective Achieved)',
};

const CAMPAIGN_FIELD_LABELS: Record<keyof typeof DEFAULT_CAMPAIGN_FIELDS, [string, string]> = {
	campaign: ['Campaign Name Field', 'Field holding the campaign name'],
	spend: ['Spend Field', 'Money spent on the campaign (the budget stands in when empty)'],
	budget: ['Budget Field', 'Planned budget; used for the reallocation and the effectiveness per 1,000'],
	impressions: ['Impressions Field', 'Times the ad or email was shown'],
	clicks: ['Clicks Field', 'Clicks on the ad or email'],
	leads: ['Leads Field', 'Leads the campaign brought in'],
	customers: ['Customers Field', 'Leads who became paying customers'],
	revenue: ['Revenue Field', 'Revenue from those customers'],
	objectiveTarget: ['Objective Target Field', 'The goal of the campaign, in any unit (e.g. 500 sign-ups)'],
	objectiveAchieved: ['Objective Achieved Field', 'What was achieved: same unit as the target, or a percentage such as "80%"'],
};

const campaignProperties: INodeProperties[] = [
	{
		displayName: 'Rank By',
		name: 'rankBy',
		type: 'options',
		options: CAMPAIGN_RANK_METRICS.map((value) => ({ name: RANK_LABELS[value], value })),
		default: 'returnOnInvestment',
		description: 'Metric that orders the campaigns (rank 1 = best)',
		displayOptions: show('evaluateCampaigns'),
	},
	{
		displayName: 'Minimum Budget per Campaign',
		name: 'minimumBudget',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'The reallocation suggestion keeps at least this much in every campaign, so each can still be measured',
		displayOptions: show('evaluateCampaigns'),
	},
	{
		displayName: 'Field Names',
		name: 'campaignFields',
		type: 'collection',
		placeholder: 'Add Field Name',
		default: {},
		description: 'Names of the input fields, when they differ from the defaults',
		displayOptions: show('evaluateCampaigns'),
		options: (Object.keys(DEFAULT_CAMPAIGN_FIELDS) as Array<keyof typeof DEFAULT_CAMPAIGN_FIELDS>).map((key) => ({
			displayName: CAMPAIGN_FIELD_LABELS[key][0],
			name: key,
			type: 'string' as const,
			default: DEFAULT_CAMPAIGN_FIELDS[key],
			description: CAMPAIGN_FIELD_LABELS[key][1],
		})),
	},
	{
		displayName: 'Options',
		name: 'campaignOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('evaluateCampaigns'),
		options: [
			{
				displayName: 'Include Chart',
				name: 'includeChart',
				type: 'boolean',
				default: false,
				description: 'Whether to add an SVG bar chart of ROI by campaign to the summary item (binary property "chart", for reports and emails; needs the campaign items in the output)',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'Campaigns and Summary', value: 'both', description: 'One item per campaign, then one summary item' },
					{ name: 'Campaigns Only', value: 'campaigns' },
					{ name: 'Summary Only', value: 'summary' },
				],
				default: 'both',
			},
			{
				displayName: 'Total Budget to Reallocate',
				name: 'totalBudget',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Budget the suggestion splits; 0 = what the campaigns get now',
			},
		],
	},
];

const variantProperties: INodeProperties[] = [
	{
		displayName: 'Variant Name',
		name: 'variantName',
		type: 'string',
		default: '={{ $json.variant }}',
		required: true,
		description: 'Name of the variant this item describes (one item per variant)',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Visitors',
		name: 'visitors',
		type: 'string',
		default: '={{ $json.visitors }}',
		required: true,
		description: 'Visitors, recipients or sessions that saw the variant',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Conversions',
		name: 'conversions',
		type: 'string',
		default: '={{ $json.conversions }}',
		required: true,
		description: 'How many of them converted',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Control Variant',
		name: 'control',
		type: 'string',
		default: '',
		placeholder: 'e.g. A',
		description: 'Name of the variant the others are compared with; empty = the first item',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Minimum Detectable Effect (%)',
		name: 'minimumDetectableEffect',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 10,
		description: 'Smallest change worth detecting, for the visitors-per-variant advice',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Effect Type',
		name: 'effectType',
		type: 'options',
		options: [
			{ name: 'Relative Lift', value: 'relative', description: '10 = the rate rises by 10% of itself (20% → 22%)' },
			{ name: 'Percentage Points', value: 'absolute', description: '1 = the rate rises by one point (20% → 21%)' },
		],
		default: 'relative',
		displayOptions: show('compareVariants'),
	},
	{
		displayName: 'Options',
		name: 'variantOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('compareVariants'),
		options: [
			{ displayName: 'Confidence Level (%)', name: 'confidenceLevel', type: 'number', default: 95, description: 'For the confidence interval and the significance level of the sample size' },
			{ displayName: 'Power (%)', name: 'power', type: 'number', default: 80, description: 'Chance of detecting the minimum effect if it is real' },
			{ displayName: 'Prior Alpha', name: 'priorAlpha', type: 'number', default: 1, description: 'Beta prior successes (1 and 1 = uniform prior)' },
			{ displayName: 'Prior Beta', name: 'priorBeta', type: 'number', default: 1, description: 'Beta prior failures' },
		],
	},
];

const touchFieldProperties: INodeProperties[] = (
	[
		['customerIdField', 'Customer ID Field', DEFAULT_TOUCH_FIELDS.customerId, 'Field identifying the customer'],
		['channelField', 'Channel Field', DEFAULT_TOUCH_FIELDS.channel, 'Field naming the channel of the touch (may be empty on a conversion item)'],
		['timestampField', 'Timestamp Field', DEFAULT_TOUCH_FIELDS.timestamp, 'Field with the time of the touch'],
		['convertedField', 'Converted Field', DEFAULT_TOUCH_FIELDS.converted, 'Field that is true (yes, 1) on the touch where the customer converted'],
		['touchValueField', 'Value Field', DEFAULT_TOUCH_FIELDS.value, 'Field with the conversion value, read on converting touches'],
	] as const
).map(([name, displayName, def, description]) => ({
	displayName,
	name,
	type: 'string' as const,
	default: def,
	description,
	displayOptions: show('attributeConversions', { journeyFormat: ['touches'] }),
}));

const pathFieldProperties: INodeProperties[] = (
	[
		['pathField', 'Path Field', DEFAULT_PATH_FIELDS.path, 'Field with the journey, e.g. "email > social > search"'],
		['conversionsField', 'Conversions Field', DEFAULT_PATH_FIELDS.conversions, 'Conversions that ended on this path'],
		['pathValueField', 'Value Field', DEFAULT_PATH_FIELDS.value, 'Total conversion value of this path'],
		['nonConversionsField', 'Non-Conversions Field', DEFAULT_PATH_FIELDS.nonConversions, 'Journeys that ended on this path without converting'],
	] as const
).map(([name, displayName, def, description]) => ({
	displayName,
	name,
	type: 'string' as const,
	default: def,
	description,
	displayOptions: show('attributeConversions', { journeyFormat: ['paths'] }),
}));

const attributionProperties: INodeProperties[] = [
	{
		displayName: 'Journey Format',
		name: 'journeyFormat',
		type: 'options',
		options: [
			{ name: 'One Item per Touch', value: 'touches', description: 'Customer ID, channel, timestamp, converted flag and value on every item' },
			{ name: 'One Item per Path', value: 'paths', description: 'Path "a > b > c" with conversions, value and non-conversions (R ChannelAttribution format)' },
		],
		default: 'touches',
		displayOptions: show('attributeConversions'),
	},
	...touchFieldProperties,
	...pathFieldProperties,
	{
		displayName: 'Models',
		name: 'models',
		type: 'multiOptions',
		options: [
			{ name: 'First Touch', value: 'firstTouch' },
			{ name: 'Last Touch', value: 'lastTouch' },
			{ name: 'Linear', value: 'linear' },
			{ name: 'Markov Chain (Data-Driven)', value: 'markov' },
			{ name: 'Position-Based', value: 'positionBased' },
			{ name: 'Time Decay', value: 'timeDecay' },
		],
		default: ['firstTouch', 'lastTouch', 'linear', 'positionBased', 'timeDecay', 'markov'],
		description: 'Attribution models to run; each gives every channel a share of the conversions',
		displayOptions: show('attributeConversions'),
	},
	{
		displayName: 'Options',
		name: 'attributionOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('attributeConversions'),
		options: [
			{ displayName: 'Collapse Repeated Channels', name: 'collapseRepeats', type: 'boolean', default: false, description: 'Whether to merge runs of the same channel ("email > email > search" becomes "email > search")' },
			{
				displayName: 'Date Format',
				name: 'dateFormat',
				type: 'options',
				options: DATE_FORMAT_OPTIONS,
				default: 'auto',
				description: 'How the touch timestamps are written',
			},
			{ displayName: 'First Touch Share (%)', name: 'firstTouchShare', type: 'number', default: 40, description: 'Position-based: credit of the first touch' },
			{ displayName: 'Half-Life (Days)', name: 'halfLifeDays', type: 'number', default: 7, description: 'Time decay: a touch this many days before the conversion gets half the credit of one at the conversion' },
			{ displayName: 'Half-Life (Touches)', name: 'halfLifeTouches', type: 'number', default: 1, description: 'Time decay on paths without timestamps: the half-life counted in touches' },
			{ displayName: 'Include Removal Effects', name: 'includeRemovalEffects', type: 'boolean', default: false, description: 'Whether to add each channel\'s Markov removal effect (share of conversions lost without it)' },
			{ displayName: 'Include Transition Matrix', name: 'includeTransitionMatrix', type: 'boolean', default: false, description: 'Whether to add one item per Markov transition (from, to, probability)' },
			{ displayName: 'Last Touch Share (%)', name: 'lastTouchShare', type: 'number', default: 40, description: 'Position-based: credit of the last touch' },
			{ displayName: 'Path Separator', name: 'separator', type: 'string', default: '>', description: 'Character between channels in a path' },
		],
	},
];

export const campaignEvaluatorProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Attribute Conversions',
				value: 'attributeConversions',
				description: 'Share the credit for conversions among channels (first/last touch, linear, position, time decay, Markov)',
				action: 'Attribute conversions to channels',
			},
			{
				name: 'Compare Variants (A/B)',
				value: 'compareVariants',
				description: 'Test whether a variant really beats the control: z-test, chi-square, Bayesian probability, sample size',
				action: 'Compare variants',
			},
			{
				name: 'Evaluate Campaigns',
				value: 'evaluateCampaigns',
				description: 'CTR, conversion rate, cost per lead and customer, ROAS, ROI, rank and a budget reallocation',
				action: 'Evaluate campaigns',
			},
		],
		default: 'evaluateCampaigns',
	},
	...campaignProperties,
	...variantProperties,
	...attributionProperties,
];
