/**
 * In-process workflow runner: executes workflow JSON through n8n-core's WorkflowExecute with
 * this package's node types (loaded from nodes/*\/*.node.ts) and its credential types, plus
 * two stand-ins for n8n-nodes-base nodes the tests need (Manual Trigger, and a node that
 * emits fixed items). This is how n8n runs a node: parameters resolved from expressions per
 * item, pairedItem checked, `onError` honoured, errors reported on the run data.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowExecute, ExecutionLifecycleHooks } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialTestRequest,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	NodeConnectionTypes,
} from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-solo-sales';
const ROOT = join(__dirname, '..', '..');

// ---------------------------------------------------------------- node and credential types

class ManualTriggerStandIn implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Stand-in for n8n-nodes-base.manualTrigger',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Emits the items in its `items` parameter (a JSON array), like a pinned or Code node would. */
class FixedItemsStandIn implements INodeType {
	description = {
		displayName: 'Fixed Items',
		name: 'fixedItems',
		group: ['transform'],
		version: 1,
		description: 'Test-only: emits fixed items',
		defaults: { name: 'Fixed Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json) => ({ json }))];
	}
}

/** Source files under jest (ts-jest), compiled ones when the harness itself runs compiled (benchmarks). */
const EXT = __filename.endsWith('.ts') ? '.ts' : '.js';

function loadModules<T>(folder: string, suffix: string): Map<string, T> {
	const found = new Map<string, T>();
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith(suffix)) {
				const className = entry.name.slice(0, -suffix.length);
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const mod = require(full) as Record<string, new () => T>;
				if (typeof mod[className] !== 'function') {
					throw new Error(`${full} must export a class named ${className}`);
				}
				found.set(className, new mod[className]());
			}
		}
	};
	if (existsSync(folder)) walk(folder);
	return found;
}

let nodeTypesCache: Map<string, INodeType | IVersionedNodeType> | undefined;
let credentialTypesCache: Map<string, ICredentialType> | undefined;

/** This package's node types by full type name, plus the stand-ins. */
export function packageNodeTypes(): Map<string, INodeType | IVersionedNodeType> {
	if (nodeTypesCache) return nodeTypesCache;
	const map = new Map<string, INodeType | IVersionedNodeType>();
	for (const nodeType of loadModules<INodeType | IVersionedNodeType>(join(ROOT, 'nodes'), `.node${EXT}`).values()) {
		map.set(`${PACKAGE_NAME}.${nodeType.description.name}`, nodeType);
	}
	map.set('n8n-nodes-base.manualTrigger', new ManualTriggerStandIn());
	map.set('test.fixedItems', new FixedItemsStandIn());
	nodeTypesCache = map;
	return map;
}

export function packageCredentialTypes(): Map<string, ICredentialType> {
	if (credentialTypesCache) return credentialTypesCache;
	const map = new Map<string, ICredentialType>();
	for (const credential of loadModules<ICredentialType>(join(ROOT, 'credentials'), `.credentials${EXT}`).values()) {
		map.set(credential.name, credential);
	}
	credentialTypesCache = map;
	return map;
}

