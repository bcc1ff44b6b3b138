/**
 * Template 1, lead capture: a hosted form, a signed webhook (for LinkedIn / Facebook lead-ad
 * forwarding and other tools), inbound email (IMAP) and Facebook Lead Ads land in the Leads tab,
 * get a score (the latest trained model from the Models tab, or points rules until one exists),
 * move stage by rules, and get a reply: personal for new MQLs, an acknowledgement otherwise.
 */
import { PKG, WorkflowTemplate, stableId, crmFields } from './builder';
import { FACEBOOK_LEAD_ADS, IMAP, SHEETS_CRM, SMTP, SPREADSHEET, WEBHOOK_SECRET } from './credentials';

export const fileName = 'lead-capture.json';
export const LEAD_CAPTURE_ID = 'SoloSalesLeads01';
export const WEBHOOK_PATH = 'solo-sales/leads';
export const FORM_PATH = 'solo-sales-contact';
export const SIGNATURE_HEADER = 'x-solo-sales-signature';
/** Webhook payloads above this size are refused (400) before anything is written. */
export const MAX_PAYLOAD_BYTES = 65536;
const EMAIL_PATTERN = '^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$';

/** Scoring until a model exists: points a founder can read and change in the node. */
export const STARTER_POINTS_RULES = {
	operation: 'pointsRules',
	rules: {
		rule: [
			{ name: 'Came by referral', field: 'source', operator: 'equals', value: 'referral', type: 'string', points: 40, group: 'fit' },
			{ name: 'Gave a company', field: 'company', operator: 'exists', points: 15, group: 'fit' },
			{ name: 'Asked about pricing', field: 'message', operator: 'contains', value: 'pricing', type: 'string', points: 20, group: 'intent' },
			{ name: 'Asked for a demo', field: 'message', operator: 'contains', value: 'demo', type: 'string', points: 20, group: 'intent' },
			{ name: 'Came from a lead ad', field: 'source', operator: 'inList', value: 'linkedin, facebook ads', type: 'string', points: 10, group: 'fit' },
		],
	},
	pointsOptions: { maxTotal: 100, minTotal: 0 },
};
/** Scores with the newest row of the Models tab (written by the "Retrain the lead model" template). */
export const SCORE_WITH_MODEL = {
	operation: 'scoreWithModel',
	model: "={{ $('Latest lead model').last().json.model }}",
};

function set(t: WorkflowTemplate, name: string, position: [number, number], fields: Record<string, string>): string {
	return t.add(name, 'n8n-nodes-base.set', 3.4, position, {
		assignments: {
			assignments: Object.entries(fields).map(([field, value]) => ({ id: stableId(`${name}/${field}`), name: field, value, type: 'string' })),
		},
		options: {},
	});
}

function ifTrue(t: WorkflowTemplate, name: string, position: [number, number], expression: string): string {
	return t.add(name, 'n8n-nodes-base.if', 2.2, position, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [{ id: stableId(`${name}/condition`), leftValue: expression, rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }],
			combinator: 'and',
		},
		options: {},
	});
}

function respond(t: WorkflowTemplate, name: string, position: [number, number], code: number, body: string): string {
	return t.add(name, 'n8n-nodes-base.respondToWebhook', 1.4, position, {
		respondWith: 'json',
		responseBody: body,
		options: { responseCode: code },
	});
}

