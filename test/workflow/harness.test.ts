import { NodeConnectionTypes } from 'n8n-workflow';
import { runWorkflow } from '../harness/runWorkflow';

// The harness itself: a workflow runs through n8n-core, expressions resolve per item.
describe('in-process workflow harness', () => {
	it('runs Manual Trigger -> Fixed Items and resolves expressions against the previous node', async () => {
		const run = await runWorkflow({
			nodes: [
				{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: '2', name: 'Items', type: 'test.fixedItems', typeVersion: 1, position: [200, 0], parameters: { items: '[{"a":1},{"a":2}]' } },
				{
					id: '3',
					name: 'Again',
					type: 'test.fixedItems',
					typeVersion: 1,
					position: [400, 0],
					parameters: { items: '={{ JSON.stringify([{ total: $input.all().reduce((s, i) => s + i.json.a, 0) }]) }}' },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: NodeConnectionTypes.Main, index: 0 }]] },
				Items: { main: [[{ node: 'Again', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.nodeOutputs('Items')[0].map((i) => i.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(run.nodeOutputs('Again')[0].map((i) => i.json)).toEqual([{ total: 3 }]);
	});
});
