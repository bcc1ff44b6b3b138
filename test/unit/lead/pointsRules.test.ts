import * as fc from 'fast-check';
import { DEFAULT_GRID, checkGridThresholds, fitEngagementCell, scorePointsRules, type PointsRule } from '../../../nodes/LeadScorer';

const DAY = 86_400_000;
const now = Date.UTC(2024, 5, 1);

describe('points rules', () => {
	const rules: PointsRule[] = [
		{ name: 'visited pricing', field: 'pagesVisited', operator: 'contains', value: 'pricing', points: 20, group: 'engagement' },
		{ field: 'country', operator: 'inList', value: 'DE, AT, CH', points: 10, group: 'fit' },
		{ field: 'employees', operator: 'between', value: 10, valueTo: 200, points: 15, group: 'fit' },
		{ field: 'email', operator: 'contains', value: '@gmail.', points: -10, group: 'fit' },
		{ field: 'phone', operator: 'exists', points: 5 },
		{ field: 'lastOpenedAt', operator: 'greaterThan', value: '2024-05-01', type: 'date', points: 8, group: 'engagement' },
		{ field: 'source', operator: 'equals', value: 'Referral', points: 12 },
		{ field: 'inquiries', operator: 'greaterThan', value: 2, points: 7, group: 'engagement' },
	];
	const lead = {
		pagesVisited: ['home', 'Pricing'],
		country: 'de',
		employees: '45',
		email: 'ann@acme.io',
		phone: '+49 30 1234',
		lastOpenedAt: '2024-05-20',
		source: 'referral ',
		inquiries: 5,
	};

	test('each operator on strings, numbers, dates and lists', () => {
		const [result] = scorePointsRules([lead], { rules, now });
		expect(result.matchedRules).toEqual([
			'+20: visited pricing',
			'+10: country inList "DE, AT, CH"',
			'+15: employees between 10..200',
			'+5: phone exists',
			'+8: lastOpenedAt greaterThan "2024-05-01"',
			'+12: source equals "Referral"',
			'+7: inquiries greaterThan 2',
		]);
		expect(result.points).toBe(20 + 10 + 15 + 5 + 8 + 12 + 7);
		expect(result.groupPoints).toEqual({ engagement: 35, fit: 25 });
		expect(result.lifecycleStage).toBe('MQL'); // 77 points: MQL from 50, SQL from 80
	});

	test('group caps, overall cap and stage thresholds', () => {
		const [result] = scorePointsRules([lead], {
			rules,
			now,
			groupCaps: [{ group: 'engagement', max: 25 }],
			cap: { max: 60 },
			stages: [
				{ stage: 'cold', minPoints: 0 },
				{ stage: 'warm', minPoints: 30 },
				{ stage: 'hot', minPoints: 70 },
			],
		});
		expect(result.groupPoints.engagement).toBe(25);
		// 25 (engagement) + 25 (fit) + 5 + 12 = 67, capped at 60.
		expect(result.points).toBe(60);
		expect(result.lifecycleStage).toBe('warm');
	});

	test('half-life decay: points halve every half-life of the activity date', () => {
		const decayRules: PointsRule[] = [{ field: 'opened', operator: 'exists', points: 16, decayDateField: 'openedAt' }];
		const rows = [0, 7, 14, 21].map((days) => ({ opened: 'yes', openedAt: new Date(now - days * DAY).toISOString() }));
		const results = scorePointsRules(rows, { rules: decayRules, now, decay: { halfLifeDays: 7 } });
		expect(results.map((r) => r.points)).toEqual([16, 8, 4, 2]);
		expect(results[1].matchedRules).toEqual(['+8: opened exists (decayed from 16)']);
	});

	test('negative rules, missing cells and notEquals/notContains', () => {
		const [result] = scorePointsRules([{ email: 'bob@gmail.com', role: 'student' }], {
			rules: [
				...rules,
				{ field: 'role', operator: 'notEquals', value: 'student', points: 5 },
				{ field: 'tags', operator: 'notContains', value: 'spam', points: 3 },
			],
			now,
		});
		expect(result.matchedRules).toEqual(['-10: email contains "@gmail."', '+3: tags notContains "spam"']);
		expect(result.points).toBe(-7);
		expect(result.lifecycleStage).toBe('subscriber');
	});

	test('total equals an independent sum over matched rules, caps always hold (property)', () => {
		const numericRules = fc.array(
			fc.record({
				threshold: fc.integer({ min: 0, max: 100 }),
				points: fc.integer({ min: -30, max: 30 }),
				group: fc.constantFrom('a', 'b', ''),
				operator: fc.constantFrom('greaterThan' as const, 'lessThan' as const),
			}),
			{ minLength: 1, maxLength: 8 },
		);
		fc.assert(
			fc.property(numericRules, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 80 }), (spec, x, cap) => {
				const [result] = scorePointsRules([{ x }], {
					rules: spec.map((s) => ({ field: 'x', operator: s.operator, value: s.threshold, points: s.points, group: s.group || undefined })),
					groupCaps: [{ group: 'a', max: cap, min: -cap }],
					now,
				});
				const groups: Record<string, number> = { a: 0, b: 0, '': 0 };
				for (const s of spec) if (s.operator === 'greaterThan' ? x > s.threshold : x < s.threshold) groups[s.group] += s.points;
				const expected = Math.min(cap, Math.max(-cap, groups.a)) + groups.b + groups[''];
				expect(result.points).toBe(expected);
				if (result.groupPoints.a !== undefined) expect(Math.abs(result.groupPoints.a)).toBeLessThanOrEqual(cap);
			}),
		);
	});

	test('bad rules and bad cells are clear errors', () => {
		expect(() => scorePointsRules([lead], { rules: [{ field: 'x', operator: 'between', value: 1, points: 1 }] })).toThrow(/Rule 1: the value to compare with is empty/);
		expect(() => scorePointsRules([lead], { rules: [{ field: 'x', operator: 'like' as never, value: 1, points: 1 }] })).toThrow(/Rule 1: operator "like" is unknown/);
		expect(() => scorePointsRules([lead], { rules: [{ field: 'x', operator: 'exists', points: NaN }] })).toThrow(/Rule 1: points must be a number, got NaN/);
		expect(() => scorePointsRules([{ employees: 3 }, { employees: 'many' }], { rules: [{ field: 'employees', operator: 'greaterThan', value: 10, type: 'number', points: 1 }] })).toThrow(
			/Item 1: field "employees" must be a finite number, got "many"/,
		);
		expect(() => scorePointsRules([lead], { rules, decay: { halfLifeDays: 0 } })).toThrow(/half-life must be a number of days > 0, got 0/);
	});
});

