/**
 * The package inside real n8n (the pinned 2.41.1): `npm pack` tarball installed the way n8n's
 * community-packages service installs it, loaded by `n8n start` without errors or warnings,
 * its node types listed by the editor API, and a template executed with `n8n execute`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	ROOT,
	RUNTIME,
	PACKAGE_NAME,
	executeWorkflow,
	importWorkflow,
	nodeJson,
	packPackage,
	prepareUserFolder,
	startN8n,
	type RunningN8n,
} from './n8nInstance';
import { loadUclaAdmissions } from '../unit/lead/helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
function bcryptHash(password: string): string {
	// n8n's own bcryptjs, as n8n checks the preset owner's password with it.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const bcrypt = require(join(RUNTIME, 'node_modules', 'bcryptjs')) as { hashSync: (s: string, rounds: number) => string };
	return bcrypt.hashSync(password, 10);
}

const expectedNodeNames = ['leadScorer', 'funnelAnalyzer', 'campaignEvaluator', 'clvCalculator', 'stageMover', 'salesCrmSheet'];

describe('the packed package in real n8n', () => {
	let userFolder: string;
	let tarball: string;

	beforeAll(() => {
		tarball = packPackage();
		userFolder = prepareUserFolder(tarball);
	}, 300_000);

	it('packs dist/ only, with every node and credential the package.json lists', () => {
		const files = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.trim().split('\n');
		const outside = files.filter((f) => !/^package\/(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f));
		expect(outside).toEqual([]);
		for (const path of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(files).toContain(`package/${path}`);
		}
		expect(files.some((f) => f.endsWith('.test.js'))).toBe(false);
	});

	describe('n8n start', () => {
		let n8n: RunningN8n;
		beforeAll(async () => {
			n8n = await startN8n(userFolder, {
				N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
				N8N_INSTANCE_OWNER_EMAIL: 'owner@example.test',
				N8N_INSTANCE_OWNER_FIRST_NAME: 'Test',
				N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
				N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash('Owner-Pass-1'),
				N8N_LOG_LEVEL: 'debug',
			});
		}, 240_000);
		afterAll(async () => n8n?.stop());

		it('loads the package with no error or warning about it', () => {
			const lines = n8n.logs().split('\n');
			const aboutUs = lines.filter((l) => l.includes(PACKAGE_NAME) || /solo.?sales/i.test(l));
			const problems = aboutUs.filter((l) => /\b(error|warn(ing)?)\b/i.test(l));
			expect(problems).toEqual([]);
			const anyProblemLoadingNodes = lines.filter((l) => /error.*(loading|load) (community )?(package|node)/i.test(l));
			expect(anyProblemLoadingNodes).toEqual([]);
		});

		it('lists every node of the package in the editor API under the package name', async () => {
			const login = await fetch(`${n8n.url}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: 'owner@example.test', password: 'Owner-Pass-1' }),
			});
			expect(login.status).toBe(200);
			const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
			const res = await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie } });
			expect(res.status).toBe(200);
			const types = (await res.json()) as Array<{ name: string; displayName: string }>;
			const ours = types.filter((t) => t.name.startsWith(`${PACKAGE_NAME}.`)).map((t) => t.name.split('.')[1]);
			// Each node is also offered as an AI tool (usableAsTool), as <name>Tool.
			expect(ours.sort()).toEqual(expectedNodeNames.flatMap((n) => [n, `${n}Tool`]).sort());
		});
	});

	it('imports the demo template and executes it successfully with `n8n execute`', () => {
		const demo = JSON.parse(readFileSync(join(ROOT, 'workflows', 'solo-sales-demo.json'), 'utf8')) as { id: string; nodes: Array<{ type: string }> };
		expect(demo.nodes.every((n) => !n.type.startsWith('CUSTOM.'))).toBe(true);
		importWorkflow(userFolder, demo);
		// The demo reads the sample CRM shipped in the installed package (dist/demo-data).
		const files = mkdtempSync(join(tmpdir(), 'solo-sales-files-'));
		cpSync(join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'dist', 'demo-data'), join(files, 'demo-data'), { recursive: true });
		mkdirSync(join(files, 'reports'));
		const result = executeWorkflow(userFolder, demo.id, { SOLO_SALES_FILES_DIR: files, N8N_RESTRICT_FILE_ACCESS_TO: files });
		expect(result.error).toBeUndefined();
		expect(result.code).toBe(0);
		const funnel = nodeJson(result, 'Funnel Analyzer');
		expect(funnel).toHaveLength(1);
		expect(funnel[0].steps).toHaveLength(6);
		const report = readFileSync(join(files, 'reports', 'weekly-report.html'), 'utf8');
		expect(report).toContain(String(funnel[0].sentence).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
		expect((report.match(/<svg[\s>]/g) ?? []).length).toBe(3);
	});
	// Training runs its inner loops as WebAssembly bytes shipped inside the package (on Node 24,
	// which n8n runs on, that kernel is the one used: trainingKernel.test.ts). The installed
	// package must train inside n8n and give R's published fit.
	it("trains a lead model inside n8n from the installed package, with R glm's published coefficients", () => {
		const history = loadUclaAdmissions().map((r) => ({ ...r, rank: String(r.rank) }));
		const workflow = {
			id: 'PackageTrainLead1',
			name: 'Package: train a lead model',
			active: false,
			nodes: [
				{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: '2', name: 'History', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return ${JSON.stringify(history)}.map((json) => ({ json }));` } },
				{
					id: '3',
					name: 'Train',
					type: `${PACKAGE_NAME}.leadScorer`,
					typeVersion: 1,
					position: [400, 0],
					parameters: { operation: 'trainModel', outcomeField: 'admit', numericFields: 'gre, gpa', categoryFields: 'rank' },
				},
			],
			connections: {
				Start: { main: [[{ node: 'History', type: 'main', index: 0 }]] },
				History: { main: [[{ node: 'Train', type: 'main', index: 0 }]] },
			},
			settings: {},
		};
		importWorkflow(userFolder, workflow);
		const result = executeWorkflow(userFolder, workflow.id);
		expect(result.error).toBeUndefined();
		const [report] = nodeJson(result, 'Train');
		// UCLA IDRE "Logit Regression | R Data Analysis Examples" (test/unit/lead/data/SOURCE.md).
		const published: Array<[string, number, number]> = [
			['(Intercept)', -3.989979, 1.139951],
			['gre', 0.002264, 0.001094],
			['gpa', 0.804038, 0.331819],
			['rank=2', -0.675443, 0.31649],
			['rank=3', -1.340204, 0.345306],
			['rank=4', -1.551464, 0.417832],
		];
		const coefficients = report.coefficients as Array<{ name: string; estimate: number; stdError: number }>;
		expect(coefficients.map((c) => c.name)).toEqual(published.map(([name]) => name));
		coefficients.forEach((c, i) => {
			expect(c.estimate).toBeCloseTo(published[i][1], 6);
			expect(c.stdError).toBeCloseTo(published[i][2], 6);
		});
		expect(report.deviance).toBeCloseTo(458.52, 2);
		expect(report.converged).toBe(true);
	});
});

