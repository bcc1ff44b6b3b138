import fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import { evaluateStageCondition, parseStageConditions, type StageCondition } from '../../../nodes/StageMover';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const context = { nowMs: NOW, dateFormat: 'auto' as const, row: 3 };

describe('parseStageConditions', () => {
	it('reads the issue example and the other operators', () => {
		expect(parseStageConditions('score >= 70 and stage = Lead', 'Rule 1')).toEqual([
			{ field: 'score', operator: 'greaterThanOrEqual', value: 70 },
			{ field: 'stage', operator: 'equals', value: 'Lead' },
		]);
		expect(
			parseStageConditions(
				"`Company Size` > 50 AND email is not empty and notes is empty and source contains 'linked in' and lastActivityAt older than 30 days and repliedAt within 2 days and stage != Closed Won and x <= -1.5 and y < 3 and z == \"a and b\"",
				'r',
			),
		).toEqual([
			{ field: 'Company Size', operator: 'greaterThan', value: 50 },
			{ field: 'email', operator: 'isNotEmpty' },
			{ field: 'notes', operator: 'isEmpty' },
			{ field: 'source', operator: 'contains', value: 'linked in' },
			{ field: 'lastActivityAt', operator: 'olderThanDays', value: 30 },
			{ field: 'repliedAt', operator: 'withinDays', value: 2 },
			{ field: 'stage', operator: 'notEquals', value: 'Closed Won' },
			{ field: 'x', operator: 'lessThanOrEqual', value: -1.5 },
			{ field: 'y', operator: 'lessThan', value: 3 },
			{ field: 'z', operator: 'equals', value: 'a and b' },
		]);
		expect(parseStageConditions('   ', 'r')).toEqual([]);
	});

	it('explains what it could not read, naming the rule and the position', () => {
		expect(() => parseStageConditions('score >= high', 'Rule 2 ("Hot")')).toThrow(
			'Rule 2 ("Hot"): cannot read the condition "score >= high": "score" >= needs a number, not "high" at position 10 (near "high")',
		);
		expect(() => parseStageConditions('score ~ 3', 'Rule 1')).toThrow(/expected an operator .* at position 7 \(near "~ 3"\)/);
		expect(() => parseStageConditions('score > 3 or x = 1', 'Rule 1')).toThrow(InputError);
		expect(() => parseStageConditions('`open > 1', 'Rule 1')).toThrow(/not closed/);
		expect(() => parseStageConditions('a = ', 'Rule 1')).toThrow(/expected a value/);
		expect(() => parseStageConditions('a older than soon', 'Rule 1')).toThrow(/expected a number of days/);
	});

	it('cannot run code: a condition is data, never evaluated as JavaScript', () => {
		const [condition] = parseStageConditions('name = process.exit(1)', 'r');
		expect(condition).toEqual({ field: 'name', operator: 'equals', value: 'process.exit(1)' });
		expect(evaluateStageCondition(condition, { name: 'process.exit(1)' }, context)).toBe(true);
	});
});

