import fc from 'fast-check';
import { columnIndex, columnLetters, parseA1, quoteTab, rowRange } from '../../../nodes/shared/sheets/a1';
import { parseRange } from '../../servers/sheetsA1';

/** Brute force: the column names in order, A..Z, AA..ZZ, AAA.. by counting like an odometer. */
function bruteForceColumns(count: number): string[] {
	const names: string[] = [];
	const digits: number[] = [0];
	for (let i = 0; i < count; i++) {
		names.push(digits.map((d) => String.fromCharCode(65 + d)).join(''));
		let k = digits.length - 1;
		while (k >= 0 && digits[k] === 25) digits[k--] = 0;
		if (k < 0) digits.unshift(0);
		else digits[k]++;
	}
	return names;
}

describe('A1 notation (package side)', () => {
	test('column letters match counting A..Z, AA.. for the first 20,000 columns, and invert', () => {
		const names = bruteForceColumns(20_000);
		expect(names.map((_, i) => columnLetters(i))).toEqual(names);
		expect(names.map((name) => columnIndex(name))).toEqual(names.map((_, i) => i));
		expect(columnLetters(25)).toBe('Z');
		expect(columnLetters(26)).toBe('AA');
		expect(columnLetters(701)).toBe('ZZ');
		expect(columnLetters(702)).toBe('AAA');
	});

	test('bad column input throws', () => {
		expect(() => columnLetters(-1)).toThrow(RangeError);
		expect(() => columnLetters(1.5)).toThrow(RangeError);
		expect(() => columnIndex('A1')).toThrow(RangeError);
	});

	test('quoted tab names with spaces and quotes round-trip through the local server parser', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\u0000')),
				fc.nat(500),
				fc.nat(300),
				fc.nat(5),
				(tab, row, column, width) => {
					const range = rowRange(tab, row + 1, column, column + width);
					const ours = parseA1(range);
					const theirs = parseRange(range);
					expect(ours).toEqual({ tab, startRow: row + 1, startColumn: column, endRow: row + 1, endColumn: column + width });
					expect(theirs).toMatchObject({ sheet: tab, startRow: row, startCol: column, endRow: row, endCol: column + width });
				},
			),
		);
	});

	test('parses ranges as the API returns them', () => {
		expect(parseA1("'Q1 Leads'!A6:D7")).toEqual({ tab: 'Q1 Leads', startColumn: 0, startRow: 6, endColumn: 3, endRow: 7 });
		expect(parseA1("'It''s'!A:A")).toEqual({ tab: "It's", startColumn: 0, startRow: undefined, endColumn: 0, endRow: undefined });
		expect(parseA1('Sheet1!B5')).toEqual({ tab: 'Sheet1', startColumn: 1, startRow: 5, endColumn: 1, endRow: 5 });
		expect(parseA1('Leads')).toEqual({ tab: 'Leads' });
		expect(quoteTab("It's")).toBe("'It''s'");
		expect(() => parseA1("'unterminated")).toThrow(/Unable to parse range/);
		expect(() => parseA1('S!A1:B2:C3')).toThrow(/Unable to parse range/);
	});
});
