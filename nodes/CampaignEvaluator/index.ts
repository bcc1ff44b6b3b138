// Public library API of the Campaign Evaluator models.
export { evaluateCampaigns, CAMPAIGN_RANK_METRICS, DEFAULT_CAMPAIGN_FIELDS } from './campaignMetrics';
export type {
	CampaignEvaluation,
	CampaignFieldMapping,
	CampaignMetrics,
	CampaignRankMetric,
	CampaignSummary,
	CampaignTotals,
	EvaluateCampaignsOptions,
} from './campaignMetrics';
export { suggestReallocation } from './budgetReallocation';
export type { Reallocation, ReallocatedCampaign, ReallocationCandidate, ReallocationOptions } from './budgetReallocation';
export { compareVariants } from './compareVariants';
export type { CompareVariantsOptions, SampleSizePlan, VariantComparison, VariantCounts, VariantTestResult } from './compareVariants';
export { chiSquareTest, newcombeInterval, sampleSizePerArm, twoProportionZTest, wilsonInterval } from './proportionTests';
export { expectedLoss, probabilityBBeatsA } from './bayesianAb';
export type { BetaPosterior } from './bayesianAb';
export { attribute, ATTRIBUTION_MODELS } from './attribute';
export type { AttributeOptions, AttributionModel, AttributionResult, AttributionTotals, ChannelCredit, ChannelCredits } from './attribute';
export { journeysFromPaths, journeysFromTouches, collapseRepeats } from './journeys';
export type { Journey, PathFieldMapping, TouchFieldMapping } from './journeys';
