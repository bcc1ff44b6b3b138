/**
 * Small dependency-free SVG charts: a funnel and horizontal bars. They are drawn with
 * presentation attributes only (no CSS, scripts, fonts or links), with fixed width/height and
 * a viewBox, so they show the same in n8n's binary viewer, a browser, and an email.
 * All text is XML-escaped.
 */
import { InputError, describeValue } from './errors';

export interface ChartStyle {
	/** Total width in pixels (default 640). */
	width?: number;
	/** Bar fill colour (default a calm blue). */
	color?: string;
	/** Fill of the highlighted step/bar and of negative bars (default orange-red). */
	highlightColor?: string;
	/** Font stack; system fonts only so nothing is downloaded. */
	fontFamily?: string;
}

export interface FunnelChartStep {
	label: string;
	value: number;
	/** Text shown on the bar instead of the value, e.g. "70 (70%)". */
	valueLabel?: string;
}

export interface FunnelChartInput extends ChartStyle {
	title?: string;
	steps: FunnelChartStep[];
	/** Texts shown between step i and i+1, e.g. "71.4% continue" (length steps - 1). */
	transitions?: string[];
	/** Index of the step to draw in the highlight colour (e.g. the bottleneck). */
	highlightIndex?: number;
	/** A line under the chart, e.g. the bottleneck sentence. */
	caption?: string;
}

export interface BarChartBar {
	label: string;
	value: number;
	valueLabel?: string;
}

export interface BarChartInput extends ChartStyle {
	title?: string;
	bars: BarChartBar[];
	/** Height of one bar row in pixels (default 28). */
	barHeight?: number;
	caption?: string;
}

const DEFAULTS = {
	width: 640,
	color: '#4a7bd0',
	highlightColor: '#e0603a',
	fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
};
const FONT_SIZE = 13;
const TITLE_SIZE = 16;
const PADDING = 16;
const TEXT_COLOR = '#222222';
const MUTED_COLOR = '#666666';

/**
 * Escapes text for use in XML content and attribute values, and drops the characters XML 1.0
 * cannot hold at all (control characters, lone surrogates), which would break the whole chart.
 */
