import fc from 'fast-check';
import { evaluateCampaigns, suggestReallocation } from '../../../nodes/CampaignEvaluator';
import { InputError } from '../../../nodes/shared/errors';

const seed = [
	{ campaign: 'email', objectiveAchieved: '80%', budget: 5000 },
	{ campaign: 'social', objectiveAchieved: '60%', budget: 8000 },
	{ campaign: 'offline', objectiveAchieved: '40%', budget: 10000 },
];

describe("the seed's effectiveness index", () => {
	it('reproduces 0.8 / 0.6 / 0.4 for 80%/5000, 60%/8000, 40%/10000', () => {
		const { campaigns } = evaluateCampaigns(seed);
		expect(campaigns.map((c) => c.effectivenessIndex)).toEqual([0.8, 0.6, 0.4]);
	});

	it('gives the same index from achieved / target, and the budget-aware figure per 1,000', () => {
		const { campaigns } = evaluateCampaigns([
			{ campaign: 'email', objectiveAchieved: 400, objectiveTarget: 500, budget: 5000 },
			{ campaign: 'social', objectiveAchieved: 0.6, budget: '8,000' },
			{ campaign: 'offline', objectiveAchieved: '40%', budget: 10000 },
		]);
		expect(campaigns.map((c) => c.effectivenessIndex)).toEqual([0.8, 0.6, 0.4]);
		// 0.8 / 5000 * 1000, 0.6 / 8000 * 1000, 0.4 / 10000 * 1000
		expect(campaigns[0].objectiveAchievedPerThousand).toBeCloseTo(0.16, 15);
		expect(campaigns[1].objectiveAchievedPerThousand).toBeCloseTo(0.075, 15);
		expect(campaigns[2].objectiveAchievedPerThousand).toBeCloseTo(0.04, 15);
	});

	it('warns when a bare number above 10 looks like a percentage', () => {
		const { campaigns } = evaluateCampaigns([{ campaign: 'x', objectiveAchieved: 80, budget: 100 }]);
		expect(campaigns[0].warnings.join(' ')).toMatch(/Write "80%" or give the target/);
	});
});

const rows = [
	{ campaign: 'Newsletter', spend: 500, impressions: 10000, clicks: 400, leads: 40, customers: 8, revenue: 2400 },
	{ campaign: 'LinkedIn ads', spend: '$1,200', impressions: 50000, clicks: 900, leads: 45, customers: 5, revenue: 1500 },
	{ campaign: 'Trade fair', spend: 3000, impressions: '', clicks: null, leads: 60, customers: 6, revenue: 2700 },
	{ campaign: 'Referral', spend: 0, leads: 10, customers: 4, revenue: 1600 },
];

describe('campaign metrics', () => {
	const { campaigns, summary } = evaluateCampaigns(rows, {}, { minimumBudget: 200 });

	it('computes every ratio from its definition', () => {
		const n = campaigns[0];
		expect(n.clickThroughRate).toBe(400 / 10000);
		expect(n.leadRate).toBe(40 / 400);
		expect(n.conversionRate).toBe(8 / 40);
		expect(n.costPerLead).toBe(500 / 40);
		expect(n.costPerAcquisition).toBe(500 / 8);
		expect(n.returnOnAdSpend).toBe(2400 / 500);
		expect(n.returnOnInvestment).toBe((2400 - 500) / 500);
		expect(n.profit).toBe(1900);
		expect(campaigns[1].spend).toBe(1200);
		expect(campaigns[1].returnOnInvestment).toBe((1500 - 1200) / 1200);
	});

	it('gives null with a warning when spend is 0, never Infinity', () => {
		const referral = campaigns[3];
		expect(referral.returnOnInvestment).toBeNull();
		expect(referral.returnOnAdSpend).toBeNull();
		expect(referral.costPerLead).toBe(0);
		expect(referral.warnings).toContain('ROAS and ROI undefined: spend is 0.');
		expect(JSON.stringify({ campaigns, summary })).not.toMatch(/NaN|Infinity/);
		// Missing impressions/clicks: no ratio, no noise.
		expect(campaigns[2].clickThroughRate).toBeNull();
		expect(campaigns[2].leadRate).toBeNull();
	});

	it('ranks by ROI, best first, with unknown ROI unranked', () => {
		// ROI: 3.8, 0.25, -0.1, undefined (spend 0)
		expect(campaigns.map((c) => [c.campaign, c.rank])).toEqual([
			['Newsletter', 1],
			['LinkedIn ads', 2],
			['Trade fair', 3],
			['Referral', null],
		]);
		expect(summary.bestCampaign).toBe('Newsletter');
	});

	it('ranks costs lowest first', () => {
		const ranked = evaluateCampaigns(rows, {}, { rankBy: 'costPerAcquisition' }).campaigns;
		// CPA: 62.5, 240, 500, 0
		expect(ranked.map((c) => c.rank)).toEqual([2, 3, 4, 1]);
	});

	it('totals and pooled ratios only over campaigns that have both numbers', () => {
		expect(summary.totals.spend).toBe(4700);
		expect(summary.totals.revenue).toBe(8200);
		expect(summary.totals.profit).toBe(3500);
		expect(summary.clickThroughRate).toBe((400 + 900) / (10000 + 50000));
		expect(summary.returnOnInvestment).toBe((8200 - 4700) / 4700);
		expect(summary.costPerAcquisition).toBe(4700 / 23);
	});

	it('suggests a reallocation by ROI in numbers and one sentence', () => {
		const r = summary.reallocation;
		// Pool: the three campaigns with an ROI; Referral keeps its 0.
		expect(r.totalBudget).toBe(4700);
		const rois = [1900 / 500, 300 / 1200, -300 / 3000];
		const rest = 4700 - 3 * 200;
		const positive = rois.map((x) => Math.max(x, 0));
		const sum = positive.reduce((a, b) => a + b, 0);
		expect(r.campaigns.slice(0, 3).map((c) => c.suggestedBudget)).toEqual(positive.map((p) => 200 + (rest * p) / sum));
		expect(r.campaigns[3]).toMatchObject({ campaign: 'Referral', suggestedBudget: 0, change: 0 });
		const moved = Math.round(200 + (rest * positive[0]) / sum - 500).toLocaleString('en-US');
		expect(r.sentence).toBe(`Move ${moved} from Trade fair (ROI -10%) and LinkedIn ads (ROI 25%) to Newsletter (ROI 380%), keeping at least 200 in every campaign.`);
		expect(r.warnings).toEqual(['Referral kept its budget: ROI unknown (no spend or no revenue).']);
	});

	it('maps custom field names', () => {
		const { campaigns: mapped } = evaluateCampaigns([{ Name: 'A', Cost: 100, Sales: 250 }], { campaign: 'Name', spend: 'Cost', revenue: 'Sales' });
		expect(mapped[0]).toMatchObject({ campaign: 'A', spend: 100, revenue: 250, returnOnInvestment: 1.5 });
	});
});

