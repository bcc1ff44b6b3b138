/**
 * A real IMAP server on 127.0.0.1 for the tests: a private Dovecot (Debian `dovecot-imapd`)
 * started as a child process with its own config, users and Maildir in a temp folder. The
 * system's dovecot service is never used or touched.
 *
 * It is made for n8n's Email Trigger (IMAP) node (n8n-nodes-base EmailReadImap v2, client
 * @n8n/imap on imapflow, which never sends STARTTLS). Its IMAP credential needs: User = `user`,
 * Password = `password`, Host = 127.0.0.1, Port = `port`, SSL/TLS off ("Allow Self-Signed
 * Certificates" does not matter).
 *
 * Mail arrives with `deliver()`, which writes into the Maildir the way a local delivery agent
 * does (tmp/, then an atomic rename into new/); Dovecot notices it through inotify, so an
 * IDLE-ing client such as n8n's trigger hears about it at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

export interface ImapServerOptions {
	/** Login name (default `leads@example.test`). */
	user?: string;
	/** Password (default `leads-password`). */
	password?: string;
	/** Keep the temp folder after close (for looking at dovecot.log). */
	keepFiles?: boolean;
}

export interface RunningImapServer {
	host: string;
	port: number;
	user: string;
	password: string;
	/** The temp folder holding config, log and mail. */
	directory: string;
	/** Dovecot's log file (errors from login and mailbox access land here). */
	logPath: string;
	/**
	 * Drops one RFC 822 message into a mailbox ('INBOX' or a folder name such as 'Leads').
	 * The message is unseen and has the \Recent flag for the first session that sees it.
	 */
	deliver(rawRfc822: string | Buffer, mailbox?: string): Promise<void>;
	close(): Promise<void>;
}

const HOST = '127.0.0.1';
const SETUP_SCRIPT = resolve(__dirname, '../../scripts/setup-imap.sh');
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** Where dovecot is, after installing it with scripts/setup-imap.sh when it is missing. */
export function ensureDovecot(): string {
	const candidates = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
	const found = candidates.find((path) => existsSync(path));
	if (found) return found;
	const setup = spawnSync('bash', [SETUP_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
	const installed = candidates.find((path) => existsSync(path));
	if (setup.status !== 0 || !installed) {
		throw new Error(`dovecot is not installed and ${SETUP_SCRIPT} could not install it (exit ${setup.status}); run it as root`);
	}
	return installed;
}

/** A port that was free a moment ago (dovecot binds it itself; start-up retries on a clash). */
function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => resolvePort(port));
		});
	});
}

interface MailOwner {
	uid: number;
	gid: number;
	/** Set when dovecot runs as root: it then needs its own system users for its processes. */
	asRoot: boolean;
	userName: string;
	groupName: string;
}

/**
 * Dovecot never gives mailbox access to uid 0, so as root the mail belongs to `nobody`
 * (65534, present on every Debian). As any other user, everything runs as that user
 * (Dovecot's "rootless" mode).
 */
function mailOwner(): MailOwner {
	const me = userInfo();
	if (me.uid === 0) return { uid: 65534, gid: 65534, asRoot: true, userName: me.username, groupName: '' };
	const groupName = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
	return { uid: me.uid, gid: me.gid, asRoot: false, userName: me.username, groupName };
}

function dovecotConfig(dir: string, port: number, owner: MailOwner): string {
	const rootless = owner.asRoot
		? ''
		: `default_login_user = ${owner.userName}
default_internal_user = ${owner.userName}
default_internal_group = ${owner.groupName}
`;
	return `# Private test instance written by test/servers/imapServer.ts; not the system dovecot.
protocols = imap
listen = ${HOST}
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = solo-sales-imap-${port}
log_path = ${dir}/dovecot.log
# Plain IMAP on loopback, as n8n connects with SSL/TLS off (and never STARTTLS).
ssl = no
disable_plaintext_auth = no
# Tests try wrong passwords on purpose; the default 2 s penalty only slows them down.
auth_failure_delay = 0
auth_mechanisms = plain login
login_greeting = solo-sales test IMAP server ready.
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${Math.min(owner.uid, 500)}
first_valid_gid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
${owner.asRoot ? '' : '  chroot =\n'}}
# No growing delay after failed logins from the same address (anvil's auth penalty).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
${owner.asRoot ? '' : '  chroot =\n'}}
${rootless}`;
}

function mailboxDirectory(mailRoot: string, mailbox: string): string {
	if (mailbox.toUpperCase() === 'INBOX') return mailRoot;
	if (!/^[^./\\][^/\\]*$/.test(mailbox)) throw new Error(`Mailbox name ${JSON.stringify(mailbox)} is not a plain folder name`);
	// Maildir++ (Dovecot's default layout): folder "Leads" is the directory ".Leads".
	return join(mailRoot, `.${mailbox}`);
}

