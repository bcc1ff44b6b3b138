/**
 * Template 7, inquiry auto-reply: an inbound email (IMAP) or a contact-form message gets an
 * intent (pricing, demo request, support, unsubscribe, other) from keyword rules kept in an
 * IntentRules tab, or from n8n's AI Agent when the user enables it with their own model.
 * Intents with an answer in the FAQ tab are answered at once, unsubscribes are written to the
 * lead's row, everything else is forwarded to the founder; every inquiry is logged, and its
 * sender's Leads row gets repliedAt (which stops the daily follow-ups).
 */
import { PKG, stableId, WorkflowTemplate, type Parameters, crmFields } from './builder';
import { AI_MODEL, IMAP, SHEETS_CRM, SMTP, SPREADSHEET } from './credentials';

export const fileName = 'inquiry-auto-reply.json';
export const INQUIRY_AUTO_REPLY_ID = 'SoloSalesInquiry';
/** The contact form is served at <n8n>/form/<this path>. */
export const INQUIRY_FORM_PATH = 'solo-sales-inquiry';

const INQUIRY = 'Inquiry';
const AI_INTENT = 'AI intent (optional)';
const AI_MODEL_NODE = 'AI model (optional)';
const MATCH = 'Match intent';
const NOTE_REPLY = 'Note the reply';

function condition(key: string, leftValue: string, type: string, operation: string, rightValue: unknown = ''): Parameters {
	const singleValue = ['empty', 'notEmpty', 'exists', 'notExists', 'true', 'false'].includes(operation);
	return { id: stableId(`inquiry-auto-reply/${key}`), leftValue, rightValue, operator: { type, operation, ...(singleValue ? { singleValue } : {}) } };
}

function route(key: string, leftValue: string, operation: string, rightValue: string, outputKey: string): Parameters {
	return {
		conditions: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [condition(key, leftValue, 'string', operation, rightValue)],
			combinator: 'and',
		},
		renameOutput: true,
		outputKey,
	};
}

function assignments(prefix: string, fields: [string, string][]): Parameters {
	return {
		assignments: fields.map(([name, value]) => ({ id: stableId(`inquiry-auto-reply/${prefix}/${name}`), name, value, type: 'string' })),
	};
}