/** Logs rejected input as a row of the Errors tab (time, workflow, execution, source, field, value, message). */
function logError(t: WorkflowTemplate, name: string, position: [number, number], source: string, value: string, message: string): string {
	return t.add(
		name,
		`${PKG}.salesCrmSheet`,
		1,
		position,
		{
			operation: 'appendActivity',
			spreadsheetId: SPREADSHEET,
			activityTab: 'Errors',
			dataMode: 'define',
			fieldValues: crmFields({
				time: '={{ $now.toISO() }}',
				workflow: '={{ $workflow.name }}',
				executionId: '={{ $execution.id }}',
				source: source,
				field: 'email',
				value: value,
				message: message,
			}),
		},
		{ credentials: SHEETS_CRM },
	);
}

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(LEAD_CAPTURE_ID, 'Solo Sales: lead capture → CRM → score → stage → reply');
	t.note(
		'Setup',
		`## Lead capture\nEvery new lead — from the hosted form, the signed webhook, your inbox or Facebook Lead Ads — lands in the **Leads** tab, is scored, moves stage by rules and gets a reply.\n\n**Set up**\n1. Replace PASTE-YOUR-SPREADSHEET-URL in the Sales CRM, Lead Scorer and Stage Mover nodes with your CRM spreadsheet (run *Sales CRM → Set Up CRM Spreadsheet* once to create the tabs).\n2. Credentials: **Google Sheets CRM**, **SMTP** (replies), **IMAP** (inbox), a **Crypto** credential whose *HMAC secret* is the webhook's shared secret.\n3. Facebook Lead Ads is disabled until you add its credential.\n4. Activate the workflow.`,
		[-900, -560],
		[520, 340],
	);
	t.note(
		'Webhook',
		`## Webhook payload\nPOST JSON to \`/webhook/${WEBHOOK_PATH}\`:\n\`{"name": "Ada", "email": "ada@example.com", "company": "Acme", "message": "…", "source": "linkedin", "campaign": "CMP-1"}\`\nSign the **raw body** with HMAC-SHA256 and your shared secret, hex, in the header \`${SIGNATURE_HEADER}: sha256=<hex>\`. Unsigned or badly signed requests get **401** and nothing is written; a payload without a valid email or over 64 KB gets **400** and an Errors row.`,
		[-900, 380],
		[520, 260],
	);

	// --- Form
	const form = t.add(
		'Contact form',
		'n8n-nodes-base.formTrigger',
		2.2,
		[-860, -160],
		{
			formTitle: 'Talk to us',
			formDescription: 'Tell us a little about you and we will get back to you within one working day.',
			formFields: {
				values: [
					{ fieldLabel: 'Name', requiredField: true },
					{ fieldLabel: 'Email', fieldType: 'email', requiredField: true },
					{ fieldLabel: 'Company' },
					{ fieldLabel: 'Message', fieldType: 'textarea' },
				],
			},
			options: { path: FORM_PATH, respondWithOptions: { values: { formSubmittedText: 'Thank you! We will be in touch shortly.' } } },
		},
		{ webhookId: stableId('lead-capture/form') },
	);
	const fromForm = set(t, 'Lead from form', [-640, -160], {
		name: '={{ $json.Name }}',
		email: '={{ ($json.Email || "").trim().toLowerCase() }}',
		company: '={{ $json.Company }}',
		message: '={{ $json.Message }}',
		source: 'web form',
		campaign: '',
	});
	t.connect(form, fromForm);

	// --- Signed webhook
	const webhook = t.add(
		'Lead webhook',
		'n8n-nodes-base.webhook',
		2.1,
		[-860, 140],
		{ httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'responseNode', options: { rawBody: true } },
		{ webhookId: stableId('lead-capture/webhook') },
	);
	const sign = t.add(
		'Sign raw body',
		'n8n-nodes-base.crypto',
		2,
		[-640, 140],
		{ action: 'hmac', type: 'SHA256', binaryData: true, binaryPropertyName: 'data', dataPropertyName: 'expectedSignature', encoding: 'hex' },
		{ credentials: WEBHOOK_SECRET },
	);
	const signed = ifTrue(
		t,
		'Signed correctly?',
		[-420, 140],
		`={{ ($json.headers["${SIGNATURE_HEADER}"] || "").replace(/^sha256=/, "").toLowerCase() === $json.expectedSignature }}`,
	);
	const reject401 = respond(t, 'Reject: bad signature', [-200, 300], 401, '={{ { "error": "missing or invalid signature" } }}');
	const usable = ifTrue(
		t,
		'Payload usable?',
		[-200, 100],
		`={{ typeof $json.body === "object" && $json.body !== null && new RegExp(${JSON.stringify(EMAIL_PATTERN)}).test(String($json.body.email || "").trim()) && JSON.stringify($json.body).length <= ${MAX_PAYLOAD_BYTES} }}`,
	);
	const reject400 = respond(t, 'Reject: bad payload', [20, 260], 400, '={{ { "error": "the payload needs a JSON body with a valid email, at most 64 KB" } }}');
	const logBad = logError(
		t,
		'Log rejected payload',
		[240, 260],
		'webhook',
		'={{ String($json.body?.email ?? "").slice(0, 200) }}',
		'rejected: the payload needs a JSON body with a valid email, at most 64 KB',
	);
	const accept = respond(t, 'Accept lead', [20, 60], 202, '={{ { "status": "accepted" } }}');
	const fromWebhook = set(t, 'Lead from webhook', [240, 60], {
		name: '={{ String($json.body.name || "").slice(0, 200) }}',
		email: '={{ String($json.body.email).trim().toLowerCase() }}',
		company: '={{ String($json.body.company || "").slice(0, 200) }}',
		message: '={{ String($json.body.message || "").slice(0, 5000) }}',
		source: '={{ String($json.body.source || "lead ad").slice(0, 50) }}',
		campaign: '={{ String($json.body.campaign || "").slice(0, 100) }}',
	});
	t.chain(webhook, sign, signed);
	t.connect(signed, usable, 0);
	t.connect(signed, reject401, 1);
	t.connect(usable, accept, 0);
	t.connect(usable, reject400, 1);
	t.connect(reject400, logBad);
	t.connect(accept, fromWebhook);

	// --- Inbound email (IMAP)
	const inbox = t.add(
		'Inbound email',
		'n8n-nodes-base.emailReadImap',
		2.1,
		[-860, -400],
		{ mailbox: 'INBOX', postProcessAction: 'read', format: 'simple', options: {} },
		{ credentials: IMAP },
	);
	const fromEmail = set(t, 'Lead from email', [-640, -400], {
		name: '={{ (($json.from || "").match(/^\\s*"?([^"<]*?)"?\\s*</) || [])[1] || "" }}',
		email: '={{ ((($json.from || "").match(/<([^>]+)>/) || [])[1] || ($json.from || "")).trim().toLowerCase() }}',
		company: '={{ (((($json.textPlain || "").match(/^\\s*(?:company|firma|société)\\s*:\\s*(.+)$/im)) || [])[1] || "").trim() }}',
		message: '={{ (($json.subject || "") + "\\n\\n" + ($json.textPlain || "")).slice(0, 5000) }}',
		source: 'email',
		campaign: '',
	});
	t.connect(inbox, fromEmail);

	// --- Facebook Lead Ads (disabled until credentials exist)
	const facebook = t.add(
		'Facebook Lead Ads',
		'n8n-nodes-base.facebookLeadAdsTrigger',
		1,
		[-860, -640],
		{ event: 'newLead', page: { __rl: true, mode: 'id', value: '' }, form: { __rl: true, mode: 'id', value: '' }, options: {} },
		{ credentials: FACEBOOK_LEAD_ADS, disabled: true, webhookId: stableId('lead-capture/facebook') },
	);
	const fromFacebook = set(t, 'Lead from Facebook', [-640, -640], {
		name: '={{ $json.data?.full_name || "" }}',
		email: '={{ String($json.data?.email || "").trim().toLowerCase() }}',
		company: '={{ $json.data?.company_name || "" }}',
		message: '',
		source: 'facebook ads',
		campaign: '={{ $json.ad?.name || "" }}',
	});
	t.connect(facebook, fromFacebook);

	// --- Common path
	const hasEmail = ifTrue(t, 'Has a valid email?', [-200, -300], `={{ new RegExp(${JSON.stringify(EMAIL_PATTERN)}).test($json.email) }}`);
	for (const from of [fromForm, fromEmail, fromFacebook]) t.connect(from, hasEmail);
	const logNoSender = logError(
		t,
		'Log lead without email',
		[20, -140],
		'={{ $json.source }}',
		'={{ String($json.email).slice(0, 200) }}',
		'rejected: no parseable sender email',
	);
	t.connect(hasEmail, logNoSender, 1);

	const upsert = t.add(
		'Save lead',
		`${PKG}.salesCrmSheet`,
		1,
		[460, -300],
		{
			operation: 'upsert',
			spreadsheetId: SPREADSHEET,
			tab: 'Leads',
			keyField: 'email',
			dataMode: 'autoMap',
			newRecordValues: crmFields({
				stage: 'New',
				createdAt: '={{ $now.toISO() }}',
			}),
		},
		{ credentials: SHEETS_CRM },
	);
	t.connect(hasEmail, upsert, 0);
	t.connect(fromWebhook, upsert);
	const logInquiry = t.add(
		'Log inquiry',
		`${PKG}.salesCrmSheet`,
		1,
		[680, -460],
		{
			operation: 'appendActivity',
			spreadsheetId: SPREADSHEET,
			activityTab: 'Touchpoints',
			dataMode: 'define',
			fieldValues: crmFields({
				time: '={{ $now.toISO() }}',
				email: '={{ $json.email }}',
				type: 'inquiry',
				channel: '={{ $json.source }}',
				campaign: '={{ $json.campaign }}',
				details: '={{ $json.message }}',
				executionId: '={{ $execution.id }}',
			}),
		},
		{ credentials: SHEETS_CRM },
	);
	t.connect(upsert, logInquiry);

	const latestModel = t.add(
		'Latest lead model',
		`${PKG}.salesCrmSheet`,
		1,
		[680, -260],
		{ operation: 'getRecords', spreadsheetId: SPREADSHEET, tab: 'Models', returnMode: 'all' },
		{ credentials: SHEETS_CRM, alwaysOutputData: true, executeOnce: true },
	);
	t.connect(upsert, latestModel);
	// Wait for the model read, then carry on with the leads (the Merge passes input 1 through).
	const withModel = t.add('Leads, once the model is read', 'n8n-nodes-base.merge', 3.2, [900, -380], {
		mode: 'chooseBranch',
		chooseBranchMode: 'waitForAll',
		output: 'specifiedInput',
		useDataOfInput: 1,
	});
	t.connect(upsert, withModel, 0, 0);
	t.connect(latestModel, withModel, 0, 1);
	const modelExists = ifTrue(t, 'Model trained yet?', [1120, -380], "={{ $('Latest lead model').last().json.model ? true : false }}");
	t.connect(withModel, modelExists);
	const scoreModel = t.add('Score with model', `${PKG}.leadScorer`, 1, [1340, -460], SCORE_WITH_MODEL);
	const scoreRules = t.add('Score with points rules', `${PKG}.leadScorer`, 1, [1340, -260], STARTER_POINTS_RULES);
	t.connect(modelExists, scoreModel, 0);
	t.connect(modelExists, scoreRules, 1);

	const saveScore = t.add(
		'Save score',
		`${PKG}.salesCrmSheet`,
		1,
		[1560, -380],
		{
			operation: 'upsert',
			spreadsheetId: SPREADSHEET,
			tab: 'Leads',
			keyField: 'email',
			dataMode: 'define',
			fieldValues: crmFields({
				email: '={{ $json.email }}',
				score: '={{ $json.score ?? Math.round($json.points) }}',
				notes: '={{ $json.scoreReasons ?? [].concat($json.matchedRules || []).join("; ") }}',
			}),
		},
		{ credentials: SHEETS_CRM },
	);
	t.connect(scoreModel, saveScore);
	t.connect(scoreRules, saveScore);

	const stage = t.add(
		'Move stage by rules',
		`${PKG}.stageMover`,
		1,
		[1780, -380],
		{
			operation: 'applyRules',
			storage: 'sheet',
			spreadsheetId: SPREADSHEET,
			recordsTab: 'Leads',
			keyField: 'email',
			stageField: 'stage',
			rules: { rule: [{ name: 'Hot lead', conditions: 'score >= 70 and stage = New', moveTo: 'MQL' }] },
		},
		{ credentials: SHEETS_CRM },
	);
	t.connect(saveScore, stage);

	const personal = t.add(
		'Personal reply to new MQL',
		'n8n-nodes-base.emailSend',
		2.1,
		[2000, -480],
		{
			fromEmail: 'founder@example.com',
			toEmail: '={{ $json.email }}',
			subject: '={{ "Re: your inquiry" + ($json.company ? " for " + $json.company : "") }}',
			emailFormat: 'text',
			text: '={{ "Hi " + (($json.name || "").split(" ")[0] || "there") + ",\\n\\nthanks for getting in touch. I read your message and would love to talk: could we find 20 minutes this week?\\n\\nBest,\\nThe founder" }}',
			options: { appendAttribution: false },
		},
		{ credentials: SMTP },
	);
	const ack = t.add(
		'Acknowledgement',
		'n8n-nodes-base.emailSend',
		2.1,
		[2000, -280],
		{
			fromEmail: 'founder@example.com',
			toEmail: '={{ $json.email }}',
			subject: 'Thanks for your message',
			emailFormat: 'text',
			text: '={{ "Hi " + (($json.name || "").split(" ")[0] || "there") + ",\\n\\nthanks for your message. We will get back to you within one working day.\\n\\nBest regards" }}',
			options: { appendAttribution: false },
		},
		{ credentials: SMTP },
	);
	t.connect(stage, personal, 0);
	t.connect(stage, ack, 1);
	return t;
}
