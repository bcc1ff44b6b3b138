// Public library API of the LeadScorer models: filled in by the LeadScorer work.
export {};
