/**
 * The committed workflows/*.json are what the template modules generate now (so an edit to a
 * template module that was not regenerated fails here), and every one keeps the conventions
 * n8n import and this package promise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderTemplate, templateModules } from '../../../scripts/templates/build';

const workflowsDir = join(__dirname, '..', '..', '..', 'workflows');

describe('workflow templates', () => {
	const modules = templateModules();

	it('has one module for every committed workflow file', () => {
		const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.json')).sort();
		expect(modules.map((m) => m.fileName).sort()).toEqual(files);
	});

	it.each(modules.map((m) => [m.fileName, m] as const))('%s is up to date with its template module', (fileName, mod) => {
		expect(readFileSync(join(workflowsDir, fileName), 'utf8')).toBe(renderTemplate(mod));
	});

	it.each(modules.map((m) => [m.fileName, m] as const))('%s keeps the conventions', (_fileName, mod) => {
		const wf = JSON.parse(renderTemplate(mod)) as {
			id: string;
			settings: { executionOrder: string };
			nodes: Array<{ id: string; name: string; type: string; credentials?: Record<string, Record<string, unknown>> }>;
			connections: Record<string, Record<string, Array<Array<{ node: string }> | null>>>;
		};
		expect(wf.id).toMatch(/^[A-Za-z0-9]{16}$/);
		expect(wf.settings.executionOrder).toBe('v1');
		expect(wf.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote')).toBe(true);
		expect(wf.nodes.filter((n) => n.type.startsWith('CUSTOM.'))).toEqual([]);
		expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(wf.nodes.length);
		const names = new Set(wf.nodes.map((n) => n.name));
		for (const [from, byType] of Object.entries(wf.connections)) {
			expect(names.has(from)).toBe(true);
			// main, and e.g. ai_languageModel for the AI Agent's model
			for (const outputs of Object.values(byType)) {
				for (const target of outputs.flatMap((o) => o ?? [])) expect(names.has(target.node)).toBe(true);
			}
		}
		for (const node of wf.nodes) {
			for (const ref of Object.values(node.credentials ?? {})) expect(Object.keys(ref).sort()).toEqual(['id', 'name']);
		}
	});
});
