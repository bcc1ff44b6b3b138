/**
 * Score reasons: the largest contributions to a lead's log-odds, with their sign, in words,
 * e.g. "+1.2: 5 inquiries", "+0.8: source = referral", "-0.4: pageViews empty".
 */
import { formatValue } from './values';

export interface Contribution {
	/** Change in log-odds this field makes. */
	logOdds: number;
	/** What the lead has, in words: "5 inquiries", "source = referral". */
	text: string;
}

/** A contribution as printed, in signed tenths (+1.2 → 12): halves round away from zero. */
function printedTenths(logOdds: number): number {
	const tenths = Math.round(Math.abs(logOdds) * 10);
	return logOdds >= 0 ? tenths : -tenths;
}

/** Formats one contribution: sign, one decimal, the words. */
export function formatReason(contribution: Contribution): string {
	const sign = contribution.logOdds >= 0 ? '+' : '-';
	// One decimal by integer arithmetic: several times cheaper than toFixed.
	const tenths = Math.abs(printedTenths(contribution.logOdds));
	const units = Math.floor(tenths / 10);
	return sign + units + '.' + (tenths - units * 10) + ': ' + contribution.text;
}

const SLOTS = 4096;
/** Keys (value hundredths, level indices) and printed tenths stay below this (32-bit slots). */
const LARGEST = 2 ** 30;
/** Marks a slot never filled. */
const VACANT = -(2 ** 31);
/** The key of a text not worth keeping (a huge value, an unknown level). */
const NOT_KEPT = -LARGEST - 1;

/**
 * Reason texts already built for one term of a model. A text depends only on the value as
 * printed (a number's hundredths, a level, or empty) and the contribution as printed, and leads
 * share values (counts, categories, numbers shown to 2 decimals), so the scorer hands out the
 * same string again instead of building a million fresh ones. Direct-mapped: a key's slot is
 * its low 12 bits, and a key landing on a taken slot replaces what was there.
 */
export class ReasonTexts {
	/** Key of an empty cell: no value's hundredths or level index can be it. */
	static readonly EMPTY = LARGEST;

	/** Key of a number, which reasons show to 2 decimals (formatValue): its hundredths. */
	static numberKey(value: number): number {
		const hundredths = Math.round(value * 100);
		return Math.abs(hundredths) < LARGEST ? hundredths : NOT_KEPT;
	}

	/** Key of a level by its index in the model; −1 (a level the model never saw) is not kept. */
	static levelKey(index: number): number {
		return index >= 0 ? index : NOT_KEPT;
	}

	private readonly keys = new Int32Array(SLOTS).fill(VACANT);
	private readonly tenths = new Int32Array(SLOTS);
	private readonly texts = new Array<string>(SLOTS).fill('');

	/** The text kept for this key and this contribution as printed, if any. */
	find(key: number, logOdds: number): string | undefined {
		const slot = key & (SLOTS - 1);
		return this.keys[slot] === key && this.tenths[slot] === printedTenths(logOdds) ? this.texts[slot] : undefined;
	}

	keep(key: number, logOdds: number, text: string): void {
		const tenths = printedTenths(logOdds);
		if (key === NOT_KEPT || !(Math.abs(tenths) < LARGEST)) return;
		const slot = key & (SLOTS - 1);
		this.keys[slot] = key;
		this.tenths[slot] = tenths;
		this.texts[slot] = text;
	}
}
/** "5 inquiries" for a number, "source = referral" for a category. */
export function describeNumber(field: string, value: number): string {
	return `${formatValue(value)} ${field}`;
}

/**
 * The `count` contributions largest in size (ignoring those below 0.05 in log-odds, which
 * would print as ±0.0), largest first.
 */
export function topReasons(contributions: Contribution[], count: number): string[] {
	if (count <= 0) return [];
	const chosen: Contribution[] = [];
	for (const contribution of contributions) {
		const size = Math.abs(contribution.logOdds);
		if (!(size >= 0.05)) continue;
		// Insertion into a short sorted list: cheaper than sorting every field for every lead.
		let at = chosen.length;
		while (at > 0 && Math.abs(chosen[at - 1].logOdds) < size) at--;
		if (at >= count) continue;
		chosen.splice(at, 0, contribution);
		if (chosen.length > count) chosen.pop();
	}
	return chosen.map(formatReason);
}