describe('reallocation properties', () => {
	it('spends exactly the total, respects the floor, and never gives less to a higher ROI', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ budget: fc.integer({ min: 0, max: 10_000 }), roi: fc.double({ min: -1, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
				fc.integer({ min: 0, max: 1000 }),
				(list, minimumBudget) => {
					const candidates = list.map((c, i) => ({ campaign: `c${i}`, currentBudget: c.budget, returnOnInvestment: c.roi }));
					const total = list.reduce((s, c) => s + c.budget, 0);
					const r = suggestReallocation(candidates, { minimumBudget });
					const suggested = r.campaigns.map((c) => c.suggestedBudget);
					expect(Math.abs(suggested.reduce((a, b) => a + b, 0) - total)).toBeLessThan(1e-9 * Math.max(1, total));
					if (minimumBudget * list.length <= total && list.some((c) => c.roi > 0)) {
						for (const s of suggested) expect(s).toBeGreaterThanOrEqual(minimumBudget - 1e-9);
						for (let i = 0; i < list.length; i++) {
							for (let j = 0; j < list.length; j++) {
								if (list[i].roi > list[j].roi) expect(suggested[i]).toBeGreaterThanOrEqual(suggested[j] - 1e-9);
							}
						}
					}
				},
			),
		);
	});

	it('says so when no campaign pays for itself', () => {
		const r = suggestReallocation([
			{ campaign: 'a', currentBudget: 100, returnOnInvestment: -0.5 },
			{ campaign: 'b', currentBudget: 300, returnOnInvestment: -0.1 },
		]);
		expect(r.campaigns.map((c) => c.suggestedBudget)).toEqual([100, 300]);
		expect(r.sentence).toMatch(/No campaign returns more than it costs/);
	});
});

describe('campaigns: bad input', () => {
	it('names the item, field and value of a bad number', () => {
		expect(() => evaluateCampaigns([{ campaign: 'a', spend: 10 }, { campaign: 'b', spend: 'lots' }])).toThrow('Item 1: field "spend" is "lots", which is not a number');
		expect(() => evaluateCampaigns([{ campaign: 'a', clicks: -3 }])).toThrow(/Item 0: field "clicks" is -3, which is not allowed to be negative/);
		try {
			evaluateCampaigns([{ campaign: 'a', spend: 10 }, { campaign: 'b', spend: 'lots' }]);
		} catch (error) {
			expect(error).toBeInstanceOf(InputError);
			expect(error).toMatchObject({ row: 1, field: 'spend', value: 'lots' });
		}
	});

	it('rejects an empty input and bad options', () => {
		expect(() => evaluateCampaigns([])).toThrow(/No campaigns to evaluate/);
		expect(() => evaluateCampaigns(seed, {}, { rankBy: 'vibes' as never })).toThrow(/Rank by must be one of/);
		expect(() => evaluateCampaigns(seed, {}, { minimumBudget: -5 })).toThrow(/minimumBudget must be a number >= 0/);
	});

	it('warns when the minimum per campaign cannot be met', () => {
		const { summary } = evaluateCampaigns([
			{ campaign: 'a', spend: 100, revenue: 300 },
			{ campaign: 'b', spend: 100, revenue: 100 },
		], {}, { minimumBudget: 150 });
		expect(summary.reallocation.campaigns.map((c) => c.suggestedBudget)).toEqual([100, 100]);
		expect(summary.warnings.join(' ')).toMatch(/minimum of 150 per campaign needs 300, more than the 200 available/);
	});
});
