/**
 * Template 1 in real n8n (`n8n start`), with real HTTP, SMTP and IMAP traffic on 127.0.0.1 and
 * the local Sheets API server standing in for Google: signed webhook leads, bad signatures,
 * bad payloads, the hosted form, inbound email, formula-looking names and a burst of 429s.
 */
import { createHmac } from 'node:crypto';
import { createWorld, tabRecords, waitForWebhook, WEBHOOK_SHARED_SECRET, type World } from './world';
import { FORM_PATH, SIGNATURE_HEADER, WEBHOOK_PATH } from '../../scripts/templates/leadCapture.template';

jest.setTimeout(300_000);

let world: World;

beforeAll(async () => {
	world = await createWorld({ imap: true, start: true, publish: ['lead-capture.json'] });
	await waitForWebhook(world, WEBHOOK_PATH);
}, 600_000);

afterAll(async () => {
	await world?.stop();
});

function sign(body: string, secret = WEBHOOK_SHARED_SECRET): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function postLead(payload: unknown, options: { signature?: string | null; raw?: string; contentType?: string } = {}) {
	const body = options.raw ?? JSON.stringify(payload);
	const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
	const signature = options.signature === undefined ? sign(body) : options.signature;
	if (signature !== null) headers[SIGNATURE_HEADER] = signature;
	const res = await fetch(`${world.n8n!.url}/webhook/${WEBHOOK_PATH}`, { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nn8n log tail:\n${world.n8n?.logs().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 300));
	}
}

const leadRow = (email: string) => tabRecords(world, 'Leads').find((r) => r.email === email);