describe('evaluateStageCondition', () => {
	const check = (text: string, record: Record<string, unknown>) => parseStageConditions(text, 'r').every((c) => evaluateStageCondition(c, record, context));

	it('compares numbers, text and blanks the way a sheet user means them', () => {
		expect(check('score >= 70', { score: 70 })).toBe(true);
		expect(check('score >= 70', { score: '71.5' })).toBe(true);
		expect(check('score >= 70', { score: 69.99 })).toBe(false);
		expect(check('score >= 70', { score: '' })).toBe(false);
		expect(check('score >= 70', { score: 'high' })).toBe(false);
		expect(check('score < 70', {})).toBe(false);
		expect(check('stage = mql', { stage: ' MQL ' })).toBe(true);
		expect(check('stage != mql', { stage: 'SQL' })).toBe(true);
		expect(check('count = 3', { count: '3.0' })).toBe(true);
		expect(check('source contains LinkedIn', { source: 'ads-linkedin-q1' })).toBe(true);
		expect(check('notes is empty', { notes: '   ' })).toBe(true);
		expect(check('notes is empty', { notes: 0 })).toBe(false);
		expect(check('amount is not empty', { amount: 0 })).toBe(true);
	});

	it('counts days from "now" for older than / within, and names the item and field of a bad date', () => {
		const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
		expect(check('lastActivityAt older than 30 days', { lastActivityAt: daysAgo(30.5) })).toBe(true);
		expect(check('lastActivityAt older than 30 days', { lastActivityAt: daysAgo(29) })).toBe(false);
		expect(check('lastActivityAt older than 30 days', { lastActivityAt: '' })).toBe(false);
		expect(check('repliedAt within 2 days', { repliedAt: daysAgo(1) })).toBe(true);
		expect(check('repliedAt within 2 days', { repliedAt: daysAgo(3) })).toBe(false);
		expect(() => check('lastActivityAt older than 3 days', { lastActivityAt: 'last tuesday' })).toThrow(
			/Item 3: field "lastActivityAt" has "last tuesday"/,
		);
	});

	// Reference semantics written out separately for random records.
	const FIELD = 'f';
	const reference = (c: StageCondition, cell: unknown): boolean => {
		const blank = cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');
		const num = typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() !== '' && !isNaN(Number(cell)) ? Number(cell) : NaN;
		const v = c.value as number;
		switch (c.operator) {
			case 'greaterThan':
				return !isNaN(num) && num > v;
			case 'greaterThanOrEqual':
				return !isNaN(num) && num >= v;
			case 'lessThan':
				return !isNaN(num) && num < v;
			case 'lessThanOrEqual':
				return !isNaN(num) && num <= v;
			case 'equals':
				return typeof c.value === 'number' ? num === v : !blank && String(cell).trim().toLowerCase() === String(c.value).toLowerCase();
			case 'notEquals':
				return !(typeof c.value === 'number' ? num === v : !blank && String(cell).trim().toLowerCase() === String(c.value).toLowerCase());
			case 'isEmpty':
				return blank;
			case 'isNotEmpty':
				return !blank;
			default:
				throw new Error('not generated');
		}
	};
	const conditionArb: fc.Arbitrary<StageCondition> = fc.oneof(
		fc.record({
			field: fc.constant(FIELD),
			operator: fc.constantFrom('greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual', 'equals', 'notEquals') as fc.Arbitrary<StageCondition['operator']>,
			value: fc.integer({ min: -5, max: 5 }),
		}),
		fc.record({
			field: fc.constant(FIELD),
			operator: fc.constantFrom('equals', 'notEquals') as fc.Arbitrary<StageCondition['operator']>,
			value: fc.constantFrom('MQL', 'sql', 'lead'),
		}),
		fc.record({ field: fc.constant(FIELD), operator: fc.constantFrom('isEmpty', 'isNotEmpty') as fc.Arbitrary<StageCondition['operator']> }),
	);
	const cellArb = fc.oneof(
		fc.integer({ min: -6, max: 6 }),
		fc.integer({ min: -6, max: 6 }).map((n) => ` ${n} `),
		fc.constantFrom('', '  ', null, undefined, 'mql', 'SQL ', 'Lead', 'x7'),
	);
	const render = (c: StageCondition): string => {
		const symbol: Record<string, string> = {
			greaterThan: '>',
			greaterThanOrEqual: '>=',
			lessThan: '<',
			lessThanOrEqual: '<=',
			equals: '=',
			notEquals: '!=',
			isEmpty: 'is empty',
			isNotEmpty: 'is not empty',
		};
		return `${c.field} ${symbol[c.operator]}${c.value === undefined ? '' : ` ${c.value}`}`;
	};

	it('matches the reference semantics on random cells, and text → parse gives the same conditions', () => {
		fc.assert(
			fc.property(fc.array(conditionArb, { minLength: 1, maxLength: 4 }), cellArb, (conditions, cell) => {
				const text = conditions.map(render).join(' and ');
				const parsed = parseStageConditions(text, 'r');
				expect(parsed).toEqual(conditions.map((c) => (c.value === undefined ? { field: c.field, operator: c.operator } : c)));
				const record = { [FIELD]: cell };
				expect(parsed.every((c) => evaluateStageCondition(c, record, context))).toBe(conditions.every((c) => reference(c, cell)));
			}),
			{ numRuns: 2000 },
		);
	});
});
