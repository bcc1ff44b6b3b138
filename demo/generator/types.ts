/**
 * The demo CRM's records, one interface per tab of the standard CRM spreadsheet
 * (nodes/shared/sheets/schema.ts). Leads, Touchpoints and Campaigns add the columns the
 * analysis nodes use (behaviour for scoring, outcome for training, conversion value for
 * attribution, budget and objective for campaign evaluation). Blank cells are '' as Google
 * Sheets returns them. The files store each tab the way the Sheets API does (`values`: a
 * header row, then one array per row; see ./columns.ts), which keeps the bundle small.
 */
export const STAGES = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won', 'Lost'] as const;
export type Stage = (typeof STAGES)[number];
/** The stages a lead passes through on the way to Won, in order. */
export const OPEN_STAGES = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation'] as const;

export const SOURCES = ['web form', 'referral', 'linkedin', 'facebook ads', 'email'] as const;
export type Source = (typeof SOURCES)[number];

export interface Lead {
	id: string;
	email: string;
	name: string;
	company: string;
	phone: string;
	source: Source;
	/** Campaign id, or '' for organic leads. */
	campaign: string;
	stage: Stage;
	/** Left blank: the Lead Scorer fills it. */
	score: '';
	owner: string;
	createdAt: string;
	updatedAt: string;
	lastActivityAt: string;
	stageChangedAt: string;
	lostReason: string;
	notes: string;
	/** Behaviour and firmographics the Lead Scorer learns from. */
	pageViews: number;
	inquiries: number;
	emailOpens: number;
	companySize: number;
	industry: string;
	/** Deal value from SQL on ('' before). For won leads it equals the first order's amount. */
	amount: number | '';
	currency: string;
	/** 'won' or 'lost' once closed, '' while open: the training target. */
	outcome: 'won' | 'lost' | '';
	closedAt: string;
	wonReason: string;
}

/** One stage change (the StageHistory tab). The first row of each lead is its creation ('' → New). */
export interface StageMove {
	time: string;
	tab: 'Leads';
	/** The lead's email (the Leads tab key). */
	key: string;
	from: Stage | '';
	to: Stage;
	reason: string;
	executionId: string;
}

export interface Order {
	id: string;
	customerEmail: string;
	/** ISO date (YYYY-MM-DD). */
	date: string;
	amount: number;
	currency: string;
	product: string;
	campaign: string;
	notes: string;
}

export interface Campaign {
	id: string;
	name: string;
	channel: string;
	startDate: string;
	endDate: string;
	spend: number;
	budget: number;
	impressions: number;
	clicks: number;
	/** Leads created by the campaign (counted from the Leads data). */
	leads: number;
	/** Customers won from those leads. */
	conversions: number;
	/** All order revenue from those customers in the data's period. */
	revenue: number;
	objective: string;
	objectiveTarget: number;
	objectiveAchieved: number;
}

/** One arm of the A/B test (trials = emails delivered, successes = clicks). */
export interface Variant {
	campaign: string;
	variant: string;
	description: string;
	trials: number;
	successes: number;
}

/** One touch of a lead's journey (the Touchpoints tab, plus converted and value for attribution). */
export interface Touchpoint {
	id: string;
	time: string;
	email: string;
	type: string;
	channel: string;
	campaign: string;
	subject: string;
	details: string;
	executionId: string;
	/** True on the touch that closed a won deal (exactly one per won lead). */
	converted: boolean;
	/** The won deal's amount on the converting touch, 0 elsewhere. */
	value: number;
}

export interface DemoData {
	leads: Lead[];
	stageHistory: StageMove[];
	orders: Order[];
	campaigns: Campaign[];
	variants: Variant[];
	touchpoints: Touchpoint[];
}
