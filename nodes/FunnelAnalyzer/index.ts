// Public library API of the Funnel Analyzer: analyze a funnel and draw it.
export { analyzeFunnel } from './analyze';
export { conversionRatesOf } from './bottleneck';
export { renderFunnelSvg, type FunnelSvgOptions } from './renderFunnelSvg';
export type {
	Bottleneck as FunnelBottleneck,
	FunnelEvent,
	FunnelInput,
	FunnelOptions,
	FunnelRecord,
	FunnelResult,
	FunnelStep,
	PipelineMetrics,
	SegmentBreakdown,
	SegmentComparison,
	SegmentStepTest,
	StageCount,
	StepRef as FunnelStepRef,
	TimeStats as FunnelTimeStats,
	TimeUnit as FunnelTimeUnit,
} from './types';
