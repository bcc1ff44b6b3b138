import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startImapServer, type RunningImapServer } from '../../servers/imapServer';

/**
 * A minimal IMAP4rev1 client over a raw socket (RFC 3501): tagged commands, responses read
 * up to the tagged completion, literals ({n}) skipped by byte count so message bodies that
 * contain anything cannot confuse it.
 */
class RawImap {
	private buffer = Buffer.alloc(0);
	private tagCounter = 0;
	private onData: (() => void) | undefined;
	private constructor(private readonly socket: Socket) {
		socket.on('data', (chunk: Buffer) => {
			this.buffer = Buffer.concat([this.buffer, chunk]);
			this.onData?.();
		});
	}
	static async open(port: number): Promise<{ client: RawImap; greeting: string }> {
		const socket = connect(port, '127.0.0.1');
		await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
		const client = new RawImap(socket);
		const greeting = await client.readUntil((line) => line.startsWith('* '));
		return { client, greeting: greeting.text };
	}
	/** Reads whole lines (with their literals) until `done(line)` holds for a line outside any literal. */
	readUntil(done: (line: string) => boolean, timeoutMs = 5000): Promise<{ text: string; literals: Buffer[] }> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.onData = undefined;
				reject(new Error(`IMAP: no complete response within ${timeoutMs} ms; have ${JSON.stringify(this.buffer.toString('utf8'))}`));
			}, timeoutMs);
			const check = () => {
				let position = 0;
				const lines: string[] = [];
				const literals: Buffer[] = [];
				for (;;) {
					const end = this.buffer.indexOf('\r\n', position);
					if (end < 0) return;
					const line = this.buffer.subarray(position, end).toString('utf8');
					lines.push(line);
					position = end + 2;
					const literal = /\{(\d+)\}$/.exec(line);
					if (literal) {
						const size = Number(literal[1]);
						if (this.buffer.length < position + size) return;
						literals.push(Buffer.from(this.buffer.subarray(position, position + size)));
						position += size;
						continue;
					}
					if (done(line)) break;
				}
				this.buffer = this.buffer.subarray(position);
				clearTimeout(timer);
				this.onData = undefined;
				resolve({ text: lines.join('\r\n'), literals });
			};
			this.onData = check;
			check();
		});
	}
	/** Sends a tagged command; resolves with all lines up to its completion and the status (OK/NO/BAD). */
	async command(command: string): Promise<{ status: string; text: string; literals: Buffer[] }> {
		const tag = `A${++this.tagCounter}`;
		this.socket.write(`${tag} ${command}\r\n`);
		const response = await this.readUntil((line) => line.startsWith(`${tag} `));
		const last = response.text.split('\r\n').pop() ?? '';
		return { status: last.split(' ')[1], text: response.text, literals: response.literals };
	}
	write(text: string) {
		this.socket.write(text);
	}
	close() {
		this.socket.destroy();
	}
}

const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

async function login(server: RunningImapServer): Promise<RawImap> {
	const { client } = await RawImap.open(server.port);
	const result = await client.command(`LOGIN ${quoted(server.user)} ${quoted(server.password)}`);
	expect(result.status).toBe('OK');
	return client;
}

