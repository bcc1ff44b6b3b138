/** The CLV-by-segment bar chart for reports: one bar per segment, its customers' total CLV. */
import { renderBarChart, formatNumber } from '../shared/svgCharts';
import type { Segment } from './segments';

const SEGMENT_ORDER: Segment[] = ['champions', 'loyal', 'potential', 'at risk', 'hibernating', 'lost'];

export interface SegmentTotal {
	segment: Segment;
	customers: number;
	clv: number;
}

/** Customers and total CLV per segment, in the segments' fixed order (empty segments left out). */
export function clvBySegment(customers: Array<{ segment: Segment; clv: number | null }>): SegmentTotal[] {
	const totals = new Map<Segment, SegmentTotal>();
	for (const c of customers) {
		const t = totals.get(c.segment) ?? { segment: c.segment, customers: 0, clv: 0 };
		t.customers += 1;
		t.clv += c.clv ?? 0; // no spend model for this customer: counts, adds no value
		totals.set(c.segment, t);
	}
	return SEGMENT_ORDER.filter((s) => totals.has(s)).map((s) => totals.get(s)!);
}

export function renderSegmentChart(customers: Array<{ segment: Segment; clv: number | null }>, title = 'Expected customer value by segment'): string {
	const bars = clvBySegment(customers).map((t) => ({
		label: `${t.segment} (${t.customers})`,
		value: t.clv,
		valueLabel: formatNumber(Math.round(t.clv)),
	}));
	return renderBarChart({ title, bars });
}