describe('lead capture template in real n8n', () => {
	it('a signed hot lead lands in Leads with a score, moves to MQL with a StageHistory row, and gets a personal reply', async () => {
		const email = 'ada.hot@example.test';
		const res = await postLead({ name: 'Ada Lovelace', email, company: 'Analytical Engines', message: 'We need pricing for 20 seats and a demo', source: 'referral' });
		expect(res.status).toBe(202);
		const mail = await waitFor('the reply mail', () => world.smtp.messages.find((m) => m.to.includes(email)));
		const row = leadRow(email)!;
		expect(row.name).toBe('Ada Lovelace');
		expect(row.source).toBe('referral');
		expect(Number(row.score)).toBeGreaterThanOrEqual(70);
		expect(row.stage).toBe('MQL');
		const history = tabRecords(world, 'StageHistory').filter((h) => h.key === email);
		expect(history).toHaveLength(1);
		expect(history[0]).toMatchObject({ from: 'New', to: 'MQL', tab: 'Leads' });
		expect(mail.subject).toBe('Re: your inquiry for Analytical Engines');
		expect(mail.text).toContain('Hi Ada');
	});

	it('a signed ordinary lead stays New and gets the acknowledgement', async () => {
		const email = 'bob.cold@example.test';
		const res = await postLead({ name: 'Bob Builder', email, message: 'just browsing' });
		expect(res.status).toBe(202);
		const mail = await waitFor('the acknowledgement', () => world.smtp.messages.find((m) => m.to.includes(email)));
		expect(mail.subject).toBe('Thanks for your message');
		const row = leadRow(email)!;
		expect(row.stage).toBe('New');
		expect(Number(row.score)).toBeLessThan(70);
		expect(tabRecords(world, 'StageHistory').filter((h) => h.key === email)).toHaveLength(0);
	});

	it('answers 401 to an unsigned or badly signed request and writes nothing', async () => {
		const before = world.sheets.requests.filter((r) => r.method !== 'GET').length;
		const unsigned = await postLead({ name: 'Mallory', email: 'mallory@example.test' }, { signature: null });
		const forged = await postLead({ name: 'Mallory', email: 'mallory@example.test' }, { signature: sign('something else') });
		const wrongSecret = await postLead({ name: 'Mallory', email: 'mallory@example.test' }, { signature: sign(JSON.stringify({ name: 'Mallory', email: 'mallory@example.test' }), 'guess') });
		expect([unsigned.status, forged.status, wrongSecret.status]).toEqual([401, 401, 401]);
		await new Promise((r) => setTimeout(r, 1500));
		expect(leadRow('mallory@example.test')).toBeUndefined();
		expect(world.sheets.requests.filter((r) => r.method !== 'GET').length).toBe(before);
	});

	it('answers 400 to a payload without an email, a non-JSON body and a 1 MB body, logging an Errors row, writing no lead', async () => {
		const leadsBefore = tabRecords(world, 'Leads').length;
		const noEmail = await postLead({ name: 'No Email' });
		const notJson = await postLead(undefined, { raw: 'name=x&email=y', contentType: 'text/plain' });
		const huge = await postLead({ name: 'Huge', email: 'huge@example.test', message: 'x'.repeat(1024 * 1024) });
		expect([noEmail.status, notJson.status, huge.status]).toEqual([400, 400, 400]);
		await waitFor('3 error rows', () => (tabRecords(world, 'Errors').length >= 3 ? true : undefined));
		expect(tabRecords(world, 'Leads').length).toBe(leadsBefore);
		expect(leadRow('huge@example.test')).toBeUndefined();
	});

	it('stores a formula-looking name as text and keeps non-Latin names intact', async () => {
		const email = 'formula@example.test';
		const res = await postLead({ name: '=HYPERLINK("http://x")', email, company: '株式会社テスト', message: 'Здравствуйте' });
		expect(res.status).toBe(202);
		await waitFor('the lead row', () => leadRow(email));
		await waitFor('the reply', () => world.smtp.messages.find((m) => m.to.includes(email)));
		const row = leadRow(email)!;
		expect(row.name).toBe('=HYPERLINK("http://x")');
		expect(row.company).toBe('株式会社テスト');
		const rowNumber = tabRecords(world, 'Leads').findIndex((r) => r.email === email) + 2;
		const cell = world.sheets.getCell(world.spreadsheetId, 'Leads', `B${rowNumber}`);
		expect(cell?.formula).toBeUndefined();
	});

	it('completes with every write when Sheets answers five 429s in a row', async () => {
		const email = 'quota@example.test';
		world.sheets.failNext(429, 5, { retryAfterSeconds: 1 });
		const res = await postLead({ name: 'Quota Tester', email, source: 'referral', company: 'Busy Co', message: 'pricing please, and a demo' });
		expect(res.status).toBe(202);
		await waitFor('the reply', () => world.smtp.messages.find((m) => m.to.includes(email)), 120_000);
		const rows = tabRecords(world, 'Leads').filter((r) => r.email === email);
		expect(rows).toHaveLength(1);
		expect(rows[0].stage).toBe('MQL');
		expect(tabRecords(world, 'StageHistory').filter((h) => h.key === email)).toHaveLength(1);
	});

	it('turns a hosted form submission into a lead with a reply', async () => {
		const email = 'form.user@example.test';
		const page = await fetch(`${world.n8n!.url}/form/${FORM_PATH}`);
		expect(page.status).toBe(200);
		const form = new FormData();
		form.append('field-0', 'Grace Hopper');
		form.append('field-1', email);
		form.append('field-2', 'Navy');
		form.append('field-3', 'Tell me more');
		const res = await fetch(`${world.n8n!.url}/form/${FORM_PATH}`, { method: 'POST', body: form });
		expect(res.status).toBe(200);
		await waitFor('the form lead', () => leadRow(email));
		await waitFor('the reply', () => world.smtp.messages.find((m) => m.to.includes(email)));
		expect(leadRow(email)).toMatchObject({ name: 'Grace Hopper', company: 'Navy', source: 'web form' });
	});

	it('turns an inquiry delivered to the IMAP mailbox into a lead', async () => {
		const email = 'mail.sender@example.test';
		await world.imap!.deliver(
			[
				'From: "Katherine Johnson" <Mail.Sender@example.test>',
				'To: leads@example.test',
				'Subject: Pricing question',
				`Date: ${new Date().toUTCString()}`,
				'Message-ID: <inquiry-1@example.test>',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Hello, what does the team plan cost?',
				'Company: Orbit Labs',
				'',
			].join('\r\n'),
		);
		await waitFor('the email lead', () => leadRow(email), 120_000);
		expect(leadRow(email)).toMatchObject({ name: 'Katherine Johnson', company: 'Orbit Labs', source: 'email' });
	});

	it('logs an emailed inquiry whose sender has no address to Errors, writing no lead', async () => {
		const leadsBefore = tabRecords(world, 'Leads').length;
		const errorsBefore = tabRecords(world, 'Errors').length;
		await world.imap!.deliver(
			[
				'From: Mystery Sender',
				'To: leads@example.test',
				'Subject: Who am I?',
				`Date: ${new Date().toUTCString()}`,
				'Message-ID: <no-sender-1@example.test>',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Please call me back.',
				'',
			].join('\r\n'),
		);
		const logged = await waitFor('the Errors row', () => tabRecords(world, 'Errors').slice(errorsBefore).find((r) => r.source === 'email'), 120_000);
		expect(logged).toMatchObject({ field: 'email', message: 'rejected: no parseable sender email' });
		expect(String(logged.value).toLowerCase()).toContain('mystery sender');
		expect(tabRecords(world, 'Leads').length).toBe(leadsBefore);
	});
});
