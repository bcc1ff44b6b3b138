/** Time helpers for the demo: whole-minute UTC timestamps written like `2026-03-04T09:30:00Z`. */
export const DAY_MS = 86_400_000;
/** The demo's first day: leads are created from here on. */
export const PERIOD_START = Date.UTC(2025, 4, 1);
/** The demo's "now" (exclusive end of the data): everything happens before it. */
export const OBSERVATION_END = Date.UTC(2026, 10, 1);

export const toTimestamp = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
export const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Whole minutes, so a time read back from its timestamp compares equal. */
export const roundToMinute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
