import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import { createTransport } from 'nodemailer';
import { startSmtpServer, type RunningSmtpServer } from '../../servers/smtpServer';

/**
 * The nodemailer options n8n's Send Email node builds from its SMTP credential
 * (n8n-nodes-base 2.41.1, nodes/EmailSend/v2/utils.js `configureTransport`), repeated here so
 * the server is tested with the settings n8n really sends.
 */
interface N8nSmtpCredential {
	user: string;
	password: string;
	host: string;
	port: number;
	secure: boolean;
	disableStartTls?: boolean;
	hostName?: string;
}
function n8nTransport(credentials: N8nSmtpCredential, allowUnauthorizedCerts = false) {
	const options: Record<string, unknown> = { host: credentials.host, port: credentials.port, secure: credentials.secure };
	if (credentials.secure === false) options.ignoreTLS = credentials.disableStartTls;
	if (credentials.hostName) options.name = credentials.hostName;
	if (credentials.user || credentials.password) options.auth = { user: credentials.user, pass: credentials.password };
	if (allowUnauthorizedCerts) options.tls = { rejectUnauthorized: false };
	return createTransport(options, { disableFileAccess: true, disableUrlAccess: true });
}

/** A line-based SMTP client over a raw socket: send a line, read the complete reply. */
class RawSmtp {
	private buffer = '';
	private waiting: (() => void) | undefined;
	private constructor(private readonly socket: Socket) {
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			this.buffer += chunk;
			this.waiting?.();
		});
	}
	static async open(port: number): Promise<{ client: RawSmtp; greeting: string }> {
		const socket = connect(port, '127.0.0.1');
		await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
		const client = new RawSmtp(socket);
		return { client, greeting: await client.reply() };
	}
	/** A reply ends with a line "NNN text" (a space after the code, not a dash). */
	reply(): Promise<string> {
		return new Promise((resolve) => {
			const check = () => {
				const lines = this.buffer.split('\r\n');
				const last = lines.findIndex((line) => /^\d{3} /.test(line));
				if (last < 0) return;
				const reply = lines.slice(0, last + 1).join('\r\n');
				this.buffer = lines.slice(last + 1).join('\r\n');
				this.waiting = undefined;
				resolve(reply);
			};
			this.waiting = check;
			check();
		});
	}
	async send(line: string): Promise<string> {
		this.socket.write(`${line}\r\n`);
		return this.reply();
	}
	close() {
		this.socket.destroy();
	}
}

