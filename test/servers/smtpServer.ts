/**
 * A real SMTP server on 127.0.0.1 for the tests (npm `smtp-server`), capturing every message
 * it accepts and parsing it with mailparser.
 *
 * It is made for n8n's Send Email node (nodemailer, n8n-nodes-base EmailSend v2), whose SMTP
 * credential has: user, password, host, port, SSL/TLS (`secure`), Disable STARTTLS and Client
 * Host Name. Point it at this server with host 127.0.0.1, the port from `startSmtpServer()`,
 * SSL/TLS off. STARTTLS is not offered at all, so the "Disable STARTTLS" switch may be on or
 * off. User and password may be empty (no AUTH) or anything (any login is accepted) unless
 * the server was started with a `user`/`password`, which it then requires.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions } from 'smtp-server';

export interface CapturedAttachment {
	filename: string | undefined;
	contentType: string;
	size: number;
	content: Buffer;
}

/** One accepted message, parsed. Addresses are plain `name@domain` strings. */
export interface CapturedMail {
	/** Address in the From header. */
	from: string;
	/** Display name in the From header ('' when there is none). */
	fromName: string;
	/** Addresses in the To header. */
	to: string[];
	cc: string[];
	/** Recipients given in the SMTP dialogue (RCPT TO), which include Bcc recipients. */
	envelopeTo: string[];
	/** Sender given in the SMTP dialogue (MAIL FROM). */
	envelopeFrom: string;
	subject: string;
	text: string;
	html: string;
	replyTo: string[];
	messageId: string | undefined;
	attachments: CapturedAttachment[];
	/** The user name the client logged in with, when it sent AUTH. */
	authUser: string | undefined;
	/** The message exactly as received (RFC 822). */
	raw: string;
}

export interface SmtpServerOptions {
	/** Listen port; 0 (the default) picks a free one. */
	port?: number;
	/** When both are set, AUTH with exactly these is required; otherwise any login (or none) is accepted. */
	user?: string;
	password?: string;
	/**
	 * Implicit TLS from the first byte (n8n's "SSL/TLS" on) with smtp-server's built-in
	 * self-signed certificate: the client must allow unauthorized certificates.
	 */
	secure?: boolean;
	/** Largest message accepted, in bytes (default 25 MB). */
	maxMessageBytes?: number;
}

export interface RunningSmtpServer {
	host: string;
	port: number;
	/** The required credentials, or undefined when any login is accepted. */
	user: string | undefined;
	password: string | undefined;
	/** Every message accepted so far, in arrival order. */
	messages: CapturedMail[];
	/** Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs`. */
	waitForMessages(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
	/** Forgets the messages received so far. */
	clear(): void;
	close(): Promise<void>;
}

const HOST = '127.0.0.1';

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
	if (!field) return [];
	const groups = Array.isArray(field) ? field : [field];
	const result: string[] = [];
	for (const group of groups) {
		for (const entry of group.value) {
			if (entry.address) result.push(entry.address);
			// Group syntax ("Team: a@x, b@y;") nests addresses one level down.
			for (const member of entry.group ?? []) if (member.address) result.push(member.address);
		}
	}
	return result;
}

function envelopeAddress(address: SMTPServerAddress | false): string {
	return address ? address.address : '';
}

function toCapturedMail(
	parsed: ParsedMail,
	raw: Buffer,
	envelope: { mailFrom: SMTPServerAddress | false; rcptTo: SMTPServerAddress[] },
	authUser: string | undefined,
): CapturedMail {
	return {
		from: addresses(parsed.from)[0] ?? '',
		fromName: parsed.from?.value[0]?.name ?? '',
		to: addresses(parsed.to),
		cc: addresses(parsed.cc),
		envelopeTo: envelope.rcptTo.map((recipient) => recipient.address),
		envelopeFrom: envelopeAddress(envelope.mailFrom),
		subject: parsed.subject ?? '',
		text: parsed.text ?? '',
		html: parsed.html === false ? '' : parsed.html,
		replyTo: addresses(parsed.replyTo),
		messageId: parsed.messageId,
		attachments: parsed.attachments.map((attachment) => ({
			filename: attachment.filename,
			contentType: attachment.contentType,
			size: attachment.size,
			content: attachment.content,
		})),
		authUser,
		raw: raw.toString('utf8'),
	};
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
	const requiredUser = options.user !== undefined && options.password !== undefined ? options.user : undefined;
	const requiredPassword = requiredUser !== undefined ? options.password : undefined;
	const messages: CapturedMail[] = [];
	const waiters: Array<() => void> = [];
	const notify = () => {
		for (const waiter of waiters.slice()) waiter();
	};

	const serverOptions: SMTPServerOptions = {
		secure: options.secure === true,
		// No STARTTLS: nodemailer upgrades opportunistically whenever it is offered, and the
		// test server has no certificate a client would trust.
		disabledCommands: ['STARTTLS'],
		// AUTH over a plain loopback connection, as n8n sends it with SSL/TLS off.
		allowInsecureAuth: true,
		authOptional: requiredUser === undefined,
		size: options.maxMessageBytes ?? 25 * 1024 * 1024,
		logger: false,
		// No reverse DNS of 127.0.0.1 on every connection.
		disableReverseLookup: true,
		banner: 'solo-sales test SMTP server',
		// Clients of a test are gone by the time it closes; don't wait 30 s for stragglers.
		closeTimeout: 2000,
		onAuth(auth, _session, callback) {
			if (requiredUser === undefined) return callback(null, { user: auth.username ?? '' });
			if (auth.username === requiredUser && auth.password === requiredPassword) {
				return callback(null, { user: auth.username });
			}
			return callback(new Error('Invalid username or password'));
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('error', callback);
			stream.on('end', () => {
				// smtp-server marks a message over `size` here instead of failing the stream.
				if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
					const error = new Error('Message exceeds fixed maximum message size') as Error & { responseCode: number };
					error.responseCode = 552;
					return callback(error);
				}
				const raw = Buffer.concat(chunks);
				simpleParser(raw)
					.then((parsed) => {
						const user = typeof session.user === 'string' ? session.user : undefined;
						messages.push(toCapturedMail(parsed, raw, session.envelope, user));
						notify();
						callback();
					})
					.catch((error: Error) => callback(error));
			});
		},
	};

	const server = new SMTPServer(serverOptions);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, HOST, () => {
			server.off('error', reject);
			resolve();
		});
	});
	// Errors after start-up (a client dropping mid-dialogue) must not crash the test process.
	server.on('error', () => undefined);
	const { port } = server.server.address() as AddressInfo;

	return {
		host: HOST,
		port,
		user: requiredUser,
		password: requiredPassword,
		messages,
		waitForMessages(count, timeoutMs = 10_000) {
			return new Promise<CapturedMail[]>((resolve, reject) => {
				const check = () => {
					if (messages.length < count) return;
					finish();
					resolve(messages.slice());
				};
				const timer = setTimeout(() => {
					finish();
					reject(new Error(`SMTP server: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`));
				}, timeoutMs);
				const finish = () => {
					clearTimeout(timer);
					const index = waiters.indexOf(check);
					if (index >= 0) waiters.splice(index, 1);
				};
				waiters.push(check);
				check();
			});
		},
		clear() {
			messages.length = 0;
		},
		close() {
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
