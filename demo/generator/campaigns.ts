/**
 * The five campaigns, one per lead source, and the newsletter's A/B subject-line test.
 * Leads, conversions and revenue are counted from the generated leads and orders, so the
 * Campaign Evaluator's results agree with the CRM; spend, impressions and clicks are drawn.
 */
import type { Random } from './random';
import type { Campaign, Lead, Order, Source, Variant } from './types';
import { OBSERVATION_END, PERIOD_START, toDate } from './time';

interface CampaignPlan {
	id: string;
	name: string;
	channel: string;
	source: Source;
	spend: number;
	budget: number;
	/** Click-through rate and the share of clicks that become leads. */
	clickThroughRate: number;
	leadsPerClick: number;
	objective: 'leads' | 'customers';
	objectiveTarget: number;
}

export const CAMPAIGN_PLANS: readonly CampaignPlan[] = [
	{ id: 'CMP-GOOGLE', name: 'Google Search: office coffee', channel: 'google ads', source: 'web form', spend: 5200, budget: 5000, clickThroughRate: 0.035, leadsPerClick: 0.05, objective: 'leads', objectiveTarget: 110 },
	{ id: 'CMP-LINKEDIN', name: 'LinkedIn: office managers', channel: 'linkedin', source: 'linkedin', spend: 3800, budget: 4000, clickThroughRate: 0.006, leadsPerClick: 0.12, objective: 'leads', objectiveTarget: 120 },
	{ id: 'CMP-FACEBOOK', name: 'Facebook lead ads: tasting box', channel: 'facebook ads', source: 'facebook ads', spend: 2900, budget: 3000, clickThroughRate: 0.011, leadsPerClick: 0.09, objective: 'leads', objectiveTarget: 100 },
	{ id: 'CMP-NEWSLETTER', name: 'Monthly newsletter', channel: 'email', source: 'email', spend: 480, budget: 600, clickThroughRate: 0.05, leadsPerClick: 0.08, objective: 'customers', objectiveTarget: 20 },
	{ id: 'CMP-REFERRAL', name: 'Refer a friend (free bag)', channel: 'referral', source: 'referral', spend: 950, budget: 1000, clickThroughRate: 0, leadsPerClick: 0, objective: 'customers', objectiveTarget: 30 },
];

export const campaignOfSource = (source: Source) => CAMPAIGN_PLANS.find((plan) => plan.source === source) as CampaignPlan;

const cents = (value: number) => Math.round(value * 100) / 100;

export function buildCampaigns(random: Random, leads: Lead[], orders: Order[]): Campaign[] {
	const revenueByCustomer = new Map<string, number>();
	for (const order of orders) revenueByCustomer.set(order.customerEmail, (revenueByCustomer.get(order.customerEmail) ?? 0) + order.amount);
	return CAMPAIGN_PLANS.map((plan) => {
		const own = leads.filter((lead) => lead.campaign === plan.id);
		const won = own.filter((lead) => lead.stage === 'Won');
		const revenue = cents(won.reduce((sum, lead) => sum + (revenueByCustomer.get(lead.email) ?? 0), 0));
		// A referral programme has no impressions or clicks: CTR is undefined there, on purpose.
		const clicks = plan.leadsPerClick > 0 ? Math.round(own.length / (plan.leadsPerClick * random.uniform(0.85, 1.15))) : 0;
		const impressions = plan.clickThroughRate > 0 ? Math.round(clicks / (plan.clickThroughRate * random.uniform(0.9, 1.1))) : 0;
		const achieved = plan.objective === 'leads' ? own.length : won.length;
		return {
			id: plan.id,
			name: plan.name,
			channel: plan.channel,
			startDate: toDate(PERIOD_START),
			endDate: toDate(OBSERVATION_END - 1),
			spend: plan.spend,
			budget: plan.budget,
			impressions,
			clicks,
			leads: own.length,
			conversions: won.length,
			revenue,
			objective: plan.objective,
			objectiveTarget: plan.objectiveTarget,
			objectiveAchieved: achieved,
		};
	});
}

/** The newsletter's subject-line test: B has the truly higher click rate, by enough to show. */
export function buildVariants(random: Random): Variant[] {
	const arms = [
		{ variant: 'A', description: 'Subject: "Better coffee for your office"', trials: 1480, clickRate: 0.042 },
		{ variant: 'B', description: 'Subject: "A free tasting box for your team"', trials: 1475, clickRate: 0.058 },
	];
	return arms.map((arm) => ({
		campaign: 'CMP-NEWSLETTER',
		variant: arm.variant,
		description: arm.description,
		trials: arm.trials,
		successes: random.binomial(arm.trials, arm.clickRate),
	}));
}
