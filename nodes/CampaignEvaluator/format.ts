/** Number formatting for the plain-language sentences (verdicts, reallocation advice). */

/** 1234.5 -> "1,235" (whole units, thousands separators). */
export function formatWhole(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

/** 0.98454 -> "98.5%"; keeps one decimal, but never prints 100.0% or 0.0% for values strictly inside (0, 1). */
export function formatPercent(fraction: number, decimals = 1): string {
	let text = (fraction * 100).toFixed(decimals);
	if (fraction < 1 && Number(text) >= 100) text = `>${(100 - 10 ** -decimals).toFixed(decimals)}`;
	if (fraction > 0 && Number(text) <= 0) text = `<${(10 ** -decimals).toFixed(decimals)}`;
	return `${text}%`;
}

/** A list of names in prose: "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
	if (names.length <= 1) return names.join('');
	return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