function makeMaildir(dir: string, owner: MailOwner, isFolder: boolean): void {
	for (const sub of ['', 'new', 'cur', 'tmp']) {
		const path = join(dir, sub);
		mkdirSync(path, { recursive: true });
		if (owner.asRoot) chownSync(path, owner.uid, owner.gid);
	}
	if (isFolder) {
		const marker = join(dir, 'maildirfolder');
		writeFileSync(marker, '');
		if (owner.asRoot) chownSync(marker, owner.uid, owner.gid);
	}
}

/** Waits for the "* OK" greeting: dovecot is then ready to take logins. */
function waitForGreeting(port: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolveReady, reject) => {
		const attempt = () => {
			const failure = exited();
			if (failure !== undefined) return reject(new Error(failure));
			if (Date.now() > deadline) return reject(new Error(`dovecot did not greet on ${HOST}:${port} within ${timeoutMs} ms`));
			const socket = connect(port, HOST);
			let received = '';
			socket.setEncoding('utf8');
			socket.on('data', (chunk: string) => {
				received += chunk;
				if (received.includes('\r\n')) {
					socket.destroy();
					if (received.startsWith('* OK')) resolveReady();
					else setTimeout(attempt, 100);
				}
			});
			socket.on('error', () => {
				socket.destroy();
				setTimeout(attempt, 100);
			});
		};
		attempt();
	});
}

function logTail(logPath: string): string {
	if (!existsSync(logPath)) return '';
	return readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n');
}

let deliveries = 0;

export async function startImapServer(options: ImapServerOptions = {}): Promise<RunningImapServer> {
	const dovecot = ensureDovecot();
	const user = options.user ?? 'leads@example.test';
	const password = options.password ?? 'leads-password';
	if (/[:\n\r]/.test(user) || /[\n\r]/.test(password)) throw new Error('IMAP test user and password must not contain ":" or line breaks');
	const owner = mailOwner();

	const dir = mkdtempSync(join(tmpdir(), 'solo-sales-imap-'));
	// Dovecot's login and auth processes run as other users when started as root.
	chmodSync(dir, 0o755);
	for (const sub of ['run', 'state']) mkdirSync(join(dir, sub));
	const usersFile = join(dir, 'users');
	// passwd-file format: user:password:uid:gid:gecos:home:shell:extra (uid/home come from userdb).
	writeFileSync(usersFile, `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
	const mailRoot = join(dir, 'mail', user);
	mkdirSync(join(dir, 'mail'));
	if (owner.asRoot) chownSync(join(dir, 'mail'), owner.uid, owner.gid);
	makeMaildir(mailRoot, owner, false);
	const logPath = join(dir, 'dovecot.log');
	const configPath = join(dir, 'dovecot.conf');

	let child: ChildProcess | undefined;
	let port = 0;
	let lastError: Error | undefined;
	for (let attempt = 0; attempt < 3 && !child; attempt++) {
		port = await freePort();
		writeFileSync(configPath, dovecotConfig(dir, port, owner));
		const started = spawn(dovecot, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		let exitMessage: string | undefined;
		started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		started.once('exit', (code, signal) => {
			exitMessage = `dovecot exited during start-up (code ${code}, signal ${signal}): ${output.trim()}\n${logTail(logPath)}`;
		});
		started.once('error', (error) => {
			exitMessage = `dovecot could not be started: ${error.message}`;
		});
		try {
			await waitForGreeting(port, START_TIMEOUT_MS, () => exitMessage);
			child = started;
		} catch (error) {
			lastError = error as Error;
			if (exitMessage === undefined) started.kill('SIGKILL');
		}
	}
	if (!child) {
		if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
		throw lastError ?? new Error('dovecot did not start');
	}
	const running = child;
	// If the test process ends without close(), don't leave a dovecot behind.
	const stopOnExit = () => running.kill('SIGTERM');
	process.once('exit', stopOnExit);

	return {
		host: HOST,
		port,
		user,
		password,
		directory: dir,
		logPath,
		async deliver(rawRfc822, mailbox = 'INBOX') {
			const target = mailboxDirectory(mailRoot, mailbox);
			if (!existsSync(join(target, 'new'))) makeMaildir(target, owner, target !== mailRoot);
			// Maildir unique name: time, pid and a counter, then the host (maildir(5)).
			const now = Date.now();
			const unique = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++deliveries}.${hostname().replace(/[/:]/g, '_')}`;
			const tmpPath = join(target, 'tmp', unique);
			const body = typeof rawRfc822 === 'string' ? rawRfc822.replace(/\r?\n/g, '\r\n') : rawRfc822;
			writeFileSync(tmpPath, body, { mode: 0o644 });
			if (owner.asRoot) chownSync(tmpPath, owner.uid, owner.gid);
			renameSync(tmpPath, join(target, 'new', unique));
		},
		close() {
			return new Promise<void>((resolveClosed) => {
				const finish = () => {
					process.off('exit', stopOnExit);
					if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
					resolveClosed();
				};
				if (running.exitCode !== null || running.signalCode !== null) return finish();
				const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
				running.once('exit', () => {
					clearTimeout(timer);
					finish();
				});
				// SIGTERM makes the master stop its login and imap processes before exiting.
				running.kill('SIGTERM');
			});
		},
	};
}
