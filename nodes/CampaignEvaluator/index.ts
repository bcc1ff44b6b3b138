// Public library API of the CampaignEvaluator models: filled in by the CampaignEvaluator work.
export {};
