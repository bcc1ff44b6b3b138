/**
 * A small builder for workflow templates, so templates are written as readable code and the
 * committed `workflows/*.json` are generated from it (`npm run templates`). It keeps what n8n
 * expects of an importable workflow: stable ids, `settings.executionOrder: "v1"`, credentials
 * referenced by type and name only (never secrets), and sticky notes for setup.
 */
import { createHash } from 'node:crypto';

export type Parameters = Record<string, unknown>;

export interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { id: string; name: string }>;
	disabled?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	webhookId?: string;
	notes?: string;
	notesInFlow?: boolean;
}

interface Connection {
	node: string;
	type: 'main';
	index: number;
}

export const PKG = 'n8n-nodes-solo-sales';

/** Deterministic UUID-shaped id from a seed, so re-generating a template keeps its ids. */
export function stableId(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class WorkflowTemplate {
	readonly nodes: TemplateNode[] = [];
	readonly connections: Record<string, { main: Connection[][] }> = {};

	constructor(
		readonly id: string,
		readonly name: string,
		readonly tags: string[] = ['solo-sales'],
	) {}

	add(
		name: string,
		type: string,
		typeVersion: number,
		position: [number, number],
		parameters: Parameters,
		extra: Partial<TemplateNode> = {},
	): string {
		if (this.nodes.some((n) => n.name === name)) throw new Error(`Duplicate node name "${name}" in ${this.name}`);
		this.nodes.push({ id: stableId(`${this.id}/${name}`), name, type, typeVersion, position, parameters, ...extra });
		return name;
	}

	/** A sticky note (setup help shown in the editor). */
	note(key: string, content: string, position: [number, number], size: [number, number] = [420, 260], color = 4): void {
		this.add(`Note: ${key}`, 'n8n-nodes-base.stickyNote', 1, position, { content, height: size[1], width: size[0], color });
	}

	connect(from: string, to: string, fromOutput = 0, toInput = 0): void {
		for (const name of [from, to]) {
			if (!this.nodes.some((n) => n.name === name)) throw new Error(`Unknown node "${name}" in ${this.name}`);
		}
		const outputs = (this.connections[from] ??= { main: [] }).main;
		while (outputs.length <= fromOutput) outputs.push([]);
		outputs[fromOutput].push({ node: to, type: 'main', index: toInput });
	}

	/** Connects a chain a -> b -> c on first outputs. */
	chain(...names: string[]): void {
		for (let i = 1; i < names.length; i++) this.connect(names[i - 1], names[i]);
	}

	toJSON(): object {
		return {
			id: this.id,
			name: this.name,
			active: false,
			isArchived: false,
			nodes: this.nodes,
			connections: this.connections,
			settings: { executionOrder: 'v1', saveManualExecutions: true, callerPolicy: 'workflowsFromSameOwner' },
			pinData: {},
			tags: [],
			meta: { templateCredsSetupCompleted: false, solosales: { tags: this.tags } },
		};
	}
}

/** Credential reference by type with a placeholder name: the user picks their own in the editor. */
export function credential(type: string, name: string): Record<string, { id: string; name: string }> {
	return { [type]: { id: stableId(`credential/${type}/${name}`).replace(/-/g, '').slice(0, 16), name } };
}

/**
 * The column → value list the Sales CRM node's "Fields" and "Values for New Records" parameters
 * store, from a plain object (column order kept).
 */
export function crmFields(fields: Record<string, string>): { values: Array<{ fieldName: string; fieldValue: string }> } {
	return { values: Object.entries(fields).map(([fieldName, fieldValue]) => ({ fieldName, fieldValue })) };
}
