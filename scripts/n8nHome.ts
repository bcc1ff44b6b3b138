/**
 * Sets up the project-local n8n home (.n8n-home/) used by `npm start` and `npm run demo`:
 * the packed package installed the way n8n installs community packages, the demo data in
 * n8n's allowed files folder, and every template plus the demo workflow imported.
 *
 *   node .build-bench/scripts/n8nHome.js start   -> prepares, then runs `n8n start` on 127.0.0.1:5678
 *   node .build-bench/scripts/n8nHome.js demo    -> prepares, then runs the demo workflow headless
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
	ROOT,
	RUNTIME,
	N8N_BIN,
	NODE24,
	assertRuntimeInstalled,
	executeWorkflow,
	importWorkflow,
	installCommunityPackage,
	n8nCli,
	n8nEnv,
	packPackage,
} from '../test/e2e/n8nInstance';

export const HOME = join(ROOT, '.n8n-home');
export const FILES_DIR = join(HOME, 'files');
export const DEMO_DATA_DIR = join(FILES_DIR, 'demo-data');
export const REPORTS_DIR = join(FILES_DIR, 'reports');
export const DEMO_WORKFLOW_ID = 'SoloSalesDemo001';
const OWNER = { email: 'founder@example.com', password: 'SoloSales-Demo-1', firstName: 'Solo', lastName: 'Founder' };

/** Environment that lets the demo read its data and write its report inside .n8n-home/files. */
export function homeEnv(): Record<string, string> {
	return {
		N8N_RESTRICT_FILE_ACCESS_TO: FILES_DIR,
		SOLO_SALES_FILES_DIR: FILES_DIR,
	};
}

function ownerEnv(): Record<string, string> {
	// n8n's own bcryptjs hashes the preset owner's password.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const bcrypt = require(join(RUNTIME, 'node_modules', 'bcryptjs')) as { hashSync: (s: string, rounds: number) => string };
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
	};
}

export function prepareHome(): void {
	assertRuntimeInstalled();
	mkdirSync(HOME, { recursive: true });
	const tarball = packPackage();
	installCommunityPackage(HOME, tarball);
	rmSync(DEMO_DATA_DIR, { recursive: true, force: true });
	mkdirSync(REPORTS_DIR, { recursive: true });
	cpSync(join(ROOT, 'demo', 'data'), DEMO_DATA_DIR, { recursive: true });
	const files = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
	for (const file of files) {
		importWorkflow(HOME, JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as object);
	}
	console.log(`Imported ${files.length} workflows into ${HOME}`);
}

async function start(): Promise<void> {
	prepareHome();
	const env = n8nEnv(HOME, { ...homeEnv(), ...ownerEnv(), N8N_PORT: '5678', N8N_LOG_LEVEL: 'warn' });
	console.log('\nStarting n8n on http://127.0.0.1:5678');
	console.log(`Log in as ${OWNER.email} with password ${OWNER.password}`);
	console.log(`Demo report (after running "Solo Sales demo"): ${join(REPORTS_DIR, 'weekly-report.html')}\n`);
	const child = spawn(NODE24, [N8N_BIN, 'start'], { env, stdio: 'inherit', cwd: HOME });
	const stop = () => child.kill('SIGTERM');
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await new Promise<void>((resolve) => child.on('exit', () => resolve()));
}

function demo(): void {
	prepareHome();
	const result = executeWorkflow(HOME, DEMO_WORKFLOW_ID, homeEnv());
	const report = join(REPORTS_DIR, 'weekly-report.html');
	if (result.code !== 0 || result.error || !existsSync(report)) {
		console.error(result.output.slice(-6000));
		console.error('The demo workflow failed.');
		process.exitCode = 1;
		return;
	}
	console.log(`The demo ran in real n8n. Weekly report: ${report}`);
	console.log('Open it in a browser, or run `npm start` and look at the "Solo Sales demo" execution in the editor.');
}

if (require.main === module) {
	const command = process.argv[2];
	if (command === 'start') void start();
	else if (command === 'demo') demo();
	else if (command === 'cli') console.log(n8nCli(HOME, process.argv.slice(3)).output);
	else {
		console.error('usage: n8nHome.js start | demo | cli <n8n args>');
		process.exitCode = 2;
	}
}
