/**
 * Both credential types' `test` requests, executed against the local Sheets server the way n8n's
 * credential tester does: expressions resolved with $credentials, pre-authentication (service
 * account token) run, the credential's authentication applied (Bearer), then the test's
 * `responseSuccessBody` rules checked on the answer (any rule that matches = test failed).
 */
import { generateKeyPairSync } from 'node:crypto';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';
import { credentialTestRequest, packageCredentialTypes, TestCredentialsHelper } from '../harness/runWorkflow';
import { DEFAULT_TEST_TOKEN, startSheetsServer, type SheetsServer } from '../servers/sheetsServer';
import { serviceAccountAssertion } from '../../credentials/GoogleSheetsCrmServiceAccountApi.credentials';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientEmail = 'crm-bot@solo-sales.iam.gserviceaccount.com';
let server: SheetsServer;

beforeAll(async () => {
	server = await startSheetsServer({
		serviceAccount: { clientEmail, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
	});
});
afterAll(async () => server.close());

const node: INode = { id: 'n', name: 'Credential Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeTypes: INodeTypes = {
	getByName: () => {
		throw new Error('not needed');
	},
	getByNameAndVersion: () => {
		throw new Error('not needed');
	},
	getKnownTypes: () => ({}),
};
const workflow = new Workflow({ id: 'w', nodes: [], connections: {}, active: false, nodeTypes });

function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, value);
}

/** The request helper n8n gives pre-authentication: JSON in, JSON out, throws on HTTP errors. */
const helpers = {
	async httpRequest(options: IHttpRequestOptions) {
		const res = await fetch(options.url, {
			method: options.method ?? 'GET',
			headers: options.headers as Record<string, string>,
			body: options.body as string,
		});
		const body = (await res.json()) as IDataObject;
		if (!res.ok) throw Object.assign(new Error(`Request failed with status code ${res.status}`), { response: { status: res.status, data: body } });
		return body;
	},
};

/** lodash-style path lookup ('error.status'), as n8n's tester does for responseSuccessBody rules. */
function get(object: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), object);
}

type TestResult = { status: 'OK' } | { status: 'Error'; message: string };

async function runCredentialTest(typeName: string, data: ICredentialDataDecryptedObject): Promise<TestResult> {
	const type = packageCredentialTypes().get(typeName)!;
	const testRequest = credentialTestRequest(typeName)!;
	const credentials: ICredentialDataDecryptedObject = { ...data };
	const helper = new TestCredentialsHelper({ [typeName]: credentials });
	try {
		const pre = await helper.preAuthentication({ helpers } as never, credentials, typeName, node, false);
		if (pre) Object.assign(credentials, pre);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	let options: IHttpRequestOptions = {
		method: testRequest.method ?? 'GET',
		url: `${String(resolve(testRequest.baseURL, credentials))}${String(resolve(testRequest.url, credentials))}`,
		headers: {},
	};
	if (type.extends?.includes('googleOAuth2Api')) {
		// OAuth2: n8n signs with the stored access token.
		const token = (credentials.oauthTokenData as IDataObject).access_token;
		options.headers = { Authorization: `Bearer ${String(token)}` };
	} else {
		options = await helper.authenticate(credentials, typeName, options, workflow, node);
	}
	const res = await fetch(options.url, { method: options.method, headers: options.headers as Record<string, string> });
	const body = (await res.json()) as IDataObject;
	if (!testRequest.ignoreHttpStatusErrors && !res.ok) return { status: 'Error', message: `HTTP ${res.status}` };
	for (const rule of packageCredentialTypes().get(typeName)!.test!.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && get(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK' };
}

function oauth2(accessToken: string): ICredentialDataDecryptedObject {
	return { apiBaseUrl: server.url, oauthTokenData: { access_token: accessToken } };
}

function serviceAccount(privateKey = keys.privateKey, email = clientEmail): ICredentialDataDecryptedObject {
	return {
		clientEmail: email,
		privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		apiBaseUrl: server.url,
		tokenUrl: server.tokenUrl,
	};
}

describe('credential tests against the local Sheets server', () => {
	test('OAuth2: a valid token passes', async () => {
		expect(await runCredentialTest('googleSheetsCrmOAuth2Api', oauth2(DEFAULT_TEST_TOKEN))).toEqual({ status: 'OK' });
	});

	test('OAuth2: a revoked or wrong token fails with a clear message', async () => {
		expect(await runCredentialTest('googleSheetsCrmOAuth2Api', oauth2('ya29.revoked'))).toEqual({
			status: 'Error',
			message: 'Google rejected the access token: reconnect the credential',
		});
	});

	test('service account: a correct key passes, fetching one token', async () => {
		const before = server.issuedTokens;
		expect(await runCredentialTest('googleSheetsCrmServiceAccountApi', serviceAccount())).toEqual({ status: 'OK' });
		expect(server.issuedTokens - before).toBe(1);
	});

	test('service account: a wrong key or wrong email fails at the token endpoint', async () => {
		const wrongKey = await runCredentialTest('googleSheetsCrmServiceAccountApi', serviceAccount(otherKeys.privateKey));
		expect(wrongKey).toEqual({ status: 'Error', message: 'Google refused the service account token request: Invalid JWT Signature.' });
		const wrongEmail = await runCredentialTest('googleSheetsCrmServiceAccountApi', serviceAccount(keys.privateKey, 'x@y.iam.gserviceaccount.com'));
		expect(wrongEmail).toEqual({ status: 'Error', message: 'Google refused the service account token request: Invalid email or User ID' });
	});

	test('service account: a stale stored token fails the test (rule on UNAUTHENTICATED)', async () => {
		const result = await runCredentialTest('googleSheetsCrmServiceAccountApi', { ...serviceAccount(), accessToken: 'ya29.expired' });
		expect(result).toEqual({ status: 'Error', message: 'Google rejected the access token of the service account' });
	});

	test('the signed assertion carries the claims Google requires (RS256, iss, scope, aud, 1 h)', () => {
		const jwt = serviceAccountAssertion(clientEmail, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'https://oauth2.googleapis.com/token', 1_700_000_000);
		const [header, claims] = jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
		expect(claims).toEqual({
			iss: clientEmail,
			scope: 'https://www.googleapis.com/auth/spreadsheets',
			aud: 'https://oauth2.googleapis.com/token',
			iat: 1_700_000_000,
			exp: 1_700_003_600,
		});
	});
});
