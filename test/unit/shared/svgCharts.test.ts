import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import { escapeXml, renderBarChart, renderFunnelChart } from '../../../nodes/shared/svgCharts';

interface Parsed {
	ok: boolean;
	error?: string;
	root: Record<string, string>;
	rects: Array<{ x: number; width: number; fill: string; title: string | null }>;
	texts: string[];
	external: string[];
}

/** Parses SVGs with Python's XML parser (test/reference/funnel_svg_parse.py), an independent check. */
function parseWithPython(svgs: string[]): Parsed[] {
	const proc = spawnSync('python3', [join(__dirname, '../../reference/funnel_svg_parse.py')], {
		input: JSON.stringify(svgs),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (proc.status !== 0) throw new Error(proc.stderr);
	return JSON.parse(proc.stdout) as Parsed[];
}

/** The data bars: rects carrying a tooltip (the background rect has none). */
const dataRects = (p: Parsed) => p.rects.filter((r) => r.title !== null);

const hostile = '<script>alert("x")</script> & \'quotes\' ]]> <!--';

describe('escapeXml', () => {
	it('escapes the five XML special characters and nothing else', () => {
		expect(escapeXml(`a<b>c&d"e'f`)).toBe('a&lt;b&gt;c&amp;d&quot;e&apos;f');
		expect(escapeXml('Straße → 70% 😀')).toBe('Straße → 70% 😀');
	});

	it('drops characters XML cannot hold, so any label still gives a parseable chart', () => {
		expect(escapeXml('a\u0000b\u001fc\ud800d')).toBe('abcd');
		const labels = fc.sample(fc.string({ unit: 'binary', maxLength: 20 }), { numRuns: 40, seed: 11 });
		const svgs = labels.map((label) => renderBarChart({ title: label, bars: [{ label, value: 1 }] }));
		expect(parseWithPython(svgs).every((p) => p.ok)).toBe(true);
	});
});

describe('renderFunnelChart', () => {
	const seed = [
		{ label: 'Potential customer', value: 100 },
		{ label: 'Quote', value: 70 },
		{ label: 'Negotiation', value: 50 },
		{ label: 'Signed contract', value: 30 },
	];

	it('is well-formed SVG with fixed size, a viewBox and no external references', () => {
		const svg = renderFunnelChart({ title: 'Funnel', steps: seed, transitions: ['70%', '71.4%', '60%'], caption: 'Weakest: Negotiation' });
		const [parsed] = parseWithPython([svg]);
		expect(parsed.ok).toBe(true);
		expect(parsed.root.width).toBe('640');
		expect(parsed.root.viewBox).toBe(`0 0 640 ${parsed.root.height}`);
		expect(Number(parsed.root.height)).toBeGreaterThan(100);
		expect(parsed.external).toEqual([]);
		expect(parsed.texts).toEqual(expect.arrayContaining(['Funnel', 'Quote', '↓ 71.4%', 'Weakest: Negotiation']));
	});

	it('draws bar widths proportional to the values, centred on the same axis', () => {
		const [parsed] = parseWithPython([renderFunnelChart({ steps: seed })]);
		const bars = dataRects(parsed);
		expect(bars).toHaveLength(4);
		for (let i = 0; i < 4; i++) {
			expect(bars[i].width / bars[0].width).toBeCloseTo(seed[i].value / 100, 2);
			expect(bars[i].x + bars[i].width / 2).toBeCloseTo(bars[0].x + bars[0].width / 2, 1);
		}
	});

	it('highlights the chosen step', () => {
		const [parsed] = parseWithPython([renderFunnelChart({ steps: seed, highlightIndex: 2, highlightColor: '#ff0000' })]);
		expect(dataRects(parsed).map((r) => r.fill)).toEqual(['#4a7bd0', '#4a7bd0', '#ff0000', '#4a7bd0']);
	});

	it('escapes hostile labels, titles and captions', () => {
		const svg = renderFunnelChart({ title: hostile, steps: [{ label: hostile, value: 1, valueLabel: hostile }], caption: hostile });
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;');
		const [parsed] = parseWithPython([svg]);
		expect(parsed.ok).toBe(true);
		expect(parsed.external).toEqual([]);
		expect(parsed.texts).toContain(hostile);
	});

	it('handles all-zero and empty funnels without NaN', () => {
		const svgs = [renderFunnelChart({ steps: [{ label: 'a', value: 0 }, { label: 'b', value: 0 }] }), renderFunnelChart({ steps: [] })];
		for (const svg of svgs) expect(svg).not.toMatch(/NaN|Infinity|undefined/);
		expect(parseWithPython(svgs).every((p) => p.ok)).toBe(true);
	});

	it('rejects negative or non-finite values and silly widths with an InputError', () => {
		expect(() => renderFunnelChart({ steps: [{ label: 'a', value: -1 }] })).toThrow(InputError);
		expect(() => renderFunnelChart({ steps: [{ label: 'a', value: NaN }] })).toThrow(/steps\[0\]/);
		expect(() => renderFunnelChart({ steps: seed, width: 0 })).toThrow(/width/);
	});
});

describe('renderBarChart', () => {
	it('is well-formed, with bar lengths proportional to |value| on random input', () => {
		const arbBars = fc.array(
			fc.record({ label: fc.string({ maxLength: 30 }), value: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }),
			{ minLength: 1, maxLength: 12 },
		);
		const samples = fc.sample(arbBars, { numRuns: 60, seed: 3 });
		const svgs = samples.map((bars) => renderBarChart({ title: 'ROI', bars }));
		const parsed = parseWithPython(svgs);
		samples.forEach((bars, k) => {
			const p = parsed[k];
			expect(p.ok).toBe(true);
			expect(svgs[k]).not.toMatch(/NaN|Infinity|undefined/);
			const rects = dataRects(p);
			expect(rects).toHaveLength(bars.length);
			const biggest = Math.max(...bars.map((b) => Math.abs(b.value)));
			const longestBar = Math.max(...rects.map((r) => r.width));
			bars.forEach((bar, i) => {
				if (biggest > 0) expect(rects[i].width).toBeCloseTo((Math.abs(bar.value) / biggest) * longestBar, 0);
				expect(p.texts).toContain(bar.label);
			});
		});
	});

	it('puts negative bars left of the zero axis in the highlight colour', () => {
		const [p] = parseWithPython([
			renderBarChart({ bars: [{ label: 'Ads', value: 200 }, { label: 'Fair', value: -100, valueLabel: '-50%' }] }),
		]);
		const [pos, neg] = dataRects(p);
		expect(neg.x + neg.width).toBeCloseTo(pos.x, 1);
		expect(neg.width / pos.width).toBeCloseTo(0.5, 2);
		expect(neg.fill).not.toBe(pos.fill);
		expect(p.texts).toContain('-50%');
	});

	it('escapes hostile labels', () => {
		const svg = renderBarChart({ title: hostile, bars: [{ label: hostile, value: 3 }] });
		expect(svg).not.toContain('<script>');
		const [p] = parseWithPython([svg]);
		expect(p.ok).toBe(true);
		expect(p.texts).toContain(hostile);
	});
});
