import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { appendActivity, getRecords, setUpSpreadsheet, upsertRecords } from './actions';
import { salesCrmSheetProperties } from './description';

export class SalesCrmSheet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sales CRM (Sheets)',
		name: 'salesCrmSheet',
		icon: { light: 'file:salesCrmSheet.svg', dark: 'file:salesCrmSheet.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Keep leads, deals and activity in a Google Sheet used as a CRM: upsert by key, read, log, set up',
		defaults: { name: 'Sales CRM (Sheets)' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'googleSheetsCrmOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'googleSheetsCrmServiceAccountApi', required: true, displayOptions: { show: { authentication: ['serviceAccount'] } } },
		],
		properties: salesCrmSheetProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		switch (operation) {
			case 'upsert':
				return [await upsertRecords(this)];
			case 'getRecords':
				return [await getRecords(this)];
			case 'appendActivity':
				return [await appendActivity(this)];
			case 'setUpSpreadsheet':
				return [await setUpSpreadsheet(this)];
			default:
				throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
		}
	}
}
