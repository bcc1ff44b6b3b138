import { createSign } from 'node:crypto';
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

function base64Url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64url');
}

/**
 * The signed JWT a service account exchanges for an access token (RFC 7523; Google's
 * "Using OAuth 2.0 for Server to Server Applications", "Creating a JWT": RS256, claims
 * iss, scope, aud, iat, exp with a lifetime of at most one hour).
 */
export function serviceAccountAssertion(clientEmail: string, privateKeyPem: string, tokenUrl: string, nowSeconds: number): string {
	const header = base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
	const claims = base64Url(
		JSON.stringify({ iss: clientEmail, scope: SCOPE, aud: tokenUrl, iat: nowSeconds, exp: nowSeconds + 3600 }),
	);
	const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKeyPem);
	return `${header}.${claims}.${base64Url(signature)}`;
}

/** Keys pasted from the JSON key file often carry literal "\n" sequences. */
function normalizePrivateKey(key: unknown): string {
	return String(key ?? '').replace(/\\n/g, '\n').trim();
}

export class GoogleSheetsCrmServiceAccountApi implements ICredentialType {
	name = 'googleSheetsCrmServiceAccountApi';

	displayName = 'Google Sheets CRM Service Account API';

	icon: Icon = { light: 'file:googleSheetsCrm.svg', dark: 'file:googleSheetsCrm.dark.svg' };

	documentationUrl = 'https://github.com/solo-sales/n8n-nodes-solo-sales#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Service Account Email',
			name: 'clientEmail',
			type: 'string',
			default: '',
			placeholder: 'name@project-id.iam.gserviceaccount.com',
			description: 'The "client_email" of the service account key file. Share the spreadsheet with this address.',
			required: true,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----\nXIYEvQIBADANBg<...>0IhA==\n-----END PRIVATE KEY-----\n',
			description: 'The "private_key" of the service account key file, including the BEGIN and END lines',
			required: true,
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://sheets.googleapis.com',
			description: 'Change only to reach the Sheets API through a proxy or a local test server',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: 'https://oauth2.googleapis.com/token',
			description: 'Where the signed JWT is exchanged for an access token',
		},
		{
			// Filled by preAuthentication; n8n reuses it until a request answers 401, then fetches a new one.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const tokenUrl = String(credentials.tokenUrl || 'https://oauth2.googleapis.com/token');
		const assertion = serviceAccountAssertion(
			String(credentials.clientEmail ?? '').trim(),
			normalizePrivateKey(credentials.privateKey),
			tokenUrl,
			Math.floor(Date.now() / 1000),
		);
		const response = (await this.helpers
			.httpRequest({
				method: 'POST',
				url: tokenUrl,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
				json: true,
			})
			.catch((error: { message?: string; response?: { data?: { error_description?: string } } }) => ({
				failed: error.response?.data?.error_description ?? error.message ?? 'unknown error',
			}))) as { access_token?: string; failed?: string };
		if (response.failed !== undefined || !response.access_token) {
			// Google answers e.g. "Invalid JWT Signature." (wrong key) or "Invalid email or User ID".
			throw new Error(`Google refused the service account token request: ${response.failed ?? 'no access_token in the answer'}`);
		}
		return { accessToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// A spreadsheet ID that cannot exist: a valid token gets 404 NOT_FOUND, a bad one 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBaseUrl || "https://sheets.googleapis.com"}}',
			url: '/v4/spreadsheets/n8n-credential-test?fields=spreadsheetId',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.status', value: 'UNAUTHENTICATED', message: 'Google rejected the access token of the service account' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.message',
					value: 'Request had insufficient authentication scopes.',
					message: 'The service account token lacks the Google Sheets scope',
				},
			},
		],
	};
}