/** The one Code node: FAQ answers by intent, intent by AI label or the first matching keyword rule. */
const MATCH_CODE = `// Intent: the AI Agent's label when it is enabled and gave a known one, else the first
// IntentRules row (in tab order) with a keyword found in the subject or message.
const AI_LABELS = ['pricing', 'demo request', 'support', 'unsubscribe', 'other'];
const rules = $('Intent rules').all().map((r) => r.json).filter((r) => r.intent && r.keywords);
const faq = new Map($('FAQ').all().map((r) => [String(r.json.intent ?? '').trim().toLowerCase(), r.json]));
const ai = $('${AI_INTENT}').all();
return $('${INQUIRY}').all().map((inquiry, i) => {
  const text = \`\${inquiry.json.subject ?? ''} \${inquiry.json.message ?? ''}\`.toLowerCase();
  const label = String(ai[i]?.json.output ?? '').trim().toLowerCase();
  const rule = rules.find((r) => String(r.keywords).split(',').some((k) => k.trim() !== '' && text.includes(k.trim().toLowerCase())));
  const byAi = AI_LABELS.includes(label);
  const intent = byAi ? label : rule ? String(rule.intent).trim().toLowerCase() : 'other';
  const answer = faq.get(intent);
  return { json: { ...inquiry.json, intent, intentBy: byAi ? 'AI' : rule ? 'keywords' : 'none', replySubject: answer?.subject ?? '', replyText: answer?.answer ?? '' } };
});`;

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(INQUIRY_AUTO_REPLY_ID, 'Solo Sales: inquiry auto-reply', ['solo-sales', 'inquiries']);
	const crm = { credentials: SHEETS_CRM };

	t.add('New email', 'n8n-nodes-base.emailReadImap', 2.1, [0, 200], { mailbox: 'INBOX', postProcessAction: 'read', format: 'simple', options: {} }, { credentials: IMAP });
	t.add('Contact form', 'n8n-nodes-base.formTrigger', 2.2, [0, 420], {
		formTitle: 'Contact us',
		formDescription: 'Questions about pricing, a demo or support? We answer within minutes.',
		formFields: {
			values: [
				{ fieldLabel: 'Name', requiredField: true },
				{ fieldLabel: 'Email', fieldType: 'email', requiredField: true },
				{ fieldLabel: 'Subject' },
				{ fieldLabel: 'Message', fieldType: 'textarea', requiredField: true },
			],
		},
		options: { path: INQUIRY_FORM_PATH, respondWithOptions: { values: { formSubmittedText: 'Thank you! You will hear from us shortly.' } } },
	}, { webhookId: stableId('inquiry-auto-reply/form') });
	t.add('From email', 'n8n-nodes-base.set', 3.4, [220, 200], {
		assignments: assignments('email', [
			['email', '={{ (($json.from ?? "").match(/<([^>]+)>/)?.[1] ?? $json.from ?? "").trim().toLowerCase() }}'],
			// "Ann Lee" <ann@x.com> gives Ann Lee; a bare address gives no name.
			['name', '={{ ($json.from ?? "").includes("<") ? $json.from.replace(/<[^>]*>/, "").replace(/"/g, "").trim() : "" }}'],
			['subject', '={{ $json.subject ?? "" }}'],
			['message', '={{ $json.textPlain ?? "" }}'],
			['source', 'email'],
		]),
		options: {},
	});
	t.add('From form', 'n8n-nodes-base.set', 3.4, [220, 420], {
		assignments: assignments('form', [
			['email', '={{ String($json.Email ?? "").trim().toLowerCase() }}'],
			['name', '={{ $json.Name }}'],
			['subject', '={{ $json.Subject || "Contact form" }}'],
			['message', '={{ $json.Message }}'],
			['source', 'form'],
		]),
		options: {},
	});
	t.add(INQUIRY, 'n8n-nodes-base.set', 3.4, [440, 300], {
		assignments: assignments('settings', [
			['founderEmail', 'you@example.com'],
			['fromEmail', 'Your Name <you@example.com>'],
			['signature', 'Your Name'],
		]),
		includeOtherFields: true,
		options: {},
	});
	t.add(AI_INTENT, '@n8n/n8n-nodes-langchain.agent', 3.1, [660, 300], {
		promptType: 'define',
		text: '=Subject: {{ $json.subject }}\n\n{{ $json.message }}',
		options: {
			systemMessage:
				'You sort inquiries to a small business. Answer with exactly one label and nothing else: pricing, demo request, support, unsubscribe, other.',
		},
	}, { disabled: true });
	t.add(AI_MODEL_NODE, '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.2, [660, 520], {
		model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' },
		options: {},
	}, { credentials: AI_MODEL, disabled: true });
	const readTab = (name: string, tab: string, keyField: string, x: number) =>
		t.add(name, `${PKG}.salesCrmSheet`, 1, [x, 300], {
			authentication: 'oAuth2',
			operation: 'getRecords',
			spreadsheetId: SPREADSHEET,
			tab,
			keyField,
			returnMode: 'all',
			options: {},
		}, { ...crm, alwaysOutputData: true, executeOnce: true });
	readTab('Intent rules', 'IntentRules', 'intent', 880);
	readTab('FAQ', 'FAQ', 'intent', 1100);
	t.add(MATCH, 'n8n-nodes-base.code', 2, [1320, 300], { jsCode: MATCH_CODE });
	// Writing to us counts as a reply: Daily follow-ups stops emailing leads with repliedAt set.
	t.add(NOTE_REPLY, `${PKG}.salesCrmSheet`, 1, [1540, 300], {
		authentication: 'oAuth2',
		operation: 'upsert',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		dataMode: 'define',
		fieldValues: crmFields({
			email: '={{ $json.email }}',
			repliedAt: '={{ $now.toUTC().toISO() }}',
			lastActivityAt: '={{ $now.toUTC().toISO() }}',
		}),
		options: {},
	}, crm);
	t.add('Route', 'n8n-nodes-base.switch', 3.2, [1760, 300], {
		rules: {
			values: [
				route('unsubscribe', '={{ $json.intent }}', 'equals', 'unsubscribe', 'Unsubscribe'),
				route('answer', '={{ $json.replyText }}', 'notEmpty', '', 'Answer from FAQ'),
			],
		},
		looseTypeValidation: true,
		options: { fallbackOutput: 'extra', renameFallbackOutput: 'For the founder' },
	});
	t.add('Honour unsubscribe', `${PKG}.salesCrmSheet`, 1, [1980, 100], {
		authentication: 'oAuth2',
		operation: 'upsert',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		dataMode: 'define',
		fieldValues: crmFields({
			email: '={{ $json.email }}',
			unsubscribed: 'true',
		}),
		options: { unknownFields: 'error' },
	}, crm);
	t.add('Reply from FAQ', 'n8n-nodes-base.emailSend', 2.1, [1980, 300], {
		fromEmail: '={{ $json.fromEmail }}',
		toEmail: '={{ $json.email }}',
		subject: '={{ $json.replySubject || "Re: " + $json.subject }}',
		emailFormat: 'text',
		text: '=Hi {{ ($json.name || "there").split(" ")[0] }},\n\n{{ $json.replyText }}\n\nBest,\n{{ $json.signature }}',
		options: { appendAttribution: false },
	}, { credentials: SMTP });
	t.add('Flag for founder', 'n8n-nodes-base.emailSend', 2.1, [1980, 500], {
		fromEmail: '={{ $json.fromEmail }}',
		toEmail: '={{ $json.founderEmail }}',
		subject: '=[{{ $json.intent }}] {{ $json.subject }} from {{ $json.name || $json.email }}',
		emailFormat: 'text',
		text: '=New {{ $json.source }} inquiry that needs you (intent: {{ $json.intent }}, by {{ $json.intentBy }}).\n\nFrom: {{ $json.name ? $json.name + " " : "" }}<{{ $json.email }}>\nSubject: {{ $json.subject }}\n\n{{ $json.message }}',
		options: { appendAttribution: false, replyTo: '={{ $json.email }}' },
	}, { credentials: SMTP });
	t.add('Log inquiry', `${PKG}.salesCrmSheet`, 1, [2200, 300], {
		authentication: 'oAuth2',
		operation: 'appendActivity',
		spreadsheetId: SPREADSHEET,
		activityTab: 'Touchpoints',
		dataMode: 'define',
		fieldValues: {
			values: [
				// This node runs once per branch: the run index keeps the log ids unique.
				{ fieldName: 'id', fieldValue: '={{ $execution.id }}-{{ $runIndex }}-{{ $itemIndex }}' },
				{ fieldName: 'email', fieldValue: `={{ $('${MATCH}').item.json.email }}` },
				{ fieldName: 'type', fieldValue: 'inquiry' },
				{ fieldName: 'channel', fieldValue: `={{ $('${MATCH}').item.json.source }}` },
				{ fieldName: 'subject', fieldValue: `={{ $('${MATCH}').item.json.subject }}` },
				{
					fieldName: 'details',
					fieldValue: `=intent {{ $('${MATCH}').item.json.intent }} (by {{ $('${MATCH}').item.json.intentBy }}): {{ $('${MATCH}').item.json.intent === 'unsubscribe' ? 'unsubscribed' : $('${MATCH}').item.json.replyText ? 'answered from FAQ' : 'forwarded to founder' }}`,
				},
			],
		},
		options: {},
	}, crm);

	t.connect('New email', 'From email');
	t.connect('Contact form', 'From form');
	t.connect('From email', INQUIRY);
	t.connect('From form', INQUIRY);
	t.chain(INQUIRY, AI_INTENT, 'Intent rules', 'FAQ', MATCH, NOTE_REPLY, 'Route');
	t.connect('Route', 'Honour unsubscribe', 0);
	t.connect('Route', 'Reply from FAQ', 1);
	t.connect('Route', 'Flag for founder', 2);
	t.chain('Honour unsubscribe', 'Log inquiry');
	t.chain('Reply from FAQ', 'Log inquiry');
	t.chain('Flag for founder', 'Log inquiry');
	connectLanguageModel(t, AI_MODEL_NODE, AI_INTENT);

	t.note(
		'setup',
		`## Inquiry auto-reply
An email to your inbox or a message from the contact form gets an **intent**; routine questions are answered from your **FAQ** tab, unsubscribes are honoured, the rest is forwarded to you.

**Set up**
1. Credentials: **IMAP** on *New email*, **SMTP** on the two Send Email nodes, **Google Sheets CRM** on the Sales CRM nodes; set the n8n variable \`SOLO_SALES_SPREADSHEET\` to your sheet's URL.
2. Fill the tabs **IntentRules** (\`intent, keywords\`; keywords comma-separated, first matching row wins) and **FAQ** (\`intent, subject, answer\`). *Sales CRM → Set Up CRM Spreadsheet* creates them, and the columns \`repliedAt\` and \`unsubscribed\` in **Leads** (*Note the reply* sets \`repliedAt\`, which stops the daily follow-ups).
3. Edit *${INQUIRY}*: your address (forwarded inquiries), sender and signature.
4. If *Lead capture* reads the same inbox, give each workflow its own folder (Mailbox), since the first to read a message marks it read.`,
		[0, -160],
		[560, 320],
	);
	t.note(
		'rules',
		`## Example rules
| intent | keywords |
|---|---|
| unsubscribe | unsubscribe, stop emailing, remove me |
| pricing | price, pricing, cost, quote |
| demo request | demo, trial, walkthrough |
| support | help, problem, error, not working |

Intents with an FAQ answer are answered; intents without one (and **other**) go to you.`,
		[880, -160],
		[460, 300],
		6,
	);
	t.note(
		'ai',
		`## Optional: let AI pick the intent
*${AI_INTENT}* and *${AI_MODEL_NODE}* are **disabled**. Add your own model credential (OpenAI, or swap in any chat model node), then enable both (select, press D). Its label (pricing, demo request, support, unsubscribe, other) wins over the keyword rules; anything else falls back to them.`,
		[620, 640],
		[460, 200],
		3,
	);
	return t;
}

/**
 * Connects a chat model sub-node to an AI Agent. The builder knows only main connections;
 * sub-nodes connect from the model to the agent on `ai_languageModel`.
 */
function connectLanguageModel(t: WorkflowTemplate, model: string, agent: string): void {
	const connections = t.connections as unknown as Record<string, Record<string, { node: string; type: string; index: number }[][]>>;
	connections[model] = { ai_languageModel: [[{ node: agent, type: 'ai_languageModel', index: 0 }]] };
}
