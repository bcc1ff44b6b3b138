// Public library API of the FunnelAnalyzer models: filled in by the FunnelAnalyzer work.
export {};
