/** The funnel of a result as an SVG chart (bars = entries, arrows = step conversion). */
import { renderFunnelChart, type ChartStyle } from '../shared/svgCharts';
import { percent } from './bottleneck';
import type { FunnelResult } from './types';

export interface FunnelSvgOptions extends ChartStyle {
	title?: string;
	/** Draw the weakest step in the highlight colour and print the bottleneck sentence (default true). */
	showBottleneck?: boolean;
}

export function renderFunnelSvg(result: FunnelResult, options: FunnelSvgOptions = {}): string {
	const showBottleneck = options.showBottleneck ?? true;
	const weakest = result.bottleneck.byConversion?.step;
	const first = result.steps[0]?.entered ?? 0;
	return renderFunnelChart({
		...options,
		title: options.title ?? 'Funnel',
		steps: result.steps.map((s) => ({
			label: s.name,
			value: s.entered,
			valueLabel: first > 0 ? `${s.entered.toLocaleString('en-US')} (${percent(s.entered / first)})` : String(s.entered),
		})),
		transitions: result.steps.slice(0, -1).map((s) => (s.conversionRate === null ? 'no entries' : `${percent(s.conversionRate)} move on`)),
		highlightIndex: showBottleneck && weakest !== undefined ? result.steps.findIndex((s) => s.name === weakest) : undefined,
		caption: showBottleneck ? result.bottleneck.sentence : undefined,
	});
}
