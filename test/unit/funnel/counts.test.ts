import fc from 'fast-check';
import { analyzeFunnel, conversionRatesOf, renderFunnelSvg } from '../../../nodes/FunnelAnalyzer';
import { InputError } from '../../../nodes/shared/errors';

const SEED_STAGES = ['Potential customer', 'Quote', 'Negotiation', 'Signed contract'];
const seedCounts = [
	{ stage: 'Potential customer', count: 100 },
	{ stage: 'Quote', count: 70 },
	{ stage: 'Negotiation', count: 50 },
	{ stage: 'Signed contract', count: 30 },
];

describe('counts mode: the seed example', () => {
	const result = analyzeFunnel({ counts: seedCounts });

	it('gives exactly 0.7, 0.7142857…, 0.6 and 0.3 overall', () => {
		expect(result.steps.map((s) => s.conversionRate)).toEqual([0.7, 50 / 70, 0.6, null]);
		expect(result.steps[1].conversionRate).toBeCloseTo(0.7142857142857143, 15);
		expect(result.overallConversion).toBe(0.3);
		expect(result.steps.map((s) => s.overallConversion)).toEqual([1, 0.7, 0.5, 0.3]);
		expect(result.steps.map((s) => s.dropOff)).toEqual([30, 20, 20, null]);
		expect(result.steps.map((s) => s.converted)).toEqual([70, 50, 30, null]);
		expect(result.warnings).toEqual([]);
	});

	it('names the weakest step (0.6) and where most are lost (30), in one sentence', () => {
		expect(result.bottleneck.byConversion?.step).toBe('Negotiation');
		expect(result.bottleneck.byDropOff?.step).toBe('Potential customer');
		expect(result.bottleneck.sentence).toBe(
			'The weakest step is Negotiation → Signed contract: 60.0% move on (20 of 50 drop out); most are lost at Potential customer → Quote (30 of 100).',
		);
	});

	it('accepts one counts object, numeric texts, and a configured order', () => {
		const fromObject = analyzeFunnel(
			{ counts: { Quote: '70', 'Signed contract': 30, 'Potential customer': '100', Negotiation: 50 } },
			{ stages: SEED_STAGES },
		);
		expect(fromObject.steps).toEqual(result.steps);
	});

	it('compares with benchmark rates and names the step that fell most', () => {
		const r = analyzeFunnel(
			{ counts: seedCounts },
			{ compareWith: { label: 'last quarter', conversionRates: { 'Potential customer': 0.65, Quote: 0.8 } } },
		);
		expect(r.steps[0].changeVsComparison).toBeCloseTo(0.05, 12);
		expect(r.steps[1].changeVsComparison).toBeCloseTo(50 / 70 - 0.8, 12);
		expect(r.steps[2].comparisonRate).toBeNull();
		expect(r.bottleneck.byChange?.step).toBe('Quote');
		expect(r.bottleneck.sentence).toContain('against last quarter, Quote → Negotiation fell most (71.4%, 8.6 points lower)');
	});

	it('compares with a previous result through conversionRatesOf', () => {
		const lastMonth = analyzeFunnel({ counts: { 'Potential customer': 100, Quote: 80, Negotiation: 50, 'Signed contract': 30 } });
		expect(conversionRatesOf(lastMonth)).toEqual({ 'Potential customer': 0.8, Quote: 50 / 80, Negotiation: 0.6 });
		const r = analyzeFunnel({ counts: seedCounts }, { compareWith: { label: 'last month', conversionRates: conversionRatesOf(lastMonth) } });
		expect(r.bottleneck.byChange?.step).toBe('Potential customer');
		expect(r.steps[0].changeVsComparison).toBeCloseTo(-0.1, 12);
	});

	it('draws the funnel as an SVG with the bottleneck highlighted', () => {
		const svg = renderFunnelSvg(result, { title: 'Q3 <funnel>' });
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg).toContain('Q3 &lt;funnel&gt;');
		expect(svg).toContain('71.4% move on');
		expect(svg).toContain('#e0603a');
	});
});

