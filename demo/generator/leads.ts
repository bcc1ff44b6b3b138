/**
 * The leads: who they are, where they came from, how they behaved, and how far each got in
 * the pipeline. Behaviour (page views, inquiries, email opens, company size, source) drives a
 * hidden propensity that decides each stage move, so won/lost history is learnable.
 */
import { campaignOfSource } from './campaigns';
import { drawJourney, type DraftTouch } from './journeys';
import { fictionalPerson } from './people';
import { simulatePipeline, type PipelinePath } from './pipeline';
import type { Random } from './random';
import { drawDealAmount, drawSpendRate } from './orders';
import { DAY_MS, OBSERVATION_END, PERIOD_START } from './time';
import type { Source } from './types';

const SOURCE_WEIGHTS: Record<Source, number> = { 'web form': 32, referral: 15, linkedin: 20, 'facebook ads': 20, email: 13 };
/** How much each source adds to the logit of every stage move (referrals close best, ad forms worst). */
const SOURCE_EFFECT: Record<Source, number> = { 'web form': 0, referral: 0.9, linkedin: 0.1, 'facebook ads': -0.5, email: 0.4 };
const MEAN_PAGE_VIEWS: Record<Source, number> = { 'web form': 6, referral: 3, linkedin: 4, 'facebook ads': 2.5, email: 4 };

export interface DraftLead {
	name: string;
	email: string;
	company: string;
	industry: string;
	phone: string;
	source: Source;
	campaign: string;
	createdAt: number;
	pageViews: number;
	inquiries: number;
	emailOpens: number;
	companySize: number;
	path: PipelinePath;
	spendRate: number;
	dealAmount: number;
	touches: DraftTouch[];
}

/** Creation days grow denser towards the end (a business that is growing): t ∝ U^0.75. */
function drawCreatedAt(random: Random): number {
	const days = Math.floor((OBSERVATION_END - PERIOD_START) / DAY_MS);
	const day = Math.floor(days * Math.pow(random.next(), 0.75));
	const minuteOfDay = random.integer(7 * 60, 20 * 60 - 1);
	return PERIOD_START + day * DAY_MS + minuteOfDay * 60_000;
}

export function drawLead(random: Random, usedEmails: Set<string>): DraftLead {
	const person = fictionalPerson(random, usedEmails);
	const source = random.weighted(SOURCE_WEIGHTS);
	const createdAt = drawCreatedAt(random);
	const plan = campaignOfSource(source);
	// Web-form leads come from the search campaign or organically; every other source is its campaign.
	const creatingChannel = source === 'web form' ? random.weighted({ 'google ads': 65, 'organic search': 25, direct: 10 }) : plan.channel;
	const campaign = creatingChannel === plan.channel ? plan.id : '';

	const pageViews = random.poisson(MEAN_PAGE_VIEWS[source] * random.gamma(2, 0.5));
	const inquiries = (source === 'email' ? 1 : 0) + random.poisson(0.5);
	const emailOpens = random.poisson(1.5);
	const companySize = Math.min(900, Math.max(1, Math.round(Math.exp(2.3 + 1.1 * random.normal()))));
	const propensity =
		-1.3 +
		0.55 * Math.log1p(pageViews) +
		0.5 * Math.min(inquiries, 4) +
		0.12 * Math.min(emailOpens, 8) +
		SOURCE_EFFECT[source] +
		0.12 * Math.log(companySize) +
		0.5 * random.normal();

	const path = simulatePipeline(random, createdAt, propensity);
	const spendRate = drawSpendRate(random);
	const dealAmount = drawDealAmount(random, spendRate);
	const touches = drawJourney(random, source, creatingChannel, campaign, path, dealAmount);
	return { ...person, source, campaign, createdAt, pageViews, inquiries, emailOpens, companySize, path, spendRate, dealAmount, touches };
}
