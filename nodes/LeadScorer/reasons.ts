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

/** Formats one contribution: sign, one decimal, the words. */
export function formatReason(contribution: Contribution): string {
	const sign = contribution.logOdds >= 0 ? '+' : '-';
	// One decimal by integer arithmetic (halves round up): several times cheaper than toFixed.
	const tenths = Math.round(Math.abs(contribution.logOdds) * 10);
	const units = Math.floor(tenths / 10);
	return sign + units + '.' + (tenths - units * 10) + ': ' + contribution.text;
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
