/**
 * The StageHistory tab: an append-only audit log, one row per stage move
 * (time, tab, key, from, to, reason, executionId — nodes/shared/sheets/schema.ts).
 * It is also how a re-run of the same n8n execution knows which moves it already made.
 */
import { InputError } from '../shared/errors';

export const HISTORY_FIELDS = ['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type HistoryRow = Record<HistoryField, string>;

/** A move already recorded for this execution: replayed instead of made again. */
export interface RecordedMove {
	from: string;
	to: string;
	reason: string;
	/** When it was logged: also the stageChangedAt the move wrote, which tells whether that write landed. */
	time: string;
	/** Set once an item of this run has been matched to it. */
	used: boolean;
}

/** Moves recorded by one execution for one tab, by record key, in the order they were logged. */
export type ExecutionHistory = Map<string, RecordedMove[]>;

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value).trim());

/**
 * Reads the history tab's values (row 1 = header). Checks the header names the columns the
 * Stage Mover writes, so a renamed column is an error, not a silently broken audit log.
 */
export function readHistory(
	tab: string,
	values: unknown[][],
	executionId: string,
	recordsTab: string,
): { headers: string[]; moves: ExecutionHistory } {
	const headers = (values[0] ?? []).map(text);
	if (headers.every((h) => h === '')) {
		throw new InputError(`Tab "${tab}" has no header row: row 1 is empty (expected ${HISTORY_FIELDS.join(', ')})`, { field: 'historyTab', value: tab });
	}
	const missing = HISTORY_FIELDS.filter((field) => !headers.includes(field));
	if (missing.length > 0) {
		throw new InputError(`Tab "${tab}" has no column ${missing.map((m) => `"${m}"`).join(', ')} in its header row 1 (columns: ${headers.join(', ')})`, {
			field: missing[0],
			value: tab,
		});
	}
	const column = (field: HistoryField) => headers.indexOf(field);
	const moves: ExecutionHistory = new Map();
	const [execCol, tabCol, keyCol] = [column('executionId'), column('tab'), column('key')];
	for (let r = 1; r < values.length; r++) {
		const row = values[r] ?? [];
		if (text(row[execCol]) !== executionId || text(row[tabCol]) !== recordsTab) continue;
		const key = text(row[keyCol]);
		const list = moves.get(key) ?? [];
		list.push({ from: text(row[column('from')]), to: text(row[column('to')]), reason: text(row[column('reason')]), time: text(row[column('time')]), used: false });
		moves.set(key, list);
	}
	return { headers, moves };
}

/** History rows in the tab's own column order (a person may have reordered or added columns). */
export function historyValues(headers: string[], rows: HistoryRow[]): string[][] {
	return rows.map((row) => headers.map((h) => ((HISTORY_FIELDS as readonly string[]).includes(h) ? row[h as HistoryField] : '')));
}
