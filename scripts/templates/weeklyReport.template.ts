/**
 * Template 3, weekly pipeline report: every Monday the CRM tabs go through the Funnel Analyzer,
 * Campaign Evaluator (metrics, A/B test, attribution) and CLV Calculator into one HTML email
 * with inline SVG charts; the headline figures are appended to the Reports tab.
 */
import { PKG, WorkflowTemplate } from './builder';
import { SHEETS_CRM, SMTP, SPREADSHEET } from './credentials';
import { CAMPAIGN_ATTRIBUTE, CAMPAIGN_COMPARE, CAMPAIGN_EVALUATE, CLV_FIT, FUNNEL_FROM_HISTORY } from './demo.template';
import { COMPOSE_REPORT_JS, REPORT_FIGURES_JS } from './reportCode';

export const fileName = 'weekly-pipeline-report.json';
export const WEEKLY_REPORT_ID = 'SoloSalesWeekly1';

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(WEEKLY_REPORT_ID, 'Solo Sales: weekly pipeline report');
	t.note(
		'Setup',
		'## Weekly pipeline report\n1. Pick your **Google Sheets CRM** credential in each *Read* node and replace PASTE-YOUR-SPREADSHEET-URL with the URL of your CRM spreadsheet.\n2. Pick your **SMTP** credential in *Email the report* and set the recipient in *Report settings*.\n3. The CRM needs the tabs StageHistory, Campaigns, Variants, Touchpoints and Orders (the *Sales CRM → Set Up CRM Spreadsheet* operation creates the standard ones).\n\nRuns every Monday at 07:00. Figures also go to the **Reports** tab.',
		[-460, -420],
		[480, 300],
	);
	const schedule = t.add('Every Monday 07:00', 'n8n-nodes-base.scheduleTrigger', 1.2, [-420, 0], {
		rule: { interval: [{ field: 'weeks', triggerAtDay: [1], triggerAtHour: 7 }] },
	});
	const settings = t.add('Report settings', 'n8n-nodes-base.set', 3.4, [-200, 0], {
		assignments: {
			assignments: [
				{ id: 'to', name: 'reportTo', value: 'founder@example.com', type: 'string' },
				{ id: 'from', name: 'reportFrom', value: 'crm@example.com', type: 'string' },
			],
		},
		options: {},
	});
	const runNow = t.add('Run now', 'n8n-nodes-base.manualTrigger', 1, [-420, 180], {});
	t.chain(schedule, settings);
	t.connect(runNow, settings);

	const read = (name: string, tab: string, y: number) =>
		t.add(
			name,
			`${PKG}.salesCrmSheet`,
			1,
			[40, y],
			{ operation: 'getRecords', spreadsheetId: SPREADSHEET, tab, returnMode: 'all' },
			{ credentials: SHEETS_CRM, executeOnce: true },
		);
	const history = read('Read stage history', 'StageHistory', -300);
	const campaigns = read('Read campaigns', 'Campaigns', -120);
	const variants = read('Read A/B variants', 'Variants', 60);
	const touchpoints = read('Read touchpoints', 'Touchpoints', 240);
	const orders = read('Read orders', 'Orders', 420);
	for (const r of [history, campaigns, variants, touchpoints, orders]) t.connect(settings, r);

	const funnel = t.add('Funnel Analyzer', `${PKG}.funnelAnalyzer`, 1, [280, -300], FUNNEL_FROM_HISTORY);
	const evaluate = t.add('Evaluate campaigns', `${PKG}.campaignEvaluator`, 1, [280, -120], CAMPAIGN_EVALUATE);
	const compare = t.add('Compare variants', `${PKG}.campaignEvaluator`, 1, [280, 60], CAMPAIGN_COMPARE);
	const attribute = t.add('Attribute conversions', `${PKG}.campaignEvaluator`, 1, [280, 240], CAMPAIGN_ATTRIBUTE);
	const clv = t.add('CLV Calculator', `${PKG}.clvCalculator`, 1, [280, 420], CLV_FIT);
	t.connect(history, funnel);
	t.connect(campaigns, evaluate);
	t.connect(variants, compare);
	t.connect(touchpoints, attribute);
	t.connect(orders, clv);

	const wait = t.add('Wait for all analyses', 'n8n-nodes-base.merge', 3.2, [520, 60], { numberInputs: 5 });
	[funnel, evaluate, compare, attribute, clv].forEach((from, i) => t.connect(from, wait, 0, i));
	const compose = t.add('Compose weekly report', 'n8n-nodes-base.code', 2, [740, 60], { jsCode: COMPOSE_REPORT_JS });
	const email = t.add(
		'Email the report',
		'n8n-nodes-base.emailSend',
		2.1,
		[960, -40],
		{
			fromEmail: "={{ $('Report settings').first().json.reportFrom }}",
			toEmail: "={{ $('Report settings').first().json.reportTo }}",
			subject: '={{ $json.subject }}',
			emailFormat: 'html',
			html: '={{ $json.html }}',
			options: { appendAttribution: false },
		},
		{ credentials: SMTP },
	);
	const figures = t.add('Report figures to rows', 'n8n-nodes-base.code', 2, [960, 160], { jsCode: REPORT_FIGURES_JS });
	const save = t.add(
		'Append to Reports tab',
		`${PKG}.salesCrmSheet`,
		1,
		[1180, 160],
		{ operation: 'appendActivity', spreadsheetId: SPREADSHEET, activityTab: 'Reports', dataMode: 'autoMap' },
		{ credentials: SHEETS_CRM },
	);
	t.connect(wait, compose);
	t.connect(compose, email);
	t.connect(compose, figures);
	t.connect(figures, save);
	return t;
}
