import fc from 'fast-check';
import { DEFAULT_SALES_PIPELINE, flagStale } from '../../../nodes/StageMover';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const DAY = 86_400_000;

describe('flagStale (Pipedrive rotting)', () => {
	it('uses the later of last activity and stage change, per stage limits', () => {
		const checks = flagStale(
			[
				{ id: 1, stage: 'New', lastActivityAt: '2024-06-01', stageChangedAt: '2024-06-10T00:00:00Z' },
				{ id: 2, stage: 'New', lastActivityAt: '2024-06-01' },
				{ id: 3, stage: 'Won', lastActivityAt: '2020-01-01' },
				{ id: 4, stage: 'SQL' },
				{ id: 5, stage: 'Parked' },
				{ id: 6, stage: 'Proposal', lastActivityAt: 45400 },
			],
			DEFAULT_SALES_PIPELINE,
			{ now: NOW },
		);
		expect(checks).toEqual([
			// 5.5 days since 2024-06-10: under New's 7 days.
			{ outcome: 'fresh', key: '1', stage: 'New', stale: false, daysInactive: 5, staleAfterDays: 7, lastActivityAt: '2024-06-10T00:00:00.000Z' },
			{ outcome: 'stale', key: '2', stage: 'New', stale: true, daysInactive: 14, staleAfterDays: 7, lastActivityAt: '2024-06-01T00:00:00.000Z' },
			{ outcome: 'fresh', key: '3', stage: 'Won', stale: false, daysInactive: 1627, staleAfterDays: null, lastActivityAt: '2020-01-01T00:00:00.000Z' },
			{
				outcome: 'unknown',
				key: '4',
				stage: 'SQL',
				stale: null,
				daysInactive: null,
				staleAfterDays: 14,
				lastActivityAt: null,
				warning: 'No "lastActivityAt" or "stageChangedAt" date: cannot tell how long it has been inactive',
			},
			{
				outcome: 'rejected',
				key: '5',
				stage: null,
				stale: null,
				daysInactive: null,
				staleAfterDays: null,
				lastActivityAt: null,
				warning: 'The stage "Parked" is not a stage of the pipeline (New, MQL, SQL, Proposal, Negotiation, Won, Lost)',
			},
			// Sheets serial 45400 = 2024-04-18.
			{ outcome: 'stale', key: '6', stage: 'Proposal', stale: true, daysInactive: 58, staleAfterDays: 21, lastActivityAt: '2024-04-18T00:00:00.000Z' },
		]);
	});

	it('names the item and field of an unreadable date', () => {
		expect(() => flagStale([{ id: 1, stage: 'New' }, { id: 2, stage: 'New', lastActivityAt: 'soon' }], DEFAULT_SALES_PIPELINE, { now: NOW })).toThrow(
			/Item 1: field "lastActivityAt" has "soon"/,
		);
	});

	it('counts whole days like stepping a calendar one day at a time', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 400 * DAY }), fc.integer({ min: 0, max: 400 * DAY }), fc.integer({ min: 0, max: 60 }), (ago1, ago2, limit) => {
				const a = NOW - ago1;
				const b = NOW - ago2;
				const pipeline = { ...DEFAULT_SALES_PIPELINE, stages: DEFAULT_SALES_PIPELINE.stages.map((s) => (s.name === 'MQL' ? { ...s, staleAfterDays: limit } : s)) };
				const [check] = flagStale(
					[{ id: 'x', stage: 'MQL', lastActivityAt: new Date(a).toISOString(), stageChangedAt: new Date(b).toISOString() }],
					pipeline,
					{ now: NOW },
				);
				// Reference: walk from the latest date forward a day at a time while still not past now.
				let days = 0;
				for (let t = Math.max(a, b) + DAY; t <= NOW; t += DAY) days++;
				expect(check.daysInactive).toBe(days);
				expect(check.stale).toBe(days >= limit);
			}),
			{ numRuns: 500 },
		);
	});
});
