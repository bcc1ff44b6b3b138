/**
 * Sheets CRM layer benchmarks: an upsert of 10,000 records through the real transport against
 * the local Sheets API server (time and API calls), and planCellWrites on 100,000 rows with a
 * plain-Python dict implementation of the same diff as the reference.
 */
import { runPython, seededRandom, timeBest, type BenchCase } from './lib';
import { startSheetsServer, DEFAULT_TEST_TOKEN } from '../test/servers/sheetsServer';
import { parseA1, quoteTab } from '../nodes/shared/sheets/a1';
import { planCellWrites, readTables, toAppendRows, toSnapshot, type CellChange, type CellValue } from '../nodes/shared/sheets/crm';
import { createSheetsTransport, failureMessage } from '../nodes/shared/sheets/transport';
import { planUpsert } from '../nodes/SalesCrmSheet/upsert';

const HEADERS = ['email', 'name', 'company', 'stage', 'score', 'notes'];
const STAGES = ['New', 'MQL', 'SQL', 'Proposal'];

function leads(count: number, random: () => number): CellValue[][] {
	return Array.from({ length: count }, (_, i) => [`lead${i}@x.com`, `Lead ${i}`, `Co ${i % 97}`, STAGES[Math.floor(random() * 4)], Math.floor(random() * 100), '']);
}

async function upsert10k() {
	const server = await startSheetsServer();
	const random = seededRandom(7);
	try {
		const items = Array.from({ length: 10_000 }, (_, i) => ({
			item: i,
			fields: { email: `lead${i}@x.com`, stage: STAGES[Math.floor(random() * 4)], score: Math.floor(random() * 100) },
		}));
		let calls = 0;
		// A fresh copy of the sheet per repeat, made before timing. Half the keys exist, half are new.
		const sheets = [0, 1, 2].map(() => server.createSpreadsheet({ Leads: [HEADERS, ...leads(5_000, seededRandom(3))] }));
		const { ms } = await timeBest(async () => {
			const id = sheets.pop()!;
			const before = server.requests.length;
			const transport = createSheetsTransport(
				async (request) => {
					const res = await fetch(`${server.url}${request.path}`, {
						method: request.method,
						headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
						body: request.body === undefined ? undefined : JSON.stringify(request.body),
					});
					const body = await res.json();
					if (!res.ok) throw Object.assign(new Error('HTTP error'), { response: { status: res.status, data: body, headers: {} } });
					return body;
				},
				{ toError: (failure, tries) => new Error(failureMessage(failure, tries).message) },
			);
			const [snapshot] = await readTables(transport, id, [{ tab: 'Leads', keyField: 'email' }]);
			const plan = planUpsert(snapshot, items, { valueInputOption: 'RAW', unknownFields: 'ignore', ignoreEmptyValues: true });
			await transport.batchUpdate(id, planCellWrites([snapshot], plan.changes).data, 'RAW');
			const appended = await transport.append(id, `${quoteTab('Leads')}!A1`, toAppendRows(snapshot, plan.newRows.map((r) => ({ record: r.record }))), 'RAW');
			if (parseA1(appended.updates?.updatedRange ?? '').startRow !== 5_002) throw new Error('append landed in the wrong place');
			calls = server.requests.length - before;
		}, 3);
		return { timeMs: ms, units: 10_000, unitName: 'records', note: `${calls} Sheets API calls (local server, loopback HTTP)` };
	} finally {
		await server.close();
	}
}

const PY_DIFF = `
import json, sys, time
data = json.load(sys.stdin)
headers, rows, changes = data['headers'], data['rows'], data['changes']
key_col = headers.index('email')
t0 = time.perf_counter()
by_key = {}
for i, row in enumerate(rows):
    by_key[str(row[key_col]).strip()] = i
current = {}
for ch in changes:
    i = by_key.get(ch['key'])
    if i is None:
        continue
    row = current.setdefault(i, list(rows[i]))
    if any(row[headers.index(f)] != v for f, v in ch['expected'].items()):
        continue
    for f, v in ch['set'].items():
        row[headers.index(f)] = v
cells = 0
for i, row in current.items():
    for c, v in enumerate(row):
        if v != rows[i][c]:
            cells += 1
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({'ms': ms, 'cells': cells}))
`;

function planWrites100k() {
	const random = seededRandom(11);
	const rows = leads(100_000, random);
	const snapshot = toSnapshot({ tab: 'Leads', keyField: 'email' }, [HEADERS, ...rows]);
	const changes: CellChange[] = rows.map((row, i) => ({
		tab: 'Leads',
		key: String(row[0]),
		expected: { stage: row[3] },
		set: { stage: STAGES[(STAGES.indexOf(String(row[3])) + 1) % 4], score: i % 3 === 0 ? row[4] : Number(row[4]) + 1 },
	}));
	return { snapshot, rows, changes };
}

export const cases: BenchCase[] = [
	{
		operation: 'Sheets CRM: upsert (read + batchUpdate + append)',
		size: '10,000 records (5,000 existing rows)',
		run: upsert10k,
	},
	{
		operation: 'Sheets CRM: planCellWrites',
		size: '100,000 rows x 6, 100,000 changes',
		run: async () => {
			const { snapshot, rows, changes } = planWrites100k();
			const { ms, result } = await timeBest(() => planCellWrites([snapshot], changes), 3);
			const cells = result.data.reduce((n, vr) => n + (vr.values?.[0]?.length ?? 0), 0);
			const reference = runPython<{ ms: number; cells: number }>(PY_DIFF, {
				headers: HEADERS,
				rows,
				changes: changes.map((c) => ({ key: c.key, expected: c.expected, set: c.set })),
			});
			if (reference.cells !== cells) throw new Error(`reference wrote ${reference.cells} cells, ours ${cells}`);
			return {
				timeMs: ms,
				units: 100_000,
				unitName: 'rows',
				referenceMs: reference.ms,
				referenceName: 'Python dict loop (same diff)',
				note: `${result.data.length} ranges, ${cells} cells`,
			};
		},
	},
];
