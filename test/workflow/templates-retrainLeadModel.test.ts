/**
 * Template 4 (retrain the lead model): structure checks, and the workflow run in-process
 * against the local Sheets API server. Leads are simulated from a known logistic model; the
 * stored model must be the Lead Scorer's fit on exactly the closed (Won/Lost) leads, recover the
 * simulated effects' directions, and be usable by Score With Model straight from the Models
 * cell (as the lead capture template reads it). A model on pure noise must not be stored.
 */
import * as template from '../../scripts/templates/retrainLeadModel.template';
import { seededRandom } from '../../bench/lib';
import { fitLogisticRegression, scoreLeads } from '../../nodes/LeadScorer';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { runNode } from '../harness/runWorkflow';
import { startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { committedTemplate, runTemplate, tabRecords, templateStructureTests, testCredentials } from './templates-support';

describe('retrain lead model template: structure', () => templateStructureTests(template));

const LEAD_HEADERS = [...STANDARD_TABS.find((t) => t.tab === 'Leads')!.headers, 'pageViews', 'inquiries', 'emailOpens', 'companySize', 'industry'];
const MODEL_HEADERS = STANDARD_TABS.find((t) => t.tab === 'Models')!.headers; // includes version, auc, deviance
const SOURCES = ['ads', 'referral', 'website'];
const INDUSTRIES = ['retail', 'software', 'services'];

/**
 * Leads whose log-odds of winning are -3 + 0.15 pageViews + 0.8 inquiries + 0.05 emailOpens
 * + 0.01 companySize + 1.2 [referral] + 0.6 [software] (or, with `signal` off, a fair coin).
 * About a fifth are still open (New / MQL) and must not be trained on.
 */
function simulateLeads(count: number, seed: number, signal: boolean): Record<string, string | number>[] {
	const random = seededRandom(seed);
	return Array.from({ length: count }, (_, i) => {
		const lead = {
			email: `lead${i}@example.com`,
			name: `Lead ${i}`,
			source: SOURCES[Math.floor(random() * 3)],
			industry: INDUSTRIES[Math.floor(random() * 3)],
			pageViews: Math.floor(random() * 20),
			inquiries: Math.floor(random() * 4),
			emailOpens: Math.floor(random() * 15),
			companySize: Math.floor(1 + random() * 200),
		};
		const logOdds = -3 + 0.15 * lead.pageViews + 0.8 * lead.inquiries + 0.05 * lead.emailOpens + 0.01 * lead.companySize
			+ (lead.source === 'referral' ? 1.2 : 0) + (lead.industry === 'software' ? 0.6 : 0);
		const pWon = signal ? 1 / (1 + Math.exp(-logOdds)) : 0.5;
		const stage = random() < 0.2 ? (random() < 0.5 ? 'New' : 'MQL') : random() < pWon ? 'Won' : 'Lost';
		return { ...lead, stage };
	});
}

function sheetRows(leads: Record<string, string | number>[]): (string | number)[][] {
	return [LEAD_HEADERS, ...leads.map((lead) => LEAD_HEADERS.map((h) => lead[h] ?? ''))];
}

/** The Train Model settings the template's node stands for, as library options. */
const TRAIN_OPTIONS = {
	target: 'stage',
	features: ['pageViews', 'inquiries', 'emailOpens', 'companySize', 'source', 'industry'],
	categorical: ['source', 'industry'],
	missing: 'imputeMean' as const,
	l2: 0,
	maxIterations: 50,
	threshold: 0.5,
	classWeights: 'balanced' as const,
	outcomeValues: { won: [], lost: [] },
	validation: { method: 'kFold' as const, folds: 5, seed: 1 },
};

let sheets: SheetsServer;
beforeAll(async () => {
	sheets = await startSheetsServer();
});
afterAll(async () => sheets.close());

describe('retrain lead model template: run', () => {
	test('stores a new model version trained on exactly the closed leads, which Score With Model can use from the cell', async () => {
		const leads = simulateLeads(600, 5, true);
		const id = sheets.createSpreadsheet({
			Leads: sheetRows(leads),
			Models: [MODEL_HEADERS, ['lead-score-2024-01-01', 'leadScore', '2024-01-01T06:00:00.000Z', 10, '{"old":true}', '2024-01-01', 0.7, 12]],
		});
		const startMs = Date.now();
		const run = await runTemplate(committedTemplate(template), { trigger: 'First of the month', triggerItems: [{}], spreadsheetId: id, credentials: testCredentials(sheets) });
		expect(run.error).toBeUndefined();

		const closed = tabRecords(sheetRows(leads)).filter((lead) => lead.stage === 'Won' || lead.stage === 'Lost');
		const expected = fitLogisticRegression(closed, TRAIN_OPTIONS);
		expect(expected.validation!.auc!).toBeGreaterThan(0.6);

		const models = tabRecords(sheets.getValues(id, 'Models'));
		expect(models).toHaveLength(2);
		const stored = models[1];
		const today = new Date().toISOString().slice(0, 10);
		expect(stored).toMatchObject({ name: `lead-score-${today}`, type: 'leadScore', rows: closed.length, version: today, auc: expected.validation!.auc, deviance: expected.deviance });
		expect(Date.parse(String(stored.trainedAt))).toBeGreaterThanOrEqual(startMs - 1000);
		const model = JSON.parse(String(stored.model));
		expect(model).toEqual(JSON.parse(JSON.stringify(expected.model)));

		// The simulated effects come back with their signs (independent of the fitting code).
		const estimate = (name: string) => expected.coefficients.find((c) => c.name === name)!.estimate!;
		for (const name of ['pageViews', 'inquiries', 'companySize', 'source=referral', 'industry=software']) expect({ name, positive: estimate(name) > 0 }).toEqual({ name, positive: true });

		// Lead capture scores with the last Models row's `model` cell, a JSON string.
		const open = leads.filter((lead) => lead.stage === 'New' || lead.stage === 'MQL').slice(0, 20);
		const scored = await runNode({ type: 'leadScorer', parameters: { operation: 'scoreWithModel', model: String(stored.model) }, items: open });
		expect(scored.error).toBeUndefined();
		const reference = scoreLeads(expected.model, open);
		expect(scored.outputs[0].map((item) => item.probability)).toEqual(reference.map((r) => r.probability));
	});

	test('a model that does not beat the AUC bar (outcomes are coin flips) is not stored', async () => {
		const leads = simulateLeads(300, 9, false);
		const id = sheets.createSpreadsheet({ Leads: sheetRows(leads), Models: [MODEL_HEADERS] });
		const closed = tabRecords(sheetRows(leads)).filter((lead) => lead.stage === 'Won' || lead.stage === 'Lost');
		expect(fitLogisticRegression(closed, TRAIN_OPTIONS).validation!.auc!).toBeLessThan(0.6);

		const run = await runTemplate(committedTemplate(template), { trigger: 'First of the month', triggerItems: [{}], spreadsheetId: id, credentials: testCredentials(sheets) });
		expect(run.error).toBeUndefined();
		expect(run.nodeOutputs('Train lead model')[0]).toHaveLength(1);
		expect(sheets.getValues(id, 'Models')).toEqual([MODEL_HEADERS]);
	});
});
