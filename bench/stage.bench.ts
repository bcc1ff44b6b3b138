/**
 * Stage Mover benchmarks: planning on 100,000 records (pure), and 10,000 moves through the node
 * in-process against the local Sheets API server (time and API calls).
 */
import { DEFAULT_SALES_PIPELINE, planStageMoves, type StageRuleDefinition } from '../nodes/StageMover';
import { runNode } from '../test/harness/runWorkflow';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type CellValue } from '../test/servers/sheetsServer';
import { runPython, seededRandom, timeBest, type BenchCase } from './lib';

const STAGES = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation'];
const NOW = Date.UTC(2024, 5, 15);

function records(n: number) {
	const random = seededRandom(7);
	return Array.from({ length: n }, (_, i) => ({
		id: `r${i}`,
		stage: STAGES[Math.floor(random() * STAGES.length)],
		score: Math.floor(random() * 100),
		amount: random() < 0.5 ? '' : Math.round(random() * 5000),
		lastActivityAt: new Date(NOW - Math.floor(random() * 120) * 86_400_000).toISOString().slice(0, 10),
	}));
}

const RULES: StageRuleDefinition[] = [
	{ name: 'Hot lead', conditions: 'score >= 70 and stage = New', moveTo: 'MQL' },
	{ name: 'Qualified', conditions: 'score >= 80 and stage = MQL', moveTo: 'SQL' },
	{ name: 'Gone quiet', conditions: 'lastActivityAt older than 90 days', moveTo: 'Lost' },
	{ name: 'Priced', conditions: 'stage = SQL and amount is not empty', moveTo: 'Proposal' },
];

// The same rules hand-coded in Python (a plain loop over dicts, what a script would do).
const PYTHON_REFERENCE = `
import json, sys, time
from datetime import datetime, timezone
data = json.load(sys.stdin)
recs = data['records']; now = data['now'] / 1000.0
order = ['New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won']
t0 = time.perf_counter()
out = []
for r in recs:
    s = r['stage']; to = None; reason = None
    days = (now - datetime.strptime(r['lastActivityAt'], '%Y-%m-%d').replace(tzinfo=timezone.utc).timestamp()) / 86400
    if r['score'] >= 70 and s == 'New': to, reason = 'MQL', 'Hot lead'
    elif r['score'] >= 80 and s == 'MQL': to, reason = 'SQL', 'Qualified'
    elif days > 90: to, reason = 'Lost', 'Gone quiet'
    elif s == 'SQL' and r['amount'] != '': to, reason = 'Proposal', 'Priced'
    if to is None: out.append(('unchanged', r['id'])); continue
    ok = to == 'Lost' or order.index(to) == order.index(s) + 1
    if ok and to in ('Proposal', 'Negotiation', 'Won') and r['amount'] == '': ok = False
    out.append(('moved' if ok else 'rejected', r['id']))
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({'ms': ms, 'moved': sum(1 for o in out if o[0] == 'moved')}))
`;

export const cases: BenchCase[] = [
	{
		operation: 'Stage Mover: planStageMoves (4 rules)',
		size: '100,000 records',
		run: async () => {
			const input = records(100_000);
			const pipeline = { ...DEFAULT_SALES_PIPELINE, reasonRequiredOnClose: false };
			const { ms, result } = await timeBest(() => planStageMoves(input, pipeline, RULES, { now: NOW }));
			const moved = result.filter((m) => m.outcome === 'moved').length;
			const reference = runPython<{ ms: number; moved: number }>(PYTHON_REFERENCE, { records: input, now: NOW });
			return {
				timeMs: ms,
				units: input.length,
				unitName: 'records',
				referenceMs: reference.ms,
				referenceName: 'Python loop, same rules',
				note: `${moved} moved (reference ${reference.moved})`,
			};
		},
	},
	{
		operation: 'Stage Mover node: Move to Stage via local Sheets server',
		size: '10,000 moves',
		run: async () => {
			const server = await startSheetsServer();
			try {
				const n = 10_000;
				const header = ['email', 'name', 'stage', 'amount', 'stageChangedAt', 'notes'];
				const rows: CellValue[][] = Array.from({ length: n }, (_, i) => [`lead${i}@x.io`, `Lead ${i}`, 'New', '', '', '']);
				const credentials = {
					googleSheetsCrmOAuth2Api: {
						apiBaseUrl: server.url,
						grantType: 'authorizationCode',
						oauthTokenData: { access_token: DEFAULT_TEST_TOKEN, token_type: 'Bearer' },
					},
				};
				const items = rows.map((r) => ({ email: r[0], stage: 'New' }));
				let calls = 0;
				const { ms } = await timeBest(async () => {
					const id = server.createSpreadsheet({ Leads: [header, ...rows], StageHistory: [['time', 'tab', 'key', 'from', 'to', 'reason', 'executionId']] });
					const before = server.requests.length;
					const run = await runNode({
						type: 'stageMover',
						parameters: { operation: 'moveToStage', storage: 'sheet', spreadsheetId: id, targetStage: 'MQL' },
						credentials,
						items,
					});
					if (run.error) throw new Error(run.error.message);
					if (run.outputs[0].length !== n) throw new Error(`only ${run.outputs[0].length} moved`);
					calls = server.requests.length - before;
				}, 3);
				return { timeMs: ms, units: n, unitName: 'moves', note: `${calls} Sheets API calls per execution (whole workflow run incl. n8n overhead)` };
			} finally {
				await server.close();
			}
		},
	},
];
