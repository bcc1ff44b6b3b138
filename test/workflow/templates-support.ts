/**
 * Shared checks for the workflow template tests (templates-*.test.ts):
 * - structure: the committed JSON is what the template module renders now; every node type and
 *   typeVersion exists (ours in nodes/, built-in ones in the pinned n8n under .n8n-runtime, read
 *   by a child process of n8n's own Node) and every parameter is one the node declares;
 *   connections and `$('Node')` references point at existing nodes; credentials carry no secrets;
 *   sticky notes explain the setup.
 * - runs: a template's own nodes executed in-process by the harness, with n8n's real built-in
 *   nodes (Set, Filter, Switch, Send Email, ...) loaded from the pinned n8n, the trigger replaced
 *   by fixed items and the Code node run by a stand-in that evaluates its JavaScript with n8n's
 *   own `$()` data proxy.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IConnections,
} from 'n8n-workflow';
import { packageNodeTypes, PACKAGE_NAME, runWorkflow, type WorkflowRun } from '../harness/runWorkflow';
import { renderTemplate, type TemplateModule } from '../../scripts/templates/build';
import { NODE24, RUNTIME } from '../e2e/n8nInstance';

const ROOT = join(__dirname, '..', '..');

export interface TemplateNodeJson {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, Record<string, unknown>>;
	disabled?: boolean;
	webhookId?: string;
	[key: string]: unknown;
}

export interface TemplateJson {
	id: string;
	name: string;
	nodes: TemplateNodeJson[];
	connections: Record<string, Record<string, { node: string; type: string; index: number }[][]>>;
	settings: Record<string, unknown>;
	[key: string]: unknown;
}

/** The committed workflows/<fileName>, parsed. */
export function committedTemplate(mod: TemplateModule): TemplateJson {
	return JSON.parse(readFileSync(join(ROOT, 'workflows', mod.fileName), 'utf8')) as TemplateJson;
}

export interface BuiltInNodeInfo {
	type: string;
	typeVersion: number;
	found: boolean;
	versions: number[];
	properties: string[];
	error?: string;
}

/**
 * Asks the pinned n8n (a child process running n8n's own Node on .n8n-runtime) which versions
 * and parameters each built-in node type has. Loading the node class is the same thing n8n's
 * loader does; the file is found through the package's `n8n.nodes` list.
 */
export function describeBuiltInNodes(nodes: { type: string; typeVersion: number }[]): BuiltInNodeInfo[] {
	const script = `
const path = require('node:path');
const packages = { 'n8n-nodes-base': 'n8n-nodes-base', '@n8n/n8n-nodes-langchain': '@n8n/n8n-nodes-langchain' };
const root = process.argv[1];
const wanted = JSON.parse(process.argv[2]);
const out = wanted.map(({ type, typeVersion }) => {
  const dot = type.lastIndexOf('.');
  const pkg = packages[type.slice(0, dot)];
  const name = type.slice(dot + 1);
  const none = { type, typeVersion, found: false, versions: [], properties: [] };
  if (!pkg) return { ...none, error: 'not a built-in package' };
  const pkgDir = path.join(root, 'node_modules', pkg);
  const files = require(path.join(pkgDir, 'package.json')).n8n.nodes
    .filter((f) => path.basename(f).toLowerCase() === name.toLowerCase() + '.node.js');
  for (const file of files) {
    const mod = require(path.join(pkgDir, file));
    for (const Cls of Object.values(mod)) {
      if (typeof Cls !== 'function') continue;
      let node;
      try { node = new Cls(); } catch { continue; }
      if (!node.description || node.description.name !== name) continue;
      let versions; let description;
      if (node.nodeVersions) {
        versions = Object.keys(node.nodeVersions).map(Number);
        description = node.nodeVersions[typeVersion] && node.nodeVersions[typeVersion].description;
      } else {
        versions = [].concat(node.description.version);
        description = node.description;
      }
      const properties = description ? [...new Set(description.properties.map((p) => p.name))] : [];
      return { type, typeVersion, found: true, versions, properties };
    }
  }
  return none;
});
process.stdout.write(JSON.stringify(out));
`;
	const res = spawnSync(NODE24, ['-e', script, RUNTIME, JSON.stringify(nodes)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, cwd: RUNTIME });
	if (res.status !== 0) throw new Error(`Could not read the pinned n8n's node types: ${res.stderr}`);
	return JSON.parse(res.stdout) as BuiltInNodeInfo[];
}

