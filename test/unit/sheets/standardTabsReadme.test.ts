/** The README's table of standard tabs is what Set Up CRM Spreadsheet creates (no drift). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STANDARD_TABS } from '../../../nodes/shared/sheets/schema';

test('README lists every standard tab with its key and its columns in order', () => {
	const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
	const table = readme.slice(readme.indexOf('| tab | key | columns |', readme.indexOf('### Standard tabs')));
	const rows = table
		.slice(0, table.indexOf('\n\n'))
		.split('\n')
		.slice(2) // header and --- lines
		.map((line) => line.split('|').map((cell) => cell.trim()).slice(1, 4));
	expect(rows.map(([tab]) => tab)).toEqual(STANDARD_TABS.map((t) => t.tab));
	for (const [tab, key, columns] of rows) {
		const standard = STANDARD_TABS.find((t) => t.tab === tab)!;
		expect(columns.split(', ')).toEqual(standard.headers);
		// Keyless tabs read "(log)" (append-only logs) or "(none)".
		if (standard.keyField) expect(key).toBe(standard.keyField);
		else expect(['(log)', '(none)']).toContain(key);
	}
});
