/**
 * The read → decide → write cycle on the local Sheets API server (no n8n): random sheets and
 * items, checking that a re-run of the same execution never moves or logs anything twice, and
 * that a run whose stage write was lost is completed by its re-run exactly as if it had not failed.
 */
import fc from 'fast-check';
import { StageBoard } from '../../../nodes/StageMover/board';
import { DEFAULT_SALES_PIPELINE, defineSalesPipeline } from '../../../nodes/StageMover';
import { readSheetState, writeMoves, type SheetSettings } from '../../../nodes/StageMover/sheetMoves';
import { createSheetsTransport, type SheetsRequest } from '../../../nodes/shared/sheets/transport';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type CellValue, type SheetsServer } from '../../servers/sheetsServer';

let server: SheetsServer;
beforeAll(async () => {
	server = await startSheetsServer();
});
afterAll(async () => {
	await server.close();
});

const HEADER = ['id', 'stage', 'amount', 'stageChangedAt'];
const STAGES = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won', 'Lost'];

/** A transport over fetch; `failWrites` makes batchUpdate fail for good (a lost stage write). */
function transport(failUpdate: boolean) {
	const send = async (request: SheetsRequest) => {
		if (failUpdate && request.path.endsWith('values:batchUpdate')) throw Object.assign(new Error('lost'), { response: { status: 400 } });
		const res = await fetch(`${server.url}${request.path}`, {
			method: request.method,
			headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
			body: request.body ? JSON.stringify(request.body) : undefined,
		});
		const data = await res.json();
		if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { status: res.status, data } });
		return data;
	};
	return createSheetsTransport(send, { toError: (failure) => new Error(`failed ${failure.status}`), wait: async () => undefined });
}

interface Item {
	id: string;
	stage?: string;
	target: string;
	reason: string;
}

/** One Move to Stage execution, as the node runs it. */
async function cycle(spreadsheetId: string, executionId: string, items: Item[], failUpdate = false) {
	const pipeline = defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, allowSkipping: true, allowMovingBack: true });
	const settings: SheetSettings = {
		spreadsheetId,
		recordsTab: 'Deals',
		historyTab: 'StageHistory',
		keyField: 'id',
		stageField: 'stage',
		changedAtField: 'stageChangedAt',
		valueInputOption: 'RAW',
		executionId,
	};
	const t = transport(failUpdate);
	const state = await readSheetState(t, settings, true);
	const board = new StageBoard({ pipeline, keyField: 'id', stageField: 'stage', changedAtField: 'stageChangedAt', nowMs: 0, dateFormat: 'auto', sheet: state.byKey, history: state.history?.moves });
	const decisions = items.map(({ target, reason, ...json }, i) => board.decide(json, i, target, reason));
	const written = await writeMoves(t, settings, state, decisions, '2024-06-15T00:00:00.000Z').catch((error: Error) => error);
	return { decisions, written, apiCalls: t.apiCalls };
}

const sheetArb = fc.array(fc.record({ stage: fc.constantFrom(...STAGES, ''), amount: fc.constantFrom('', 100) }), { minLength: 1, maxLength: 8 });
const itemsArb = (size: number) =>
	fc.array(
		fc.record({
			index: fc.integer({ min: 0, max: size }),
			target: fc.constantFrom(...STAGES, 'Bogus'),
			reason: fc.constantFrom('', 'why'),
			carriesStage: fc.boolean(),
		}),
		{ maxLength: 10 },
	);

function setUp(rows: { stage: string; amount: string | number }[]) {
	const values: CellValue[][] = [HEADER, ...rows.map((r, i) => [`d${i}`, r.stage, r.amount, ''])];
	return server.createSpreadsheet({ Deals: values, StageHistory: [['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId']] });
}

function toItems(rows: { stage: string }[], picks: { index: number; target: string; reason: string; carriesStage: boolean }[]): Item[] {
	// index === rows.length is a key that is not in the sheet.
	return picks.map((p) => ({
		id: `d${p.index}`,
		...(p.carriesStage && p.index < rows.length ? { stage: rows[p.index].stage } : {}),
		target: p.target,
		reason: p.reason,
	}));
}

describe('stage moves on the sheet, run twice', () => {
	it('a re-run of the same execution writes nothing and logs nothing again', async () => {
		await fc.assert(
			fc.asyncProperty(sheetArb.chain((rows) => fc.tuple(fc.constant(rows), itemsArb(rows.length))), async ([rows, picks]) => {
				const id = setUp(rows);
				const items = toItems(rows, picks);
				const first = await cycle(id, 'exec-1', items);
				expect(first.apiCalls).toBeLessThanOrEqual(3);
				const sheetAfter = server.getValues(id, 'Deals');
				const historyAfter = server.getValues(id, 'StageHistory');
				const moved = first.decisions.filter((d) => d.move.outcome === 'moved').length;
				expect(historyAfter.length - 1).toBe(moved);

				const second = await cycle(id, 'exec-1', items);
				expect(server.getValues(id, 'Deals')).toEqual(sheetAfter);
				expect(server.getValues(id, 'StageHistory')).toEqual(historyAfter);
				// Everything the first run moved is reported as already applied, nothing new moves.
				first.decisions.forEach((d, i) => {
					if (d.move.outcome === 'moved') expect(second.decisions[i]).toMatchObject({ move: { outcome: 'moved', to: d.move.to }, replay: 'recorded' });
					else expect(second.decisions[i].move.outcome).not.toBe('moved');
				});
			}),
			{ numRuns: 60 },
		);
	});

	it('a run whose stage write was lost is completed by its re-run, exactly as an undisturbed run', async () => {
		await fc.assert(
			fc.asyncProperty(sheetArb.chain((rows) => fc.tuple(fc.constant(rows), itemsArb(rows.length))), async ([rows, picks]) => {
				const items = toItems(rows, picks);
				const clean = setUp(rows);
				await cycle(clean, 'exec-1', items);

				const crashed = setUp(rows);
				const broken = await cycle(crashed, 'exec-1', items, true);
				const anyMove = broken.decisions.some((d) => d.move.outcome === 'moved');
				if (anyMove) expect(broken.written).toBeInstanceOf(Error);
				await cycle(crashed, 'exec-1', items);

				expect(server.getValues(crashed, 'Deals')).toEqual(server.getValues(clean, 'Deals'));
				expect(server.getValues(crashed, 'StageHistory')).toEqual(server.getValues(clean, 'StageHistory'));
			}),
			{ numRuns: 60 },
		);
	});
});