/** Node names used in `$('Name')` / `$("Name")` expressions anywhere in the parameters. */
export function referencedNodeNames(value: unknown): string[] {
	const text = JSON.stringify(value);
	const names: string[] = [];
	for (const match of text.matchAll(/\$\(\\?["']([^"'\\]+)\\?["']\)/g)) names.push(match[1]);
	return names;
}

/** Keys that would hold secrets if someone pasted them into a template. */
const SECRET_KEYS = /^(password|secret|apiKey|accessToken|refreshToken|privateKey|clientSecret|token)$/i;

export function secretLikeEntries(value: unknown, path = ''): string[] {
	if (Array.isArray(value)) return value.flatMap((v, i) => secretLikeEntries(v, `${path}[${i}]`));
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([k, v]) =>
			SECRET_KEYS.test(k) && v !== '' && v !== null ? [`${path}.${k}`] : secretLikeEntries(v, `${path}.${k}`),
		);
	}
	return [];
}

/** The jest tests every template gets (part a of the template tests). */
export function templateStructureTests(mod: TemplateModule): void {
	const json = JSON.parse(renderTemplate(mod)) as TemplateJson;
	const names = new Set(json.nodes.map((n) => n.name));

	test('the committed JSON is what the template renders now', () => {
		expect(readFileSync(join(ROOT, 'workflows', mod.fileName), 'utf8')).toBe(renderTemplate(mod));
	});

	test('ids are stable and unique, execution order v1', () => {
		expect(renderTemplate(mod)).toBe(renderTemplate(mod));
		const ids = json.nodes.map((n) => n.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(names.size).toBe(json.nodes.length);
		expect(json.settings.executionOrder).toBe('v1');
		expect(json.id).toMatch(/^[\w-]{8,}$/);
	});

	test('our node types exist in nodes/ with that version and only declared parameters', () => {
		const ours = json.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			const nodeType = packageNodeTypes().get(node.type) as INodeType | undefined;
			expect({ node: node.name, found: nodeType !== undefined }).toEqual({ node: node.name, found: true });
			const versions = ([] as number[]).concat(nodeType!.description.version);
			expect({ node: node.name, versionKnown: versions.includes(node.typeVersion) }).toEqual({ node: node.name, versionKnown: true });
			const declared = new Set(nodeType!.description.properties.map((p) => p.name));
			const unknown = Object.keys(node.parameters).filter((p) => !declared.has(p));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
		}
	});

	test('built-in node types exist in the pinned n8n with that version and only declared parameters', () => {
		const builtIn = json.nodes.filter((n) => !n.type.startsWith(`${PACKAGE_NAME}.`));
		const infos = describeBuiltInNodes(builtIn.map(({ type, typeVersion }) => ({ type, typeVersion })));
		builtIn.forEach((node, i) => {
			const info = infos[i];
			expect({ node: node.name, type: node.type, found: info.found, versionKnown: info.versions.includes(node.typeVersion) }).toEqual({
				node: node.name,
				type: node.type,
				found: true,
				versionKnown: true,
			});
			const unknown = Object.keys(node.parameters).filter((p) => !info.properties.includes(p));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
		});
	});

	test('connections and $() references point at existing nodes', () => {
		for (const [from, byType] of Object.entries(json.connections)) {
			expect(names.has(from)).toBe(true);
			for (const outputs of Object.values(byType)) for (const targets of outputs) for (const c of targets) expect(names.has(c.node)).toBe(true);
		}
		for (const node of json.nodes) for (const ref of referencedNodeNames(node.parameters)) expect({ node: node.name, ref, exists: names.has(ref) }).toEqual({ node: node.name, ref, exists: true });
		// Every node except triggers and notes has an incoming connection (nothing left dangling).
		const targets = new Set(Object.values(json.connections).flatMap((byType) => Object.values(byType).flat(2).map((c) => c.node)));
		const sources = new Set(Object.keys(json.connections));
		for (const node of json.nodes) {
			if (node.type === 'n8n-nodes-base.stickyNote') continue;
			expect({ node: node.name, connected: targets.has(node.name) || sources.has(node.name) }).toEqual({ node: node.name, connected: true });
		}
	});

	test('credentials are referenced by type and name only, with no secrets anywhere', () => {
		for (const node of json.nodes) {
			for (const ref of Object.values(node.credentials ?? {})) expect(Object.keys(ref).sort()).toEqual(['id', 'name']);
		}
		expect(secretLikeEntries(json)).toEqual([]);
	});

	test('sticky notes explain the setup', () => {
		const notes = json.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
		expect(notes.length).toBeGreaterThanOrEqual(1);
		expect(notes.some((n) => /set ?up/i.test(String(n.parameters.content)))).toBe(true);
	});
}