describe('test SMTP server (smtp-server on loopback)', () => {
	let server: RunningSmtpServer;
	beforeAll(async () => {
		server = await startSmtpServer();
	});
	afterAll(async () => {
		await server.close();
	});
	beforeEach(() => server.clear());

	it('listens on 127.0.0.1 and does not offer STARTTLS, but offers AUTH on the plain connection', async () => {
		expect(server.host).toBe('127.0.0.1');
		const { client, greeting } = await RawSmtp.open(server.port);
		try {
			expect(greeting).toMatch(/^220 /);
			const ehlo = await client.send('EHLO client.example.test');
			expect(ehlo).toMatch(/^250[ -]/);
			expect(ehlo).not.toMatch(/STARTTLS/);
			expect(ehlo).toMatch(/^250[ -]AUTH .*\bPLAIN\b/m);
			expect(ehlo).toMatch(/^250[ -]AUTH .*\bLOGIN\b/m);
			expect(await client.send('STARTTLS')).toMatch(/^50\d /);
		} finally {
			client.close();
		}
	});

	it('captures a message sent through a raw SMTP dialogue, including Bcc recipients in the envelope', async () => {
		const { client } = await RawSmtp.open(server.port);
		try {
			await client.send('EHLO client.example.test');
			expect(await client.send('MAIL FROM:<founder@example.test>')).toMatch(/^250 /);
			expect(await client.send('RCPT TO:<lead@example.test>')).toMatch(/^250 /);
			expect(await client.send('RCPT TO:<hidden@example.test>')).toMatch(/^250 /);
			expect(await client.send('DATA')).toMatch(/^354 /);
			const body = [
				'From: Founder <founder@example.test>',
				'To: Lead <lead@example.test>',
				'Subject: Raw hello',
				'Message-ID: <raw-1@example.test>',
				'',
				'First line',
				'..a line that starts with a dot',
				'.',
			].join('\r\n');
			expect(await client.send(body)).toMatch(/^250 /);
			await client.send('QUIT');
		} finally {
			client.close();
		}
		const [mail] = await server.waitForMessages(1);
		expect(mail.from).toBe('founder@example.test');
		expect(mail.fromName).toBe('Founder');
		expect(mail.to).toEqual(['lead@example.test']);
		expect(mail.envelopeFrom).toBe('founder@example.test');
		expect(mail.envelopeTo).toEqual(['lead@example.test', 'hidden@example.test']);
		expect(mail.subject).toBe('Raw hello');
		expect(mail.messageId).toBe('<raw-1@example.test>');
		// The dot-stuffed line arrives un-stuffed (RFC 5321 section 4.5.2).
		expect(mail.text.trimEnd()).toBe('First line\n.a line that starts with a dot');
		expect(mail.raw).toContain('\r\n.a line that starts with a dot');
		expect(mail.raw).not.toContain('..a line');
		expect(mail.authUser).toBeUndefined();
	});

	it.each([
		['STARTTLS left on (n8n default)', false],
		['Disable STARTTLS on', true],
	])('receives mail from nodemailer configured like n8n with SSL/TLS off, %s', async (_label, disableStartTls) => {
		const transport = n8nTransport({
			user: 'anyone',
			password: 'anything',
			host: server.host,
			port: server.port,
			secure: false,
			disableStartTls,
			hostName: 'n8n.example.test',
		});
		const html = '<p>Thanks for your inquiry, <b>Ana</b>.</p>';
		await transport.sendMail({
			from: 'Solo Founder <founder@example.test>',
			to: 'ana@example.test, bo@example.test',
			cc: 'crm@example.test',
			replyTo: 'replies@example.test',
			subject: 'Thanks for reaching out',
			text: 'Thanks for your inquiry, Ana.',
			html,
			attachments: [{ filename: 'funnel.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"/>', contentType: 'image/svg+xml' }],
		});
		transport.close();
		const [mail] = await server.waitForMessages(1);
		expect(mail.from).toBe('founder@example.test');
		expect(mail.fromName).toBe('Solo Founder');
		expect(mail.to).toEqual(['ana@example.test', 'bo@example.test']);
		expect(mail.cc).toEqual(['crm@example.test']);
		expect(mail.replyTo).toEqual(['replies@example.test']);
		expect(mail.envelopeTo.sort()).toEqual(['ana@example.test', 'bo@example.test', 'crm@example.test']);
		expect(mail.subject).toBe('Thanks for reaching out');
		expect(mail.text.trim()).toBe('Thanks for your inquiry, Ana.');
		expect(mail.html).toContain(html);
		expect(mail.attachments).toHaveLength(1);
		expect(mail.attachments[0].filename).toBe('funnel.svg');
		expect(mail.attachments[0].contentType).toBe('image/svg+xml');
		expect(mail.attachments[0].content.toString('utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
		expect(mail.authUser).toBe('anyone');
	});

	it('accepts mail without any login (n8n credential with empty user and password)', async () => {
		const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: false });
		await transport.sendMail({ from: 'founder@example.test', to: 'x@example.test', subject: 'No auth', text: 'hi' });
		transport.close();
		const [mail] = await server.waitForMessages(1);
		expect(mail.subject).toBe('No auth');
		expect(mail.authUser).toBeUndefined();
	});

	it('decodes non-Latin names and subjects (RFC 2047 encoded words)', async () => {
		const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: false });
		await transport.sendMail({
			from: '"Zoë Ångström" <zoe@example.test>',
			to: '"山田 花子" <hanako@example.test>',
			subject: 'Привет — 你好 — مرحبا',
			text: 'Grüße, 山田さん',
		});
		transport.close();
		const [mail] = await server.waitForMessages(1);
		expect(mail.fromName).toBe('Zoë Ångström');
		expect(mail.to).toEqual(['hanako@example.test']);
		expect(mail.subject).toBe('Привет — 你好 — مرحبا');
		expect(mail.text.trim()).toBe('Grüße, 山田さん');
	});

	it('round-trips arbitrary subjects and bodies (property)', async () => {
		const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: false });
		// Printable text without leading/trailing blanks: mail bodies are line-based and parsers trim the ends.
		// Basic Multilingual Plane only: nodemailer (6.9 here, 8.0 in n8n 2.41.1) splits long RFC 2047
		// subjects inside a surrogate pair and sends U+FFFD, a client bug the server cannot undo.
		const bmpCharacter = fc
			.integer({ min: 0x20, max: 0xfffd })
			.filter((code) => (code < 0x7f || code > 0x9f) && (code < 0xd800 || code > 0xdfff) && code !== 0x2028 && code !== 0x2029)
			.map((code) => String.fromCharCode(code));
		const line = fc
			.string({ unit: bmpCharacter, minLength: 1, maxLength: 80 })
			.map((text) => text.trim())
			.filter((text) => text.length > 0);
		await fc.assert(
			fc.asyncProperty(line, fc.array(line, { minLength: 1, maxLength: 5 }), async (subject, lines) => {
				server.clear();
				const text = lines.join('\n');
				await transport.sendMail({ from: 'founder@example.test', to: 'lead@example.test', subject, text });
				const [mail] = await server.waitForMessages(1, 3000);
				expect(mail.subject).toBe(subject);
				expect(mail.text.replace(/\s+$/, '')).toBe(text);
			}),
			{ numRuns: 30 },
		);
		transport.close();
	});

	it('keeps messages from concurrent connections apart', async () => {
		const sends = Array.from({ length: 8 }, async (_, index) => {
			const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: false });
			await transport.sendMail({ from: 'founder@example.test', to: `lead${index}@example.test`, subject: `Message ${index}`, text: `Body ${index}` });
			transport.close();
		});
		await Promise.all(sends);
		const mails = await server.waitForMessages(8);
		const pairs = mails.map((mail) => [mail.to[0], mail.subject, mail.text.trim()]).sort((a, b) => a[0].localeCompare(b[0]));
		expect(pairs).toEqual(Array.from({ length: 8 }, (_, index) => [`lead${index}@example.test`, `Message ${index}`, `Body ${index}`]));
	});

	it('waitForMessages rejects with a clear message when too few arrive', async () => {
		await expect(server.waitForMessages(1, 200)).rejects.toThrow('expected 1 message(s) within 200 ms, got 0');
	});
});

