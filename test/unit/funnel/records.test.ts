import fc from 'fast-check';
import { analyzeFunnel, type FunnelRecord } from '../../../nodes/FunnelAnalyzer';
import { InputError } from '../../../nodes/shared/errors';

const STAGES = ['Lead', 'Quote', 'Negotiation', 'Won'];
const DAY = 86_400_000;
const d = (day: number) => new Date(Date.UTC(2024, 0, 1) + day * DAY).toISOString().slice(0, 10);

describe('records mode: a worked example', () => {
	// Dates in days from 2024-01-01. Worked out by hand below.
	const records: FunnelRecord[] = [
		{ id: 1, stage: 'Won', status: 'Won', amount: 1000, createdAt: d(0), closedAt: d(30), stageDates: { Lead: d(0), Quote: d(5), Negotiation: d(15), Won: d(30) } },
		{ id: 2, stage: 'Won', status: 'won', amount: '2,000', createdAt: d(0), closedAt: d(50), stageDates: { Lead: d(0), Quote: d(10), Negotiation: d(20), Won: d(50) } },
		{ id: 3, stage: 'Negotiation', status: 'Lost', amount: 500, createdAt: d(0), closedAt: d(40), stageDates: { Lead: d(0), Quote: d(20), Negotiation: d(25) } },
		{ id: 4, stage: 'Quote', status: 'open', amount: 800, createdAt: d(10), stageDates: { Lead: d(10), Quote: d(12) } },
		{ id: 5, stage: 'Lead', status: '', amount: 300, createdAt: d(20), stageDates: { Lead: d(20) } },
	];
	const result = analyzeFunnel({ records }, { stages: STAGES, asOf: Date.UTC(2024, 0, 1) + 60 * DAY });

	it('counts reached stages cumulatively', () => {
		expect(result.steps.map((s) => s.entered)).toEqual([5, 4, 3, 2]);
		expect(result.steps.map((s) => s.conversionRate)).toEqual([4 / 5, 3 / 4, 2 / 3, null]);
		expect(result.overallConversion).toBe(2 / 5);
	});

	it('computes time to next stage and days in stage from entry dates', () => {
		// Lead -> Quote gaps: 5, 10, 20, 2 days; median 7.5, mean 9.25, p90 = 10 + 0.7 * 10 = 17 (linear).
		expect(result.steps[0].medianTimeToNext).toBe(7.5);
		expect(result.steps[0].meanTimeToNext).toBe(9.25);
		expect(result.steps[0].p90TimeToNext).toBeCloseTo(17, 12);
		// Time in Quote: 10, 10, 5 (until Negotiation), and deal 4 still open: 60 - 12 = 48 -> mean 18.25.
		expect(result.steps[1].averageTimeInStage).toBe(18.25);
		// Time in Negotiation: 15, 30, and deal 3 lost at day 40 after entering at 25: 15 -> mean 20.
		expect(result.steps[2].averageTimeInStage).toBe(20);
	});

	it('computes win rate, cycle, weighted pipeline and velocity', () => {
		const p = result.pipeline;
		expect(p).toBeDefined();
		expect(p?.won).toBe(2);
		expect(p?.lost).toBe(1);
		expect(p?.open).toBe(2);
		expect(p?.winRate).toBe(2 / 3);
		expect(p?.averageSalesCycleDays).toBe(40); // (30 + 50) / 2
		expect(p?.averageWonValue).toBe(1500);
		expect(p?.openPipelineValue).toBe(1100);
		// Historical probabilities: Lead 2/3 (3 closed reached it, 2 won), Quote 2/3.
		expect(p?.stageProbabilities.map((s) => s.probability)).toEqual([2 / 3, 2 / 3, 2 / 3, 1]);
		expect(p?.weightedPipeline).toBeCloseTo(800 * (2 / 3) + 300 * (2 / 3), 9);
		// (2 open × 1500 × 2/3) / 40 days = 50 per day.
		expect(p?.salesVelocityPerDay).toBeCloseTo(50, 12);
	});

	it('uses configured stage probabilities where given', () => {
		const r = analyzeFunnel({ records }, { stages: STAGES, stageProbabilities: { Lead: 0.1, Quote: 0.4 } });
		expect(r.pipeline?.weightedPipeline).toBeCloseTo(800 * 0.4 + 300 * 0.1, 9);
		expect(r.pipeline?.stageProbabilities[0].source).toBe('configured');
		expect(r.pipeline?.stageProbabilities[2].source).toBe('historical');
	});

	it('counts only stages with an entry date when asked', () => {
		const skipped: FunnelRecord[] = [
			{ stage: 'Negotiation', stageDates: { Lead: d(0), Negotiation: d(3) } },
			{ stage: 'Quote', stageDates: { Lead: d(0), Quote: d(1) } },
		];
		const r = analyzeFunnel({ records: skipped }, { stages: STAGES, reachedBy: 'entryDates' });
		expect(r.steps.map((s) => s.entered)).toEqual([2, 1, 1, 0]);
		// Of the 2 at Lead only one went through Quote; the one at Quote did not reach Negotiation.
		expect(r.steps.map((s) => s.converted)).toEqual([1, 0, 0, null]);
		const cumulative = analyzeFunnel({ records: skipped }, { stages: STAGES });
		expect(cumulative.steps.map((s) => s.entered)).toEqual([2, 2, 1, 0]);
	});
});