// ---------------------------------------------------------------- in-process runs

const BASE_NODES = join(RUNTIME, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');

/** Built-in node classes the template runs use, by type: folder and class in n8n-nodes-base. */
const BUILT_IN: Record<string, [string, string]> = {
	'n8n-nodes-base.set': ['Set', 'Set'],
	'n8n-nodes-base.filter': ['Filter', 'Filter'],
	'n8n-nodes-base.if': ['If', 'If'],
	'n8n-nodes-base.switch': ['Switch', 'Switch'],
	'n8n-nodes-base.emailSend': ['EmailSend', 'EmailSend'],
	'n8n-nodes-base.noOp': ['NoOp', 'NoOp'],
	'n8n-nodes-base.twitter': ['Twitter', 'Twitter'],
	'n8n-nodes-base.linkedIn': ['LinkedIn', 'LinkedIn'],
};

/**
 * Runs a Code node's JavaScript (runOnceForAllItems) in-process with n8n's own data proxy for
 * `$()`, `$input`, `$json`: what the task runner does, without the runner.
 */
class CodeStandIn implements INodeType {
	description = {
		displayName: 'Code (test stand-in)',
		name: 'code',
		group: ['transform'],
		version: [1, 2],
		description: 'Runs jsCode with the workflow data proxy',
		defaults: { name: 'Code' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const code = this.getNodeParameter('jsCode', 0) as string;
		const proxy = this.getWorkflowDataProxy(0);
		const run = new Function('$', '$input', `return (async () => {\n${code}\n})();`) as (...args: unknown[]) => Promise<INodeExecutionData[]>;
		const items = await run(proxy.$, proxy.$input);
		return [items.map((item, i) => ({ json: item.json, pairedItem: item.pairedItem ?? { item: Math.min(i, this.getInputData().length - 1) } }))];
	}
}

let builtInsLoaded = false;

/**
 * Send Email loads n8n's Form helpers (for its Send and Wait operation), which load
 * sanitize-html, whose parser is an ES module jest cannot require. The Send operation never
 * sanitizes, so a pass-through stands in for it.
 */
function stubSanitizeHtml(): void {
	const formUtils = join(BASE_NODES, 'Form', 'utils');
	const resolved = require.resolve('sanitize-html', { paths: [formUtils] });
	const passThrough = Object.assign((text: string) => text, { simpleTransform: () => () => ({}), defaults: { allowedTags: [], allowedAttributes: {} } });
	jest.doMock(resolved, () => ({ __esModule: true, default: passThrough }));
}

/** Registers n8n's real built-in nodes (and the Code stand-in) with the harness's node types. */
export function loadBuiltInNodes(): void {
	if (builtInsLoaded) return;
	stubSanitizeHtml();
	const types = packageNodeTypes();
	for (const [type, [folder, className]] of Object.entries(BUILT_IN)) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(join(BASE_NODES, folder, `${className}.node.js`)) as Record<string, new () => INodeType>;
		types.set(type, new mod[className]());
	}
	types.set('n8n-nodes-base.code', new CodeStandIn());
	// The AI nodes ship disabled, and disabled nodes pass items through without running, so any
	// type with a main input stands in for them (a test that enables one patches in a fake).
	for (const type of ['@n8n/n8n-nodes-langchain.agent', '@n8n/n8n-nodes-langchain.lmChatOpenAi']) types.set(type, types.get('n8n-nodes-base.noOp')!);
	builtInsLoaded = true;
}

/** Registers a test-only node type (e.g. a fake X API node) under a type name. */
export function registerNodeType(type: string, nodeType: INodeType): void {
	packageNodeTypes().set(type, nodeType);
}

export interface TemplateRunOptions {
	/** The trigger node to start from, and the items it emits. */
	trigger: string;
	triggerItems: IDataObject[];
	spreadsheetId: string;
	credentials: Record<string, IDataObject>;
	/** Per-node changes before the run (parameters merged, or other fields such as type / disabled). */
	patch?: Record<string, Partial<TemplateNodeJson>>;
	executionId?: string;
}

/**
 * Runs a template in-process: sticky notes dropped, the chosen trigger replaced by a Manual
 * Trigger feeding fixed items, other triggers dropped, the spreadsheet placeholder replaced.
 */
export async function runTemplate(template: TemplateJson, options: TemplateRunOptions): Promise<WorkflowRun> {
	loadBuiltInNodes();
	const triggerTypes = /Trigger$|emailReadImap$/;
	const nodes: INode[] = [];
	for (const node of template.nodes) {
		if (node.type === 'n8n-nodes-base.stickyNote') continue;
		if (triggerTypes.test(node.type) && node.name !== options.trigger) continue;
		let copy = JSON.parse(JSON.stringify(node)) as TemplateNodeJson;
		if (node.name === options.trigger) {
			copy = { ...copy, type: 'test.fixedItems', typeVersion: 1, parameters: { items: JSON.stringify(options.triggerItems) } };
		}
		if ('spreadsheetId' in copy.parameters) copy.parameters.spreadsheetId = options.spreadsheetId;
		const patch = options.patch?.[node.name];
		if (patch) copy = { ...copy, ...patch, parameters: { ...copy.parameters, ...(patch.parameters ?? {}) } };
		nodes.push(copy as unknown as INode);
	}
	const kept = new Set(nodes.map((n) => n.name));
	const connections: IConnections = { Start: { main: [[{ node: options.trigger, type: NodeConnectionTypes.Main, index: 0 }]] } };
	for (const [from, byType] of Object.entries(template.connections)) {
		if (!kept.has(from)) continue;
		connections[from] = Object.fromEntries(
			Object.entries(byType).map(([type, outputs]) => [type, outputs.map((targets) => targets.filter((c) => kept.has(c.node)))]),
		) as IConnections[string];
	}
	nodes.unshift({ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-200, 0], parameters: {} });
	return await runWorkflow({ nodes, connections, settings: { executionOrder: 'v1' } }, { credentials: options.credentials as never, executionId: options.executionId });
}

