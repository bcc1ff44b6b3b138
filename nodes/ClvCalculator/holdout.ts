/**
 * Calibration/holdout check (lifetimes' calibration_and_holdout_data): summarize the orders up
 * to the calibration end, fit there, and compare each customer's expected repeat purchases in
 * the holdout period with the purchase days they actually had in it.
 */
import { InputError } from '../shared/errors';
import { MS_PER_DAY, toIsoDate } from '../shared/dates';
import { conditionalExpectedPurchases, type PurchaseModel } from './purchaseModels';
import { DAYS_PER_UNIT, type CustomerSummary, type OrderLog, type TimeUnit } from './summarize';

export interface HoldoutReport {
	calibrationEnd: string;
	holdoutEnd: string;
	/** Holdout length in the time unit. */
	holdoutLength: number;
	customers: number;
	expectedPurchases: number;
	actualPurchases: number;
	/** Mean absolute error per customer. */
	meanAbsoluteError: number;
}

/** Distinct purchase days per customer (by OrderLog customer index) in (fromDay, toDay]. */
export function purchaseDaysBetween(log: OrderLog, fromDay: number, toDay: number): Int32Array {
	const counts = new Int32Array(log.customerIds.length);
	const seen = new Set<number>();
	const customers = log.customerIds.length;
	for (let row = 0; row < log.day.length; row++) {
		const d = log.day[row];
		if (d <= fromDay || d > toDay) continue;
		const key = d * customers + log.customer[row];
		if (seen.has(key)) continue;
		seen.add(key);
		counts[log.customer[row]]++;
	}
	return counts;
}

/**
 * Expected vs actual holdout purchases of the calibration customers. Returns the report and
 * each customer's actual holdout purchases (aligned with `calibration`).
 */
export function holdoutReport(
	model: PurchaseModel,
	log: OrderLog,
	calibration: readonly CustomerSummary[],
	calibrationEndDay: number,
	holdoutEndDay: number,
	unit: TimeUnit,
): { report: HoldoutReport; expected: number[]; actual: number[] } {
	if (!(holdoutEndDay > calibrationEndDay)) {
		throw new InputError(`The calibration end ${toIsoDate(calibrationEndDay * MS_PER_DAY)} must be before the last order date ${toIsoDate(holdoutEndDay * MS_PER_DAY)}`, {
			field: 'calibrationEnd',
		});
	}
	const holdoutLength = (holdoutEndDay - calibrationEndDay) / DAYS_PER_UNIT[unit];
	const counts = purchaseDaysBetween(log, calibrationEndDay, holdoutEndDay);
	const indexOf = new Map(log.customerIds.map((id, i) => [id, i]));
	const expected = calibration.map((c) => conditionalExpectedPurchases(model, c, holdoutLength));
	const actual = calibration.map((c) => counts[indexOf.get(c.customerId) as number]);
	let totalExpected = 0;
	let totalActual = 0;
	let absoluteError = 0;
	for (let i = 0; i < calibration.length; i++) {
		totalExpected += expected[i];
		totalActual += actual[i];
		absoluteError += Math.abs(expected[i] - actual[i]);
	}
	return {
		report: {
			calibrationEnd: toIsoDate(calibrationEndDay * MS_PER_DAY),
			holdoutEnd: toIsoDate(holdoutEndDay * MS_PER_DAY),
			holdoutLength,
			customers: calibration.length,
			expectedPurchases: totalExpected,
			actualPurchases: totalActual,
			meanAbsoluteError: calibration.length > 0 ? absoluteError / calibration.length : 0,
		},
		expected,
		actual,
	};
}