describe('records mode: properties against a direct count', () => {
	const recordArb = fc.record({
		stage: fc.integer({ min: 0, max: 3 }),
		dated: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
		status: fc.constantFrom('open', 'won', 'lost', 'Closed Won', ''),
		amount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
		created: fc.integer({ min: 0, max: 100 }),
		cycle: fc.integer({ min: 0, max: 100 }),
		source: fc.constantFrom('ads', 'referral', 'web'),
	});

	it('entered / converted follow the reached-stage rule, and the pipeline its formulas', () => {
		fc.assert(
			fc.property(fc.array(recordArb, { minLength: 1, maxLength: 30 }), fc.boolean(), (raw, byDates) => {
				const records: FunnelRecord[] = raw.map((r) => ({
					stage: STAGES[r.stage],
					status: r.status,
					amount: r.amount,
					createdAt: d(r.created),
					closedAt: d(r.created + r.cycle),
					stageDates: Object.fromEntries(STAGES.map((s, i) => [s, r.dated[i] ? d(r.created + i) : ''])),
					segment: r.source,
				}));
				const result = analyzeFunnel({ records }, { stages: STAGES, reachedBy: byDates ? 'entryDates' : 'currentStage', segmentField: 'source' });
				const reachedBy = (r: (typeof raw)[number], i: number) =>
					byDates ? r.dated[i] || r.stage === i : i <= Math.max(r.stage, r.dated.lastIndexOf(true));
				STAGES.forEach((_, i) => {
					expect(result.steps[i].entered).toBe(raw.filter((r) => reachedBy(r, i)).length);
					if (i < 3) expect(result.steps[i].converted).toBe(raw.filter((r) => reachedBy(r, i) && reachedBy(r, i + 1)).length);
				});
				const segmentTotal = (result.segments?.segments ?? []).reduce((s, seg) => s + seg.steps[0].entered, 0);
				expect(segmentTotal).toBe(result.steps[0].entered);

				const won = raw.filter((r) => r.status === 'won' || r.status === 'Closed Won');
				const lost = raw.filter((r) => r.status === 'lost');
				const p = result.pipeline;
				expect(p?.won).toBe(won.length);
				expect(p?.lost).toBe(lost.length);
				expect(p?.winRate ?? null).toBe(won.length + lost.length > 0 ? won.length / (won.length + lost.length) : null);
				const cycle = won.length > 0 ? won.reduce((s, r) => s + r.cycle, 0) / won.length : null;
				if (cycle === null) expect(p?.averageSalesCycleDays).toBeNull();
				else expect(p?.averageSalesCycleDays).toBeCloseTo(cycle, 9);
				const openValue = raw.filter((r) => r.status === 'open' || r.status === '').reduce((s, r) => s + (r.amount ?? 0), 0);
				expect(p?.openPipelineValue).toBe(openValue);
				expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
			}),
			{ numRuns: 400 },
		);
	});
});

describe('records mode: bad input', () => {
	it('lists every unknown stage name with its item', () => {
		const fn = () =>
			analyzeFunnel({ records: [{ stage: 'Lead' }, { stage: 'Qoute' }, { stage: 'Proposal' }, { stage: 'Qoute' }] }, { stages: STAGES });
		expect(fn).toThrow(InputError);
		expect(fn).toThrow(/Unknown stage names in "stage": "Qoute" \(item 1\), "Proposal" \(item 2\)\. Known stages: "Lead", "Quote"/);
	});

	it('skips ignored stages such as Closed Lost but still uses their entry dates', () => {
		const r = analyzeFunnel(
			{ records: [{ stage: 'Closed Lost', status: 'lost', stageDates: { Lead: d(0), Quote: d(2) } }, { stage: 'Lead' }] },
			{ stages: STAGES, ignoreStages: ['Closed Lost'] },
		);
		expect(r.steps.map((s) => s.entered)).toEqual([2, 1, 0, 0]);
	});

	it('reads won and lost from the stage when there is no status field (the CRM sheet has Won and Lost stages)', () => {
		const crm = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won'];
		const r = analyzeFunnel(
			{
				records: [
					{ stage: 'Won', amount: 900 },
					{ stage: 'Lost', amount: 400 },
					{ stage: 'Lost', amount: 100, stageDates: { New: d(0), MQL: d(1), SQL: d(3) } },
					{ stage: 'Proposal', amount: 500 },
				],
			},
			{ stages: crm },
		);
		expect(r.steps.map((s) => s.entered)).toEqual([4, 3, 3, 2, 1, 1]);
		expect(r.pipeline?.won).toBe(1);
		expect(r.pipeline?.lost).toBe(2);
		expect(r.pipeline?.winRate).toBe(1 / 3);
		expect(r.pipeline?.openPipelineValue).toBe(500);
	});

	it('names the row, field and value of a date that does not parse, and rejects negative amounts', () => {
		expect(() => analyzeFunnel({ records: [{ stage: 'Lead' }, { stage: 'Quote', stageDates: { Quote: '2024-13-01' } }] }, { stages: STAGES })).toThrow(
			/Item 1: field "stageDates.Quote" has "2024-13-01"/,
		);
		expect(() => analyzeFunnel({ records: [{ stage: 'Lead', status: 'open', amount: -5 }] }, { stages: STAGES })).toThrow(/Item 0: field "amount".*negative/);
		expect(() => analyzeFunnel({ records: [] }, { stages: STAGES })).toThrow(/empty/);
		expect(() => analyzeFunnel({ records: [{ stage: 'Lead' }] }, {})).toThrow(/stage order/);
	});

	it('gives null win rate and velocity with a warning when nothing closed', () => {
		const r = analyzeFunnel({ records: [{ stage: 'Lead', status: 'open', amount: 100 }] }, { stages: STAGES });
		expect(r.pipeline?.winRate).toBeNull();
		expect(r.pipeline?.salesVelocityPerDay).toBeNull();
		expect(r.warnings.join(' ')).toMatch(/No won or lost deals/);
	});
});
