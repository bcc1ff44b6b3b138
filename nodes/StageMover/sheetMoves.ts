/**
 * Carrying the Stage Mover's decisions out on the CRM spreadsheet, in three API calls however
 * many items: 1 values.batchGet (records tab + StageHistory), 1 values.append (history rows),
 * 1 values.batchUpdate (only the stage and stageChangedAt cells that change).
 *
 * The history is appended BEFORE the stage cells are written: if the run dies in between, a
 * re-run of the same execution finds the history row and writes only the stage (see board.ts),
 * so no move is lost and none is logged twice. The other order could leave a move with no
 * audit row that no re-run can recognise.
 *
 * No n8n imports: all I/O goes through the SheetsTransport passed in.
 */
import { InputError } from '../shared/errors';
import { quoteTab } from '../shared/sheets/a1';
import { planCellWrites, toSheetValue, toSnapshot, type CellChange, type CellValue, type TableSnapshot, type ValueInputOption } from '../shared/sheets/crm';
import type { SheetsTransport } from '../shared/sheets/transport';
import type { ItemDecision } from './board';
import { historyValues, readHistory, type ExecutionHistory, type HistoryRow } from './history';
import type { StageRecord } from './plan';

export interface SheetSettings {
	spreadsheetId: string;
	recordsTab: string;
	historyTab: string;
	keyField: string;
	stageField: string;
	changedAtField: string;
	valueInputOption: ValueInputOption;
	executionId: string;
}

export interface SheetState {
	records: TableSnapshot;
	/** By key, for the board. */
	byKey: Map<string, StageRecord>;
	history?: { headers: string[]; moves: ExecutionHistory };
}

/** The one read: records tab and (when moving) the history tab, in a single batchGet. */
export async function readSheetState(transport: SheetsTransport, settings: SheetSettings, withHistory: boolean): Promise<SheetState> {
	const tabs = withHistory ? [settings.recordsTab, settings.historyTab] : [settings.recordsTab];
	let response;
	try {
		response = await transport.batchGet(settings.spreadsheetId, tabs.map(quoteTab));
	} catch (error) {
		throw missingTabError(error, tabs) ?? error;
	}
	const values = (response.valueRanges ?? []).map((range) => (range.values ?? []) as CellValue[][]);
	const records = toSnapshot({ tab: settings.recordsTab, keyField: settings.keyField }, values[0] ?? []);
	for (const field of withHistory ? [settings.stageField, settings.changedAtField] : [settings.stageField]) {
		if (!records.headers.includes(field)) {
			throw new InputError(
				`Tab "${settings.recordsTab}" has no column "${field}" in its header row ${records.headers.length ? records.headerRow : 1} (columns: ${records.headers.join(', ')})`,
				{ field, value: field },
			);
		}
	}
	const byKey = new Map<string, StageRecord>();
	for (const [key, { record }] of records.byKey) byKey.set(key, record);
	const history = withHistory ? readHistory(settings.historyTab, values[1] ?? [], settings.executionId, settings.recordsTab) : undefined;
	return { records, byKey, history };
}

export interface WriteResult {
	/** Items whose write was refused at planning time (compare-and-set failed): reported as conflicts. */
	conflicts: Set<number>;
	cellsWritten: number;
	historyRows: number;
}

/**
 * Writes the moved items: history rows first, then the stage cells. `decisions[i]` belongs to
 * item `i` (undefined for items that failed). Replays write what they still need.
 */
export async function writeMoves(
	transport: SheetsTransport,
	settings: SheetSettings,
	state: SheetState,
	decisions: (ItemDecision | undefined)[],
	changedAt: string,
): Promise<WriteResult> {
	const changes: CellChange[] = [];
	decisions.forEach((decision, item) => {
		if (decision?.move.outcome !== 'moved' || decision.replay === 'recorded') return;
		changes.push({
			tab: settings.recordsTab,
			key: decision.move.key,
			set: {
				[settings.stageField]: toSheetValue(decision.move.to, settings.valueInputOption, { row: item, field: settings.stageField }),
				[settings.changedAtField]: toSheetValue(changedAt, settings.valueInputOption, { row: item, field: settings.changedAtField }),
			},
			expected: { [settings.stageField]: (decision.stageBefore ?? '') as CellValue },
			ref: item,
		});
	});
	const plan = planCellWrites([state.records], changes);
	const conflicts = new Set<number>(plan.conflicts.map((c) => c.change.ref as number));
	for (const change of plan.notFound) conflicts.add(change.ref as number);

	const rows: HistoryRow[] = [];
	for (const change of plan.applied) {
		const decision = decisions[change.ref as number] as ItemDecision;
		if (decision.replay === 'historyOnly' || decision.move.outcome !== 'moved') continue;
		const { key, from, to, reason } = decision.move;
		rows.push({ time: changedAt, tab: settings.recordsTab, key, from: from ?? '', to, reason, executionId: settings.executionId });
	}
	if (rows.length > 0 && state.history) {
		const values = historyValues(state.history.headers, rows).map((row) =>
			row.map((cell, i) => toSheetValue(cell, settings.valueInputOption, { field: state.history?.headers[i] })),
		);
		await transport.append(settings.spreadsheetId, `${quoteTab(settings.historyTab)}!A1`, values, settings.valueInputOption);
	}
	await transport.batchUpdate(settings.spreadsheetId, plan.data, settings.valueInputOption);
	const cellsWritten = plan.data.reduce((sum, range) => sum + (range.values?.[0]?.length ?? 0), 0);
	return { conflicts, cellsWritten, historyRows: rows.length };
}

/** Google answers a missing tab with 400 "Unable to parse range: 'Tab'": name the tab instead. */
function missingTabError(error: unknown, tabs: string[]): InputError | undefined {
	const e = error as { message?: unknown; description?: unknown };
	const text = `${String(e?.message ?? '')} ${String(e?.description ?? '')}`;
	if (!/Unable to parse range/i.test(text)) return undefined;
	const tab = tabs.find((t) => text.includes(quoteTab(t))) ?? tabs.find((t) => text.includes(t));
	return tab === undefined ? undefined : new InputError(`Tab "${tab}" not found in the spreadsheet`, { field: 'tab', value: tab });
}