/** JSON of a node's output (first run), or [] when the node did not run. */
export function outputJson(run: WorkflowRun, node: string, output = 0): IDataObject[] {
	try {
		return (run.nodeOutputs(node)[output] ?? []).map((item) => item.json);
	} catch {
		return [];
	}
}

/** Rows of a tab as records keyed by the header row. */
export function tabRecords(values: unknown[][]): Record<string, unknown>[] {
	const [headers = [], ...rows] = values;
	return rows.map((row) => Object.fromEntries((headers as string[]).map((h, i) => [h, row[i] ?? null])));
}

/** Test credentials by type: the local Sheets server (OAuth2 with a preset token) and the local SMTP server. */
export function testCredentials(sheets: { url: string; tokenUrl: string }, smtp?: { host: string; port: number }): Record<string, IDataObject> {
	const credentials: Record<string, IDataObject> = {
		googleSheetsCrmOAuth2Api: {
			apiBaseUrl: sheets.url,
			grantType: 'authorizationCode',
			clientId: 'client',
			clientSecret: 'test',
			accessTokenUrl: sheets.tokenUrl,
			authUrl: `${sheets.url}/auth`,
			authentication: 'body',
			scope: 'https://www.googleapis.com/auth/spreadsheets',
			oauthTokenData: { access_token: 'test-access-token', token_type: 'Bearer' },
		},
	};
	if (smtp) credentials.smtp = { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true, user: '', password: '' };
	return credentials;
}
