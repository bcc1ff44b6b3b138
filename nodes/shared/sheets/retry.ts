/**
 * The one retry policy for Sheets calls. Google's guidance for 429 (quota) and 5xx:
 * "truncated exponential backoff": wait min(2^n s + random ms, 64 s) before retry n (0-based),
 * https://developers.google.com/sheets/api/limits#exponential. A Retry-After header wins.
 */
export const MAX_TRIES = 7; // 1 try + 6 retries, about 63 s of waiting in the worst case
export const MAX_DELAY_MS = 64_000;

/*
 * What is retried depends on whether repeating the request is safe:
 * - Idempotent requests (reads; values.batchUpdate writes the same values to the same cells)
 *   are retried on 429, any 5xx and any dropped connection.
 * - Requests that add something (values.append adds rows, addSheet adds tabs) are retried only
 *   when Google certainly did not apply them: 429 (quota, refused before any work), 503
 *   (unavailable, not served) and connections that failed before the request was sent. After
 *   a 500, 502 or 504, or a connection dropped mid-request, the rows may already be in the
 *   sheet, and a retry could add them twice: the call fails instead, saying so.
 */

/** Connection failures that happen before a byte of the request is sent: always safe to repeat. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN']);
/** Connection failures that may happen after the request was sent (the server may have acted on it). */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * Whether a failed call is worth repeating. `idempotent` is false for requests that add rows or
 * tabs (see the rule above); its default keeps the behaviour for reads and cell updates.
 */
export function isRetryable(status: number | undefined, code?: string, idempotent = true): boolean {
	if (status === 429 || status === 503) return true;
	if (status !== undefined) return idempotent && status >= 500 && status <= 599;
	if (code !== undefined && NOT_SENT_CODES.has(code)) return true;
	return idempotent && code !== undefined && MAYBE_SENT_CODES.has(code);
}

/** Whether a failure leaves it unknown if Google applied the request (a 5xx or a dropped connection). */
export function mayHaveBeenApplied(status: number | undefined, code?: string): boolean {
	if (status !== undefined) return status >= 500 && status <= 599 && status !== 503;
	return code !== undefined && MAYBE_SENT_CODES.has(code);
}

/** Milliseconds to wait before retry number `retry` (0-based). */
export function retryDelayMs(retry: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
	if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
		return Math.min(retryAfterSeconds * 1000, MAX_DELAY_MS);
	}
	return Math.min(2 ** retry * 1000 + Math.floor(random() * 1000), MAX_DELAY_MS);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}
