/**
 * Template 4, retrain the lead model: once a month, the closed leads (stage Won or Lost) train
 * the Lead Scorer's logistic regression; a model that converged and whose cross-validated AUC
 * clears a bar is appended to the Models tab as a new version. The lead capture workflow
 * scores with the last row of the Models tab, so the new model is used from then on.
 */
import { PKG, stableId, WorkflowTemplate, type Parameters, crmFields } from './builder';
import { SHEETS_CRM, SPREADSHEET } from './credentials';

export const fileName = 'retrain-lead-model.json';
export const RETRAIN_LEAD_MODEL_ID = 'SoloSalesRetrain';

const SETTINGS = 'Model settings';
const TRAIN = 'Train lead model';

function condition(key: string, leftValue: string, type: string, operation: string, rightValue: unknown = ''): Parameters {
	const singleValue = ['empty', 'notEmpty', 'exists', 'notExists', 'true', 'false'].includes(operation);
	return { id: stableId(`retrain-lead-model/${key}`), leftValue, rightValue, operator: { type, operation, ...(singleValue ? { singleValue } : {}) } };
}

function filterParameters(conditions: Parameters[], combinator: 'and' | 'or'): Parameters {
	return {
		conditions: { options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 }, conditions, combinator },
		looseTypeValidation: true,
		options: {},
	};
}

export function build(): WorkflowTemplate {
	const t = new WorkflowTemplate(RETRAIN_LEAD_MODEL_ID, 'Solo Sales: retrain the lead model', ['solo-sales', 'lead-scoring']);

	t.add('First of the month', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 300], {
		rule: { interval: [{ field: 'months', triggerAtDayOfMonth: 1, triggerAtHour: 6 }] },
	});
	t.add(SETTINGS, 'n8n-nodes-base.set', 3.4, [220, 300], {
		assignments: {
			assignments: [
				{ id: stableId('retrain-lead-model/minAuc'), name: 'minAuc', value: 0.6, type: 'number' },
				{ id: stableId('retrain-lead-model/modelName'), name: 'modelName', value: 'lead-score', type: 'string' },
			],
		},
		options: {},
	});
	t.add('Get leads', `${PKG}.salesCrmSheet`, 1, [440, 300], {
		authentication: 'oAuth2',
		operation: 'getRecords',
		spreadsheetId: SPREADSHEET,
		tab: 'Leads',
		keyField: 'email',
		returnMode: 'all',
		options: {},
	}, { credentials: SHEETS_CRM });
	t.add('Closed leads', 'n8n-nodes-base.filter', 2.2, [660, 300], filterParameters([
		condition('won', '={{ String($json.stage ?? "").trim() }}', 'string', 'equals', 'Won'),
		condition('lost', '={{ String($json.stage ?? "").trim() }}', 'string', 'equals', 'Lost'),
	], 'or'));
	t.add(TRAIN, `${PKG}.leadScorer`, 1, [880, 300], {
		operation: 'trainModel',
		outcomeField: 'stage',
		numericFields: 'pageViews, inquiries, emailOpens, companySize',
		categoryFields: 'source, industry',
		trainOptions: { validation: 'kFold', folds: 5, missingValues: 'imputeMean', classWeights: 'balanced' },
	});
	t.add('Good enough?', 'n8n-nodes-base.filter', 2.2, [1100, 300], filterParameters([
		condition('converged', '={{ $json.converged }}', 'boolean', 'true'),
		condition('auc', '={{ $json.validation.auc }}', 'number', 'gte', `={{ $('${SETTINGS}').first().json.minAuc }}`),
	], 'and'));
	// Appended, never overwritten: every month is a new row (version), the last row is the one in use.
	t.add('Store model version', `${PKG}.salesCrmSheet`, 1, [1320, 300], {
		authentication: 'oAuth2',
		operation: 'appendActivity',
		spreadsheetId: SPREADSHEET,
		activityTab: 'Models',
		dataMode: 'define',
		fieldValues: crmFields({
			name: `={{ $('${SETTINGS}').first().json.modelName }}-{{ $now.toUTC().toFormat('yyyy-MM-dd') }}`,
			type: 'leadScore',
			trainedAt: '={{ $now.toUTC().toISO() }}',
			rows: '={{ $json.rowsUsed }}',
			model: '={{ JSON.stringify($json.model) }}',
			version: `={{ $now.toUTC().toFormat('yyyy-MM-dd') }}`,
			auc: '={{ $json.validation.auc }}',
			deviance: '={{ $json.deviance }}',
		}),
		options: {},
	}, { credentials: SHEETS_CRM });
	t.chain('First of the month', SETTINGS, 'Get leads', 'Closed leads', TRAIN, 'Good enough?', 'Store model version');

	t.note(
		'setup',
		`## Retrain the lead model
On the 1st of each month the closed leads (stage **Won** or **Lost**) teach the Lead Scorer which leads win. The new model is appended to the **Models** tab; lead capture scores with the **last row**.

**Set up**
1. Credentials: your **Google Sheets CRM** credential on *Get leads* and *Store model version*; set the n8n variable \`SOLO_SALES_SPREADSHEET\` to your sheet's URL.
2. **Leads** needs the columns the model learns from: \`pageViews, inquiries, emailOpens, companySize\` (numbers) and \`source, industry\` (text). Change the lists in *${TRAIN}* to use your own.
3. **Models** keeps \`version, auc, deviance\` when it has those columns (*Set Up CRM Spreadsheet* creates them).`,
		[0, -60],
		[560, 320],
	);
	t.note(
		'quality',
		`## Only good models replace the old one
*${TRAIN}* checks itself with 5-fold cross-validation. *Good enough?* stores the model only when the fit converged and the out-of-sample **AUC** is at least \`minAuc\` (*${SETTINGS}*); otherwise the current model stays in use. Needs a few dozen closed leads with both outcomes.`,
		[880, -40],
		[480, 220],
		6,
	);
	return t;
}