describe('fit × engagement grid', () => {
	test('A1–C3 by thresholds, boundaries inclusive', () => {
		const cell = (fit: number, engagement: number) => fitEngagementCell(fit, engagement).grid;
		expect([cell(70, 70), cell(69.9, 70), cell(40, 39), cell(0, 100), cell(100, 0)]).toEqual(['A1', 'B1', 'B3', 'C1', 'A3']);
		expect(fitEngagementCell('85', '55')).toEqual({ fitGrade: 'A', engagementLevel: 2, grid: 'A2' });
	});

	test('matches a brute-force lookup on random scores (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (fit, engagement) => {
				const letters = ['C', 'B', 'A'];
				const letter = letters[[0, DEFAULT_GRID.fitB, DEFAULT_GRID.fitA].filter((t) => fit >= t).length - 1];
				const digit = 4 - [0, DEFAULT_GRID.engagement2, DEFAULT_GRID.engagement1].filter((t) => engagement >= t).length;
				expect(fitEngagementCell(fit, engagement).grid).toBe(`${letter}${digit}`);
			}),
		);
	});

	test('bad scores and thresholds', () => {
		expect(() => fitEngagementCell('high', 3, DEFAULT_GRID, { row: 4, fitField: 'fit', engagementField: 'eng' })).toThrow(/Item 4: field "fit" must be a finite number, got "high"/);
		expect(() => checkGridThresholds({ ...DEFAULT_GRID, fitB: 90 })).toThrow(/Fit threshold for B \(90\) is above the one for A \(70\)/);
	});
});