describe('counts mode: properties', () => {
	it('matches the definitions on random funnels (non-increasing counts)', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 8 }), (raw) => {
				const counts = [...raw].sort((a, b) => b - a);
				const r = analyzeFunnel({ counts: counts.map((count, i) => ({ stage: `S${i}`, count })) });
				expect(r.warnings).toEqual([]);
				r.steps.forEach((s, i) => {
					expect(s.entered).toBe(counts[i]);
					if (i === counts.length - 1) return expect(s.conversionRate).toBeNull();
					expect(s.converted).toBe(counts[i + 1]);
					expect(s.dropOff).toBe(counts[i] - counts[i + 1]);
					if (counts[i] === 0) expect(s.conversionRate).toBeNull();
					else expect(s.conversionRate).toBe(counts[i + 1] / counts[i]);
				});
				expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
			}),
		);
	});

	it('warns when counts grow down the funnel but still computes', () => {
		const r = analyzeFunnel({ counts: [{ stage: 'A', count: 10 }, { stage: 'B', count: 15 }, { stage: 'C', count: 5 }] });
		expect(r.warnings.join(' ')).toMatch(/Not a funnel: the count grows at "B"/);
		expect(r.steps[0].conversionRate).toBe(1.5);
		expect(r.steps[0].dropOff).toBe(-5);
	});

	it('gives null, not NaN, when nobody entered', () => {
		const r = analyzeFunnel({ counts: [{ stage: 'A', count: 0 }, { stage: 'B', count: 0 }] });
		expect(r.steps[0].conversionRate).toBeNull();
		expect(r.overallConversion).toBeNull();
		expect(r.bottleneck.byConversion).toBeNull();
		expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
	});
});

describe('counts mode: bad input', () => {
	const expectInputError = (fn: () => unknown, pattern: RegExp) => {
		expect(fn).toThrow(InputError);
		expect(fn).toThrow(pattern);
	};

	it('rejects negative, fractional and non-numeric counts, naming item and value', () => {
		expectInputError(() => analyzeFunnel({ counts: [{ stage: 'A', count: 5 }, { stage: 'B', count: -1 }] }), /Item 1: field "count" has -1.*negative/);
		expectInputError(() => analyzeFunnel({ counts: [{ stage: 'A', count: 2.5 }] }), /whole number/);
		expectInputError(() => analyzeFunnel({ counts: [{ stage: 'A', count: 'many' }] }), /"many"/);
	});

	it('lists unknown stage names and rejects duplicate stages in the order', () => {
		expectInputError(
			() => analyzeFunnel({ counts: [{ stage: 'Lead', count: 5 }, { stage: 'Qoute', count: 3 }, { stage: 'Wonn', count: 1 }] }, { stages: ['Lead', 'Quote', 'Won'] }),
			/Unknown stage names in "stage": "Qoute" \(item 1\), "Wonn" \(item 2\)/,
		);
		expectInputError(() => analyzeFunnel({ counts: seedCounts }, { stages: ['Quote', 'Quote'] }), /"Quote" more than once/);
		expectInputError(() => analyzeFunnel({ counts: [{ stage: 'A', count: 1 }, { stage: 'A', count: 2 }] }), /already has a count \(item 0\)/);
	});

	it('rejects empty input and warns about configured stages without a count', () => {
		expectInputError(() => analyzeFunnel({ counts: [] }), /empty/);
		const r = analyzeFunnel({ counts: [{ stage: 'A', count: 3 }] }, { stages: ['A', 'B'] });
		expect(r.warnings.join(' ')).toContain('No count given for "B"');
		expect(r.steps[1].entered).toBe(0);
	});

	it('rejects comparison rates for unknown stages or out of range', () => {
		expectInputError(() => analyzeFunnel({ counts: seedCounts }, { compareWith: { label: 'x', conversionRates: { Nope: 0.5 } } }), /"Nope"/);
		expectInputError(() => analyzeFunnel({ counts: seedCounts }, { compareWith: { label: 'x', conversionRates: { Quote: 70 } } }), /from 0 to 1/);
	});
});
