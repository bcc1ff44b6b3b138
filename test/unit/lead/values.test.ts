import * as fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import { sortLevels } from '../../../nodes/LeadScorer/design';
import { formatValue, isMissing, readNumber, readOutcome } from '../../../nodes/LeadScorer/values';

describe('reading cells', () => {
	test('numbers from numbers, numeric text with thousands commas, booleans', () => {
		expect(readNumber(5, 0, 'x')).toBe(5);
		expect(readNumber(' 1,234.5 ', 0, 'x')).toBe(1234.5);
		expect(readNumber('-2e3', 0, 'x')).toBe(-2000);
		expect(readNumber(true, 0, 'x')).toBe(1);
		for (const bad of ['12abc', '1,2', 'NaN', 'Infinity', '', {}, [], null]) expect(() => readNumber(bad, 4, 'visits')).toThrow(InputError);
	});

	test('any finite number written as text reads back as itself (property)', () => {
		fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => expect(readNumber(String(x), 0, 'x')).toBe(x === 0 ? 0 : x)));
	});

	test('outcomes: defaults, configured values, empty = open lead', () => {
		expect(['1', 'TRUE', 'Yes', 'won', 1, true].map((v) => readOutcome(v, 0, 'o'))).toEqual([1, 1, 1, 1, 1, 1]);
		expect(['0', 'false', 'NO', 'Lost', 0, false].map((v) => readOutcome(v, 0, 'o'))).toEqual([0, 0, 0, 0, 0, 0]);
		expect(readOutcome('Closed Won', 0, 'o', { won: ['closed won'] })).toBe(1);
		expect(readOutcome('  ', 0, 'o')).toBeNull();
		expect(() => readOutcome(2, 3, 'stage')).toThrow(/Item 3: outcome field "stage" must be won or lost/);
		expect(isMissing(NaN)).toBe(false);
	});

	test('levels sort like R factors: numerically when all are numbers, else by code point', () => {
		expect(sortLevels(['10', '9', '1'])).toEqual(['1', '9', '10']);
		expect(sortLevels(['referral', 'ad', 'Webinar'])).toEqual(['Webinar', 'ad', 'referral']);
	});
});

describe('formatValue', () => {
	test('same text as String(Math.round(x·100) / 100) for fractions, String(x) for integers (property)', () => {
		fc.assert(
			fc.property(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e12, max: 1e12, noNaN: true })), (x) => {
				expect(formatValue(x)).toBe(Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100));
			}),
			{ numRuns: 2000 },
		);
		expect([0.07, 1.5, -0.004, 12.345, -3.1].map(formatValue)).toEqual(['0.07', '1.5', '0', '12.35', '-3.1']);
	});
});
