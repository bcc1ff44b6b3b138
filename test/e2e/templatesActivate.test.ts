/**
 * Every template imports into real n8n 2.41.1 with no unknown node types, and every template
 * with a trigger activates (published, `n8n start`) with test credentials pointing at the local
 * Sheets, SMTP and IMAP servers.
 */
import { INQUIRY_FORM_PATH } from '../../scripts/templates/inquiryAutoReply.template';
import { createWorld, waitForWebhook, type World } from './world';

jest.setTimeout(600_000);

const withTriggers = [
	'lead-capture.json',
	'daily-follow-ups.json',
	'weekly-pipeline-report.json',
	'retrain-lead-model.json',
	'win-back.json',
	'social-posting.json',
	'inquiry-auto-reply.json',
];

let world: World;

beforeAll(async () => {
	world = await createWorld({ imap: true, start: true, publish: withTriggers });
}, 900_000);

afterAll(async () => world?.stop());

describe('templates in real n8n', () => {
	it('imports every template with node types n8n knows', () => {
		expect(world.templates.size).toBe(8);
		const unknown = world.n8n!.logs().split('\n').filter((l) => /Unrecognized node type|cannot load|unknown node/i.test(l));
		expect(unknown).toEqual([]);
	});

	it('activates every template that has a trigger, with no activation errors', async () => {
		// n8n reports the published (active) workflows it indexed at start-up, and logs an error
		// for each one whose activation fails; the lead webhook answering proves one end to end.
		await waitForWebhook(world, 'solo-sales/leads');
		const logs = world.n8n!.logs();
		expect(logs).toMatch(new RegExp(`Processed \\d+ draft workflows, ${withTriggers.length} published workflows`));
		const problems = logs.split('\n').filter((l) => /Issue on initial workflow activation|could not be activated|Workflow cannot run on this instance/i.test(l));
		expect(problems).toEqual([]);
	});

	it('serves the hosted forms of the activated templates', async () => {
		for (const path of ['solo-sales-contact', INQUIRY_FORM_PATH]) {
			const res = await fetch(`${world.n8n!.url}/form/${path}`);
			expect(res.status).toBe(200);
		}
	});
});