function inquiry(index: number, subject: string, body: string): string {
	return [
		`From: Prospect ${index} <prospect${index}@example.test>`,
		'To: leads@example.test',
		`Subject: ${subject}`,
		'Date: Sat, 21 Nov 2026 10:00:00 +0000',
		`Message-ID: <inquiry-${index}@example.test>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: 8bit',
		'',
		body,
		'',
	].join('\r\n');
}

describe('test IMAP server (private dovecot on loopback)', () => {
	let server: RunningImapServer;
	beforeAll(async () => {
		server = await startImapServer();
	}, 600_000);
	afterAll(async () => {
		await server?.close();
	});

	it('greets on 127.0.0.1 and allows plaintext login without TLS (n8n: SSL/TLS off)', async () => {
		expect(server.host).toBe('127.0.0.1');
		expect(server.user).toBe('leads@example.test');
		const { client, greeting } = await RawImap.open(server.port);
		try {
			expect(greeting).toMatch(/^\* OK /);
			const capability = await client.command('CAPABILITY');
			expect(capability.status).toBe('OK');
			expect(capability.text).toMatch(/\* CAPABILITY .*IMAP4rev1/i);
			expect(capability.text).toMatch(/\bAUTH=PLAIN\b/);
			// n8n's client never sends STARTTLS, so a server that demands it would lock it out.
			expect(capability.text).not.toMatch(/LOGINDISABLED|STARTTLS/);
		} finally {
			client.close();
		}
	});

	it('rejects a wrong password and accepts LOGIN and AUTHENTICATE PLAIN with the right one', async () => {
		const { client } = await RawImap.open(server.port);
		try {
			const wrong = await client.command(`LOGIN ${quoted(server.user)} "not-the-password"`);
			expect(wrong.status).toBe('NO');
			const right = await client.command(`LOGIN ${quoted(server.user)} ${quoted(server.password)}`);
			expect(right.status).toBe('OK');
			await client.command('LOGOUT');
		} finally {
			client.close();
		}
		const { client: second } = await RawImap.open(server.port);
		try {
			// SASL PLAIN: authzid NUL authcid NUL password (RFC 4616), sent inline (SASL-IR, RFC 4959).
			const token = Buffer.from(`\u0000${server.user}\u0000${server.password}`).toString('base64');
			const result = await second.command(`AUTHENTICATE PLAIN ${token}`);
			expect(result.status).toBe('OK');
			expect(result.text).toMatch(/\* CAPABILITY .*IDLE|OK \[CAPABILITY .*IDLE/);
		} finally {
			second.close();
		}
	});

	it('serves delivered messages byte for byte: SELECT, UID SEARCH UNSEEN, FETCH', async () => {
		const first = inquiry(1, 'Pricing question', 'Hello,\r\nwhat does the pro plan cost?\r\nAna');
		const second = inquiry(2, '=?UTF-8?B?' + Buffer.from('Demo-Anfrage für Ärzte — 山田').toString('base64') + '?=', 'Grüße aus Köln, 山田です');
		await server.deliver(first);
		await server.deliver(second);
		const client = await login(server);
		try {
			const select = await client.command('SELECT INBOX');
			expect(select.status).toBe('OK');
			expect(select.text).toMatch(/^\* 2 EXISTS$/m);
			const unseen = await client.command('UID SEARCH UNSEEN');
			expect(unseen.text).toMatch(/^\* SEARCH 1 2$/m);
			const fetch = await client.command('UID FETCH 1:2 (UID FLAGS BODY.PEEK[])');
			expect(fetch.status).toBe('OK');
			expect(fetch.literals.map((literal) => literal.toString('utf8'))).toEqual([first, second]);
			const envelope = await client.command('FETCH 2 (ENVELOPE)');
			expect(envelope.text).toContain('inquiry-2@example.test');
			// PEEK leaves them unseen, so a trigger that searches UNSEEN still finds them.
			expect((await client.command('UID SEARCH UNSEEN')).text).toMatch(/^\* SEARCH 1 2$/m);
			await client.command('UID STORE 1 +FLAGS (\\Seen)');
			expect((await client.command('UID SEARCH UNSEEN')).text).toMatch(/^\* SEARCH 2$/m);
			await client.command('LOGOUT');
		} finally {
			client.close();
		}
	});

	it('tells an IDLE-ing client about a new delivery (how the n8n trigger learns of new mail)', async () => {
		const client = await login(server);
		try {
			const select = await client.command('SELECT INBOX');
			const before = Number(/^\* (\d+) EXISTS$/m.exec(select.text)?.[1]);
			client.write('I1 IDLE\r\n');
			await client.readUntil((line) => line.startsWith('+ '));
			await server.deliver(inquiry(3, 'Arrived during IDLE', 'ping'));
			const update = await client.readUntil((line) => /^\* \d+ EXISTS$/.test(line), 10_000);
			expect(update.text).toMatch(new RegExp(`^\\* ${before + 1} EXISTS$`, 'm'));
			client.write('DONE\r\n');
			await client.readUntil((line) => line.startsWith('I1 '));
			const fetch = await client.command(`FETCH ${before + 1} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])`);
			expect(fetch.literals[0].toString('utf8')).toContain('Subject: Arrived during IDLE');
		} finally {
			client.close();
		}
	});

	it('delivers into other folders (Maildir++), which LIST and SELECT then see', async () => {
		await server.deliver(inquiry(4, 'Filed under Leads', 'body'), 'Leads');
		const client = await login(server);
		try {
			const list = await client.command('LIST "" "*"');
			expect(list.text).toMatch(/^\* LIST \([^)]*\) "." Leads$/m);
			const select = await client.command('SELECT Leads');
			expect(select.text).toMatch(/^\* 1 EXISTS$/m);
			const fetch = await client.command('FETCH 1 (BODY.PEEK[])');
			expect(fetch.literals[0].toString('utf8')).toContain('Subject: Filed under Leads');
		} finally {
			client.close();
		}
		await expect(server.deliver('x', '../escape')).rejects.toThrow('not a plain folder name');
	});

	it('round-trips arbitrary message bodies (property)', async () => {
		const client = await login(server);
		try {
			await client.command('SELECT INBOX');
			// Lines of printable Unicode (no CR/LF inside a line); the message uses CRLF line ends.
			const line = fc.string({ unit: 'grapheme', maxLength: 60 }).map((text) => text.replace(/[\r\n]/g, ' '));
			let index = 100;
			await fc.assert(
				fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (lines) => {
					const raw = inquiry(++index, `Property ${index}`, lines.join('\r\n'));
					await server.deliver(raw);
					// NOOP lets dovecot rescan the Maildir and report the new message.
					const noop = await client.command('NOOP');
					const exists = Number(/^\* (\d+) EXISTS$/m.exec(noop.text)?.[1]);
					const fetch = await client.command(`FETCH ${exists} (BODY.PEEK[])`);
					expect(fetch.literals[0].equals(Buffer.from(raw, 'utf8'))).toBe(true);
				}),
				{ numRuns: 25 },
			);
		} finally {
			client.close();
		}
	});
});

describe('test IMAP server life cycle', () => {
	it('runs two instances side by side with their own users, and close() stops and cleans up', async () => {
		const one = await startImapServer({ user: 'one@example.test', password: 'pw-one' });
		const two = await startImapServer({ user: 'two@example.test', password: 'pw-two' });
		try {
			expect(one.port).not.toBe(two.port);
			await one.deliver(inquiry(1, 'Only in one', 'x'));
			const clientTwo = await login(two);
			const selectTwo = await clientTwo.command('SELECT INBOX');
			expect(selectTwo.text).toMatch(/^\* 0 EXISTS$/m);
			const crossLogin = await clientTwo.command(`LOGIN ${quoted(one.user)} ${quoted(one.password)}`);
			expect(crossLogin.status).not.toBe('OK');
			clientTwo.close();
		} finally {
			await one.close();
			await two.close();
		}
		expect(existsSync(one.directory)).toBe(false);
		await expect(RawImap.open(one.port)).rejects.toThrow(/ECONNREFUSED/);
	});
});
