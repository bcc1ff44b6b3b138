/**
 * The one retry policy for Sheets calls. Google's guidance for 429 (quota) and 5xx:
 * "truncated exponential backoff": wait min(2^n s + random ms, 64 s) before retry n (0-based),
 * https://developers.google.com/sheets/api/limits#exponential. A Retry-After header wins.
 */
export const MAX_TRIES = 7; // 1 try + 6 retries, about 63 s of waiting in the worst case
export const MAX_DELAY_MS = 64_000;

/** Whether a failed call is worth repeating: quota (429), server errors (5xx), dropped sockets. */
export function isRetryable(status: number | undefined, code?: string): boolean {
	if (status === 429 || (status !== undefined && status >= 500 && status <= 599)) return true;
	return status === undefined && (code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE');
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