class NodeTypes implements INodeTypes {
	getByName(type: string) {
		const nodeType = packageNodeTypes().get(type);
		if (!nodeType) throw new Error(`Unknown node type: ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = this.getByName(type);
		if ('nodeVersions' in nodeType) {
			return nodeType.getNodeType(version);
		}
		return nodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

// ---------------------------------------------------------------- credentials

/** Parent types of a credential type as n8n computes them (following `extends`). */
function parentTypes(name: string): string[] {
	const known: Record<string, string[]> = { googleOAuth2Api: ['oAuth2Api'] };
	const type = packageCredentialTypes().get(name);
	const direct = type?.extends ?? known[name] ?? [];
	return direct.flatMap((parent) => [parent, ...parentTypes(parent)]);
}

/** Resolves `={{$credentials.x}}`-style values the way n8n's credential helper does. */
function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, value);
}

/**
 * Credentials for tests, by credential type name. Implements what n8n's CLI credential helper
 * does for our types: generic `authenticate` (headers/qs with expressions), `preAuthentication`
 * for `expirable` properties (token fetched once, reused until it is missing or expired),
 * and OAuth2 parent types (n8n-core then signs with `oauthTokenData.access_token`).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	/** How many times a pre-authentication (e.g. a service-account token fetch) ran. */
	preAuthenticationCalls = 0;

	getParentTypes(name: string): string[] {
		return parentTypes(name);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = packageCredentialTypes().get(typeName);
		const authenticate = type?.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const options = { ...requestOptions };
		for (const key of ['headers', 'qs', 'body'] as const) {
			const extra = authenticate.properties[key] as IDataObject | undefined;
			if (!extra) continue;
			const resolved: IDataObject = {};
			for (const [name, value] of Object.entries(extra)) {
				resolved[name] = resolveCredentialExpression(value, credentials, workflow, node) as IDataObject[string];
			}
			options[key] = { ...((options[key] as IDataObject) ?? {}), ...resolved } as never;
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = packageCredentialTypes().get(typeName);
		if (!type?.preAuthentication) return undefined;
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (!expirable) return undefined;
		if (credentials[expirable.name] && !credentialsExpired) return undefined;
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		const updated = { ...credentials, ...output } as ICredentialDataDecryptedObject;
		// n8n stores the new token with the credential so later requests reuse it.
		this.credentials[typeName] = updated;
		return updated;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = packageCredentialTypes().get(typeName);
		if (!type?.preAuthentication) return undefined;
		return { ...credentials, ...(await type.preAuthentication.call(helpers, credentials)) } as ICredentialDataDecryptedObject;
	}

	getCredentialsProperties(type: string) {
		return packageCredentialTypes().get(type)?.properties ?? [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return data;
	}

	async getCredentials(): Promise<never> {
		throw new Error('getCredentials is not used by these tests');
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.credentials[type] = data;
	}

	async updateCredentialsOauthTokenData(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.credentials[type] = { ...this.credentials[type], ...data };
	}

	getOAuth2Options() {
		return undefined;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

// ---------------------------------------------------------------- running

export interface RunWorkflowOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Execution id the nodes see through `this.getExecutionId()`. */
	executionId?: string;
}

export interface NodeErrorInfo {
	message: string;
	description?: string | null;
	itemIndex?: number;
	nodeName?: string;
}

export interface WorkflowRun {
	run: IRun;
	/** Output items of a node (first run), one array per output. */
	nodeOutputs(nodeName: string): INodeExecutionData[][];
	/** The error that stopped the workflow, if any. */
	error?: NodeErrorInfo;
	credentialsHelper: TestCredentialsHelper;
}

type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<Pick<IWorkflowBase, 'settings' | 'name' | 'id'>>;

export async function runWorkflow(workflowJson: WorkflowJson, options: RunWorkflowOptions = {}): Promise<WorkflowRun> {
	const workflow = new Workflow({
		id: workflowJson.id ?? 'test-workflow',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		nodeTypes: new NodeTypes(),
		settings: workflowJson.settings ?? { executionOrder: 'v1' },
		active: false,
	});
	const executionId = options.executionId ?? String(Math.floor(Math.random() * 1e9));
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowJson as IWorkflowBase);
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished(fullRunData));

	const credentialsHelper = new TestCredentialsHelper({ ...(options.credentials ?? {}) });
	const additionalData = {
		hooks,
		credentialsHelper,
		executionId,
		currentNodeParameters: undefined,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		userId: 'test-user',
		setExecutionStatus: () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in-process');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = workflow.getStartNode();
	if (!startNode) throw new Error('Workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done;

	const runData = run.data.resultData.runData;
	const rawError = run.data.resultData.error as
		| (Error & { description?: string; context?: { itemIndex?: number }; node?: INode })
		| undefined;
	return {
		run,
		credentialsHelper,
		nodeOutputs(nodeName: string) {
			const task = runData[nodeName]?.[0];
			if (!task) throw new Error(`Node "${nodeName}" did not run`);
			return (task.data?.main ?? []).map((items: INodeExecutionData[] | null) => items ?? []);
		},
		error: rawError
			? {
					message: rawError.message,
					description: rawError.description,
					itemIndex: rawError.context?.itemIndex,
					nodeName: rawError.node?.name,
				}
			: undefined,
	};
}

export interface RunNodeOptions extends RunWorkflowOptions {
	/** Node name without the package prefix, e.g. 'leadScorer'. */
	type: string;
	parameters: IDataObject;
	items?: IDataObject[];
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	typeVersion?: number;
	/** Credentials the node references, by type, e.g. { googleSheetsCrmOAuth2Api: { id: '1', name: 'test' } } (filled in for you). */
	nodeCredentials?: INode['credentials'];
}

export interface NodeRun extends WorkflowRun {
	/** JSON of every output of the node under test (outputs[0] = first output). */
	outputs: IDataObject[][];
	/** Full items of every output (pairedItem, binary). */
	items: INodeExecutionData[][];
}

export const NODE_UNDER_TEST = 'Node Under Test';

/** Runs Manual Trigger -> Fixed Items -> the node under test, and returns its outputs. */
export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const credentials = options.nodeCredentials ??
		Object.fromEntries(Object.keys(options.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: `Test ${type}` }]));
	const nodes: INode[] = [
		{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'b',
			name: 'Items',
			type: 'test.fixedItems',
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'c',
			name: NODE_UNDER_TEST,
			type: `${PACKAGE_NAME}.${options.type}`,
			typeVersion: options.typeVersion ?? 1,
			position: [400, 0],
			parameters: options.parameters as INode['parameters'],
			onError: options.onError,
			credentials: Object.keys(credentials).length ? credentials : undefined,
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Items', type: NodeConnectionTypes.Main, index: 0 }]] },
		Items: { main: [[{ node: NODE_UNDER_TEST, type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const result = await runWorkflow({ nodes, connections }, options);
	const items = result.error && result.error.nodeName === NODE_UNDER_TEST ? [] : safeOutputs(result);
	return { ...result, items, outputs: items.map((list) => list.map((item) => item.json)) };
}

function safeOutputs(result: WorkflowRun): INodeExecutionData[][] {
	try {
		return result.nodeOutputs(NODE_UNDER_TEST);
	} catch {
		return [];
	}
}

/** Runs a credential type's `test` request with n8n's request machinery is not possible in-process; return it for tests to execute. */
export function credentialTestRequest(typeName: string): ICredentialTestRequest['request'] | undefined {
	const type = packageCredentialTypes().get(typeName);
	return type?.test?.request;
}
