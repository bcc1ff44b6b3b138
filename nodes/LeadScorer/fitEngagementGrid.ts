/**
 * Fit × engagement grid (HubSpot's A1–C3 lead matrix): a fit score ("is this the kind of
 * customer we want?") becomes a letter A/B/C and an engagement score ("how interested are they
 * right now?") a digit 1/2/3; A1 is the best lead, C3 the least promising.
 */
import { InputError, describeValue } from '../shared/errors';
import { readNumber } from './values';

export interface GridThresholds {
	/** Fit score at or above which a lead is A (default 70) and B (default 40); else C. */
	fitA: number;
	fitB: number;
	/** Engagement score at or above which a lead is 1 (default 70) and 2 (default 40); else 3. */
	engagement1: number;
	engagement2: number;
}

export const DEFAULT_GRID: GridThresholds = { fitA: 70, fitB: 40, engagement1: 70, engagement2: 40 };

export interface GridCell {
	fitGrade: 'A' | 'B' | 'C';
	engagementLevel: 1 | 2 | 3;
	/** e.g. "A1". */
	grid: string;
}

/** Checks the thresholds once (finite numbers, A above B, 1 above 2). */
export function checkGridThresholds(thresholds: GridThresholds): GridThresholds {
	for (const key of ['fitA', 'fitB', 'engagement1', 'engagement2'] as const) {
		const value = thresholds[key];
		if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`Grid threshold ${key} must be a number, got ${describeValue(value)}`, { field: key, value });
	}
	if (thresholds.fitB > thresholds.fitA) throw new InputError(`Fit threshold for B (${thresholds.fitB}) is above the one for A (${thresholds.fitA})`, { field: 'fitB' });
	if (thresholds.engagement2 > thresholds.engagement1) {
		throw new InputError(`Engagement threshold for 2 (${thresholds.engagement2}) is above the one for 1 (${thresholds.engagement1})`, { field: 'engagement2' });
	}
	return thresholds;
}

/** The grid cell of one lead. Scores may be numbers or numeric texts; row/field name errors. */
export function fitEngagementCell(
	fitScore: unknown,
	engagementScore: unknown,
	thresholds: GridThresholds = DEFAULT_GRID,
	where: { row: number; fitField: string; engagementField: string } = { row: 0, fitField: 'fitScore', engagementField: 'engagementScore' },
): GridCell {
	const fit = readNumber(fitScore, where.row, where.fitField);
	const engagement = readNumber(engagementScore, where.row, where.engagementField);
	const fitGrade = fit >= thresholds.fitA ? 'A' : fit >= thresholds.fitB ? 'B' : 'C';
	const engagementLevel = engagement >= thresholds.engagement1 ? 1 : engagement >= thresholds.engagement2 ? 2 : 3;
	return { fitGrade, engagementLevel, grid: `${fitGrade}${engagementLevel}` };
}