describe('test SMTP server with required credentials', () => {
	let server: RunningSmtpServer;
	beforeAll(async () => {
		server = await startSmtpServer({ user: 'founder@example.test', password: 's3cret' });
	});
	afterAll(async () => {
		await server.close();
	});

	it('rejects a wrong password and a missing login, accepts the right ones', async () => {
		const base = { host: server.host, port: server.port, secure: false, disableStartTls: true };
		const wrong = n8nTransport({ ...base, user: 'founder@example.test', password: 'nope' });
		await expect(wrong.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ code: 'EAUTH' });
		wrong.close();
		const anonymous = n8nTransport({ ...base, user: '', password: '' });
		await expect(anonymous.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' })).rejects.toThrow(/auth/i);
		anonymous.close();
		const right = n8nTransport({ ...base, user: 'founder@example.test', password: 's3cret' });
		await right.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Authorized', text: 'x' });
		right.close();
		const mails = await server.waitForMessages(1);
		expect(mails.map((mail) => mail.subject)).toEqual(['Authorized']);
		expect(mails[0].authUser).toBe('founder@example.test');
	});
});

describe('test SMTP server with implicit TLS', () => {
	it('works with n8n SSL/TLS on when the node allows unauthorized certificates', async () => {
		const server = await startSmtpServer({ secure: true });
		try {
			const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: true }, true);
			await transport.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Over TLS', text: 'x' });
			transport.close();
			const [mail] = await server.waitForMessages(1);
			expect(mail.subject).toBe('Over TLS');
			const strict = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: true });
			await expect(strict.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' })).rejects.toThrow(/certificate/i);
			strict.close();
		} finally {
			await server.close();
		}
	});
});

describe('message size limit', () => {
	it('refuses a message over maxMessageBytes and keeps nothing', async () => {
		const server = await startSmtpServer({ maxMessageBytes: 2000 });
		try {
			const transport = n8nTransport({ user: '', password: '', host: server.host, port: server.port, secure: false });
			await expect(transport.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'big', text: 'x'.repeat(5000) })).rejects.toThrow(/552|size/i);
			transport.close();
			expect(server.messages).toHaveLength(0);
		} finally {
			await server.close();
		}
	});
});