export function escapeXml(text: string): string {
	return String(text)
		.replace(XML_INVALID, '')
		.replace(/[<>&"']/g, (c) => ESCAPES[c]);
}
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/**
 * A funnel: one centred bar per step, width proportional to the step's value relative to the
 * largest value, with the transition text (e.g. conversion) between consecutive steps.
 */
export function renderFunnelChart(input: FunnelChartInput): string {
	const style = { ...DEFAULTS, ...definedOnly(input) };
	const steps = input.steps;
	checkValues(steps.map((s) => s.value), 'steps', true);
	const rowHeight = 34;
	const gap = 22;
	const labelWidth = Math.min(220, Math.max(80, longest(steps.map((s) => s.label)) * FONT_SIZE * 0.6 + 12));
	const plotLeft = PADDING + labelWidth;
	const plotWidth = Math.max(40, style.width - plotLeft - PADDING);
	const max = Math.max(0, ...steps.map((s) => s.value));
	const parts: string[] = [];
	let y = PADDING;
	if (input.title) {
		parts.push(text(PADDING, y + TITLE_SIZE, input.title, { size: TITLE_SIZE, weight: 'bold' }));
		y += TITLE_SIZE + 12;
	}
	steps.forEach((step, i) => {
		const barWidth = max > 0 ? (step.value / max) * plotWidth : 0;
		const x = plotLeft + (plotWidth - barWidth) / 2;
		const fill = i === input.highlightIndex ? style.highlightColor : style.color;
		parts.push(text(plotLeft - 8, y + rowHeight / 2 + FONT_SIZE / 3, step.label, { anchor: 'end' }));
		parts.push(rect(x, y, barWidth, rowHeight, fill, `${step.label}: ${step.valueLabel ?? formatNumber(step.value)}`));
		const valueText = step.valueLabel ?? formatNumber(step.value);
		const inside = barWidth > valueText.length * FONT_SIZE * 0.6 + 8;
		parts.push(
			text(plotLeft + plotWidth / 2, y + rowHeight / 2 + FONT_SIZE / 3, valueText, {
				anchor: 'middle',
				color: inside ? '#ffffff' : TEXT_COLOR,
				weight: 'bold',
			}),
		);
		y += rowHeight;
		const transition = input.transitions?.[i];
		if (i < steps.length - 1) {
			if (transition) {
				parts.push(text(plotLeft + plotWidth / 2, y + gap / 2 + FONT_SIZE / 3, `↓ ${transition}`, { anchor: 'middle', color: MUTED_COLOR }));
			}
			y += gap;
		}
	});
	y = addCaption(parts, input.caption, y, style.width);
	return svgDocument(style, y + PADDING, input.title ?? 'Funnel', parts);
}

/**
 * Horizontal bars, one per row, length proportional to |value| from a zero axis. Negative values
 * (e.g. a campaign losing money) extend left of the axis in the highlight colour.
 */
export function renderBarChart(input: BarChartInput): string {
	const style = { ...DEFAULTS, ...definedOnly(input) };
	const bars = input.bars;
	checkValues(bars.map((b) => b.value), 'bars', false);
	const rowHeight = input.barHeight ?? 28;
	const gap = 8;
	const labelWidth = Math.min(220, Math.max(60, longest(bars.map((b) => b.label)) * FONT_SIZE * 0.6 + 12));
	const valueWidth = Math.max(40, longest(bars.map((b) => b.valueLabel ?? formatNumber(b.value))) * FONT_SIZE * 0.6 + 12);
	const plotLeft = PADDING + labelWidth;
	const plotWidth = Math.max(40, style.width - plotLeft - valueWidth - PADDING);
	const max = Math.max(0, ...bars.map((b) => b.value));
	const min = Math.min(0, ...bars.map((b) => b.value));
	const span = max - min;
	const scale = span > 0 ? plotWidth / span : 0;
	const zeroX = plotLeft + -min * scale;
	const parts: string[] = [];
	let y = PADDING;
	if (input.title) {
		parts.push(text(PADDING, y + TITLE_SIZE, input.title, { size: TITLE_SIZE, weight: 'bold' }));
		y += TITLE_SIZE + 12;
	}
	const top = y;
	for (const bar of bars) {
		const length = Math.abs(bar.value) * scale;
		const x = bar.value < 0 ? zeroX - length : zeroX;
		const fill = bar.value < 0 ? style.highlightColor : style.color;
		const valueText = bar.valueLabel ?? formatNumber(bar.value);
		const baseline = y + rowHeight / 2 + FONT_SIZE / 3;
		parts.push(text(plotLeft - 8, baseline, bar.label, { anchor: 'end' }));
		parts.push(rect(x, y, length, rowHeight, fill, `${bar.label}: ${valueText}`));
		parts.push(text(Math.max(x + length, zeroX) + 6, baseline, valueText, { color: TEXT_COLOR }));
		y += rowHeight + gap;
	}
	if (bars.length > 0) {
		y -= gap;
		parts.push(
			`<line x1="${num(zeroX)}" y1="${num(top - 4)}" x2="${num(zeroX)}" y2="${num(y + 4)}" stroke="${MUTED_COLOR}" stroke-width="1"/>`,
		);
	}
	y = addCaption(parts, input.caption, y, style.width);
	return svgDocument(style, y + PADDING, input.title ?? 'Bar chart', parts);
}

function svgDocument(style: typeof DEFAULTS, height: number, label: string, parts: string[]): string {
	const w = num(style.width);
	const h = num(height);
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
		`role="img" aria-label="${escapeXml(label)}" font-family="${escapeXml(style.fontFamily)}" font-size="${FONT_SIZE}">` +
		`<title>${escapeXml(label)}</title>` +
		`<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>` +
		parts.join('') +
		'</svg>'
	);
}

function addCaption(parts: string[], caption: string | undefined, y: number, width: number): number {
	if (!caption) return y;
	// Wrap on words at roughly the chart width; SVG 1.1 text does not wrap by itself.
	const perLine = Math.max(20, Math.floor((width - 2 * PADDING) / (FONT_SIZE * 0.55)));
	let line = '';
	const lines: string[] = [];
	for (const word of caption.split(/\s+/)) {
		if (line && line.length + word.length + 1 > perLine) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	y += 10;
	for (const l of lines) {
		y += FONT_SIZE + 5;
		parts.push(text(PADDING, y, l, { color: MUTED_COLOR }));
	}
	return y;
}

function rect(x: number, y: number, width: number, height: number, fill: string, tooltip: string): string {
	return (
		`<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" rx="3" fill="${escapeXml(fill)}">` +
		`<title>${escapeXml(tooltip)}</title></rect>`
	);
}

function text(
	x: number,
	y: number,
	content: string,
	opts: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: 'bold'; color?: string } = {},
): string {
	const attrs = [`x="${num(x)}"`, `y="${num(y)}"`, `fill="${escapeXml(opts.color ?? TEXT_COLOR)}"`];
	if (opts.anchor && opts.anchor !== 'start') attrs.push(`text-anchor="${opts.anchor}"`);
	if (opts.size) attrs.push(`font-size="${opts.size}"`);
	if (opts.weight) attrs.push(`font-weight="${opts.weight}"`);
	return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** Coordinates with at most two decimals, so the SVG stays short and diff-able. */
function num(n: number): string {
	return String(Math.round(n * 100) / 100);
}

/** Default value text: integers as is with thousands separators, others with 2 decimals. */
export function formatNumber(n: number): string {
	const rounded = Number.isInteger(n) ? n : Math.round(n * 100) / 100;
	return rounded.toLocaleString('en-US');
}

function longest(texts: string[]): number {
	return texts.reduce((m, t) => Math.max(m, t.length), 0);
}

function checkValues(values: number[], field: string, nonNegative: boolean): void {
	values.forEach((value, row) => {
		if (typeof value !== 'number' || !Number.isFinite(value) || (nonNegative && value < 0)) {
			throw new InputError(
				`Chart ${field}[${row}]: value ${describeValue(value)} is not a ${nonNegative ? 'non-negative ' : ''}finite number`,
				{ row, field: `${field}.value`, value },
			);
		}
	});
}

/** Style options without undefined entries, so they do not overwrite the defaults. */
function definedOnly(style: ChartStyle): Partial<typeof DEFAULTS> {
	const out: Partial<typeof DEFAULTS> = {};
	if (style.width !== undefined) {
		if (!Number.isFinite(style.width) || style.width < 100 || style.width > 10_000) {
			throw new InputError(`Chart width ${describeValue(style.width)} must be a number from 100 to 10000 pixels`, {
				field: 'width',
				value: style.width,
			});
		}
		out.width = style.width;
	}
	if (style.color !== undefined) out.color = style.color;
	if (style.highlightColor !== undefined) out.highlightColor = style.highlightColor;
	if (style.fontFamily !== undefined) out.fontFamily = style.fontFamily;
	return out;
}
