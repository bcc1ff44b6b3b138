/** Planning "Set Up CRM Spreadsheet": which standard tabs to add and which header rows to write. Pure. */
import type { sheets_v4 } from '@googleapis/sheets';
import { columnLetters, quoteTab } from '../shared/sheets/a1';
import type { CellValue } from '../shared/sheets/crm';
import { STANDARD_TABS } from '../shared/sheets/schema';

export interface SetUpPlan {
	addTabs: string[];
	/** Header rows to write: new tabs and existing tabs whose row 1 is empty. */
	headerWrites: sheets_v4.Schema$ValueRange[];
	alreadySetUp: string[];
	/** Existing tabs with headers that lack standard columns (never changed, only reported). */
	missingColumns: Record<string, string[]>;
}

/**
 * @param existingTabs titles of the spreadsheet's tabs
 * @param headerRows row 1 of each wanted tab that exists (missing key = tab absent)
 */
export function planSetUp(wanted: string[], existingTabs: string[], headerRows: Record<string, CellValue[]>): SetUpPlan {
	const plan: SetUpPlan = { addTabs: [], headerWrites: [], alreadySetUp: [], missingColumns: {} };
	for (const standard of STANDARD_TABS.filter((t) => wanted.includes(t.tab))) {
		const { tab, headers } = standard;
		const write = () =>
			plan.headerWrites.push({
				range: `${quoteTab(tab)}!A1:${columnLetters(headers.length - 1)}1`,
				majorDimension: 'ROWS',
				values: [headers],
			});
		if (!existingTabs.includes(tab)) {
			plan.addTabs.push(tab);
			write();
			continue;
		}
		const present = (headerRows[tab] ?? []).map((cell) => String(cell ?? '').trim()).filter((h) => h !== '');
		if (present.length === 0) {
			write();
			continue;
		}
		const missing = headers.filter((h) => !present.includes(h));
		if (missing.length > 0) plan.missingColumns[tab] = missing;
		plan.alreadySetUp.push(tab);
	}
	return plan;
}
