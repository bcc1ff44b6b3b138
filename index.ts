// The public library API: the pure models behind the nodes, usable from scripts and n8n Code nodes.
export * from './nodes/LeadScorer';
export * from './nodes/FunnelAnalyzer';
export * from './nodes/CampaignEvaluator';
export * from './nodes/ClvCalculator';
export * from './nodes/StageMover';
export * from './nodes/SalesCrmSheet';
export { InputError } from './nodes/shared/errors';
