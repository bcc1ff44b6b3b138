/** The campaign ROI bar chart for reports: one bar per campaign, ROI in percent (losses point left). */
import { renderBarChart } from '../shared/svgCharts';

export function renderRoiChart(campaigns: Array<{ campaign: string; returnOnInvestment: number | null }>, title = 'Return on investment by campaign'): string {
	const bars = campaigns
		.filter((c): c is { campaign: string; returnOnInvestment: number } => typeof c.returnOnInvestment === 'number')
		.sort((a, b) => b.returnOnInvestment - a.returnOnInvestment)
		.map((c) => ({ label: c.campaign, value: c.returnOnInvestment * 100, valueLabel: `${Math.round(c.returnOnInvestment * 100).toLocaleString('en-US')}%` }));
	return renderBarChart({ title, bars, caption: 'ROI = (revenue - spend) / spend. Campaigns without spend are left out.' });
}
