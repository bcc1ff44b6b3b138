/**
 * Budget reallocation by ROI with a floor per campaign. A heuristic, not an optimum: ROI
 * measured at today's spend says nothing about what the next unit of spend returns
 * (returns diminish), so the suggestion moves money towards what pays and keeps every
 * campaign alive at the floor so it can still be measured.
 *
 * Rule: every campaign with a known ROI gets the minimum; the rest of the budget is split in
 * proportion to max(ROI, 0). Campaigns with an unknown ROI (no spend or no revenue) keep
 * their current budget and are left out of the pool. If no campaign has a positive ROI the
 * current split is kept (scaled to the total) and the sentence says so.
 */
import { formatPercent, formatWhole, joinNames } from './format';

export interface ReallocationCandidate {
	campaign: string;
	/** What the campaign gets now (budget, or spend when no budget is given). */
	currentBudget: number;
	returnOnInvestment: number | null;
}

export interface ReallocationOptions {
	/** Floor per campaign, in money. Default 0. */
	minimumBudget?: number;
	/** Budget to split among campaigns with a known ROI; default: what they get now. */
	totalBudget?: number;
}

export interface ReallocatedCampaign {
	campaign: string;
	currentBudget: number;
	suggestedBudget: number;
	change: number;
	returnOnInvestment: number | null;
}

export interface Reallocation {
	totalBudget: number;
	minimumBudget: number;
	campaigns: ReallocatedCampaign[];
	/** The advice in one plain sentence. */
	sentence: string;
	warnings: string[];
}

function describeRoi(campaign: ReallocatedCampaign): string {
	return `${campaign.campaign} (ROI ${formatPercent(campaign.returnOnInvestment ?? 0, 0)})`;
}

function sentenceFor(campaigns: ReallocatedCampaign[], minimumBudget: number): string {
	// A change under one money unit is rounding noise, not advice.
	const receivers = campaigns.filter((c) => c.change >= 1).sort((a, b) => b.change - a.change);
	const donors = campaigns.filter((c) => c.change <= -1).sort((a, b) => a.change - b.change);
	if (receivers.length === 0) return 'Keep the current split: moving budget would not raise the return on investment.';
	const moved = receivers.reduce((sum, c) => sum + c.change, 0);
	const floor = minimumBudget > 0 ? `, keeping at least ${formatWhole(minimumBudget)} in every campaign` : '';
	return `Move ${formatWhole(moved)} from ${joinNames(donors.map(describeRoi))} to ${joinNames(receivers.map(describeRoi))}${floor}.`;
}

/** Suggests a new budget per campaign by ROI; see the module comment for the rule. */
export function suggestReallocation(candidates: ReallocationCandidate[], options: ReallocationOptions = {}): Reallocation {
	const warnings: string[] = [];
	const minimumBudget = options.minimumBudget ?? 0;
	const pool = candidates.filter((c) => c.returnOnInvestment !== null);
	const kept = candidates.filter((c) => c.returnOnInvestment === null);
	const currentTotal = pool.reduce((sum, c) => sum + c.currentBudget, 0);
	const totalBudget = options.totalBudget ?? currentTotal;
	if (kept.length > 0) {
		warnings.push(`${joinNames(kept.map((c) => c.campaign))} kept ${kept.length === 1 ? 'its' : 'their'} budget: ROI unknown (no spend or no revenue).`);
	}

	let suggested: number[];
	let sentence: string | undefined;
	const positive = pool.map((c) => Math.max(c.returnOnInvestment ?? 0, 0));
	const positiveSum = positive.reduce((a, b) => a + b, 0);
	if (pool.length === 0) {
		suggested = [];
		sentence = 'No campaign has both spend and revenue, so there is no ROI to reallocate by.';
	} else if (minimumBudget * pool.length > totalBudget) {
		warnings.push(
			`The minimum of ${formatWhole(minimumBudget)} per campaign needs ${formatWhole(minimumBudget * pool.length)}, more than the ${formatWhole(totalBudget)} available: budget split equally.`,
		);
		suggested = pool.map(() => totalBudget / pool.length);
	} else if (positiveSum === 0) {
		suggested = pool.map((c) => (currentTotal > 0 ? (c.currentBudget / currentTotal) * totalBudget : totalBudget / pool.length));
		sentence = 'No campaign returns more than it costs: moving budget between them will not help; consider cutting spend.';
	} else {
		const rest = totalBudget - minimumBudget * pool.length;
		suggested = positive.map((roi) => minimumBudget + (rest * roi) / positiveSum);
	}

	const campaigns: ReallocatedCampaign[] = [
		...pool.map((c, i) => ({
			campaign: c.campaign,
			currentBudget: c.currentBudget,
			suggestedBudget: suggested[i],
			change: suggested[i] - c.currentBudget,
			returnOnInvestment: c.returnOnInvestment,
		})),
		...kept.map((c) => ({ campaign: c.campaign, currentBudget: c.currentBudget, suggestedBudget: c.currentBudget, change: 0, returnOnInvestment: null })),
	];
	return { totalBudget, minimumBudget, campaigns, sentence: sentence ?? sentenceFor(campaigns, minimumBudget), warnings };
}
