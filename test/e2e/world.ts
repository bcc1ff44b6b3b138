/**
 * The world the templates run in during end-to-end tests: real n8n with this package installed
 * as a community package, the local Sheets API server, a real SMTP server and a real IMAP
 * server (Dovecot), all on 127.0.0.1, and test credentials imported with the ids the
 * templates reference, so the templates run exactly as shipped.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSheetsServer, DEFAULT_TEST_TOKEN, type SheetsServer } from '../servers/sheetsServer';
import { startSmtpServer, type RunningSmtpServer } from '../servers/smtpServer';
import { startImapServer, type RunningImapServer } from '../servers/imapServer';
import { STANDARD_TABS } from '../../nodes/shared/sheets/schema';
import { IMAP, SHEETS_CRM, SMTP, WEBHOOK_SECRET } from '../../scripts/templates/credentials';
import { ROOT, importCredentials, importWorkflow, n8nCli, packPackage, prepareUserFolder, startN8n, type RunningN8n } from './n8nInstance';

export const WEBHOOK_SHARED_SECRET = 'test-webhook-secret-not-a-real-one';

export interface World {
	userFolder: string;
	sheets: SheetsServer;
	smtp: RunningSmtpServer;
	imap?: RunningImapServer;
	spreadsheetId: string;
	templates: Map<string, { id: string; name: string; nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }> }>;
	n8n?: RunningN8n;
	stop: () => Promise<void>;
}

function idOf(ref: Record<string, { id: string; name: string }>): { type: string; id: string; name: string } {
	const [type, { id, name }] = Object.entries(ref)[0];
	return { type, id, name };
}

/** A spreadsheet holding every standard CRM tab with its header row. */
export function createCrm(sheets: SheetsServer, extraTabs: Record<string, unknown[][]> = {}): string {
	const tabs: Record<string, unknown[][]> = {};
	for (const t of STANDARD_TABS) tabs[t.tab] = [t.headers];
	Object.assign(tabs, extraTabs);
	return sheets.createSpreadsheet(tabs as never, { title: 'Solo Sales CRM (test)' });
}

export async function createWorld(options: { imap?: boolean; start?: boolean; publish?: string[]; extraTabs?: Record<string, unknown[][]> } = {}): Promise<World> {
	const sheets = await startSheetsServer({ acceptedTokens: [DEFAULT_TEST_TOKEN] });
	const smtp = await startSmtpServer();
	const imap = options.imap ? await startImapServer() : undefined;
	const spreadsheetId = createCrm(sheets, options.extraTabs);
	const userFolder = prepareUserFolder(packPackage());

	const credentials = [
		{ ...idOf(SHEETS_CRM), data: { apiBaseUrl: sheets.url, clientId: 'test', clientSecret: 'test', oauthTokenData: { access_token: DEFAULT_TEST_TOKEN, token_type: 'Bearer' } } },
		{ ...idOf(SMTP), data: { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true, user: '', password: '' } },
		{ ...idOf(WEBHOOK_SECRET), data: { hmacSecret: WEBHOOK_SHARED_SECRET } },
		...(imap ? [{ ...idOf(IMAP), data: { host: imap.host, port: imap.port, user: imap.user, password: imap.password, secure: false, allowUnauthorizedCerts: true } }] : []),
	];
	importCredentials(userFolder, credentials);

	const templates: World['templates'] = new Map();
	for (const file of readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'))) {
		const text = readFileSync(join(ROOT, 'workflows', file), 'utf8').replace(/PASTE-YOUR-SPREADSHEET-URL/g, spreadsheetId);
		const workflow = JSON.parse(text);
		importWorkflow(userFolder, workflow);
		templates.set(file, workflow);
	}
	for (const file of options.publish ?? []) {
		const wf = templates.get(file);
		if (!wf) throw new Error(`No template ${file}`);
		const res = n8nCli(userFolder, ['publish:workflow', `--id=${wf.id}`]);
		if (res.code !== 0) throw new Error(`publish:workflow failed:\n${res.output}`);
	}
	const n8n = options.start ? await startN8n(userFolder) : undefined;
	return {
		userFolder,
		sheets,
		smtp,
		imap,
		spreadsheetId,
		templates,
		n8n,
		stop: async () => {
			await n8n?.stop();
			await imap?.close();
			await smtp.close();
			await sheets.close();
		},
	};
}

/**
 * Waits until n8n has registered a production webhook (activation finishes after the editor is
 * up): until a probe POST is answered by the workflow rather than with 404.
 */
export async function waitForWebhook(world: World, path: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const res = await fetch(`${world.n8n!.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (res.status !== 404) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`Webhook ${path} was not registered within ${timeoutMs} ms:\n${world.n8n?.logs().slice(-3000)}`);
}

/** The stored rows of a tab as records keyed by the header row. */
export function tabRecords(world: World, tab: string): Array<Record<string, unknown>> {
	const [header, ...rows] = world.sheets.getValues(world.spreadsheetId, tab) as unknown[][];
	return rows.map((row) => Object.fromEntries((header as string[]).map((h, i) => [h, row[i] ?? ''])));
}
