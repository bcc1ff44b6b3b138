/**
 * Points rules, as Mautic point actions and HubSpot score groups do it: every rule
 * "field operator value → ±points" that matches adds its points; points can fade with the age
 * of the activity (half-life decay); groups and the total can be capped; thresholds on the
 * total set the lifecycle stage (subscriber → lead → MQL → SQL by default).
 *
 * Decay: points × 0.5^(age in days / half-life) — exponential decay with half-life h
 * (HubSpot "score decay"; Mautic point triggers use the same idea).
 */
import { InputError, describeValue } from '../shared/errors';
import { MS_PER_DAY, parseDateMs, parseOptionalDateMs, type DateFormat } from '../shared/dates';
import { isMissing, readNumber, type LeadRow } from './values';

export type RuleOperator = 'equals' | 'notEquals' | 'contains' | 'notContains' | 'greaterThan' | 'lessThan' | 'between' | 'exists' | 'notExists' | 'inList';
/** How values are compared. auto: as numbers when both sides are numbers, else as text. */
export type RuleValueType = 'auto' | 'string' | 'number' | 'date';

export const RULE_OPERATORS: readonly RuleOperator[] = ['equals', 'notEquals', 'contains', 'notContains', 'greaterThan', 'lessThan', 'between', 'exists', 'notExists', 'inList'];

export interface PointsRule {
	/** Shown in matchedRules; default "field operator value". */
	name?: string;
	field: string;
	operator: RuleOperator;
	/** Value to compare with (lower bound for between; comma-separated text or list for inList). */
	value?: unknown;
	/** Upper bound for between (inclusive). */
	valueTo?: unknown;
	type?: RuleValueType;
	/** Points added when the rule matches (negative to subtract). */
	points: number;
	/** Score group for caps, e.g. "engagement", "fit". */
	group?: string;
	/** Date of the activity for decay (overrides the decay's default date field). */
	decayDateField?: string;
}

export interface PointsCap {
	max?: number;
	min?: number;
}

export interface LifecycleStage {
	stage: string;
	/** Lowest total that reaches this stage. */
	minPoints: number;
}

export interface PointsOptions {
	rules: PointsRule[];
	/** Caps per group (HubSpot score-group limits). */
	groupCaps?: Array<PointsCap & { group: string }>;
	/** Cap on the total. */
	cap?: PointsCap;
	/** Half-life decay of each matched rule's points by the age of its date field. */
	decay?: { halfLifeDays: number; dateField?: string; dateFormat?: DateFormat };
	/** Stage thresholds; default subscriber 0, lead 20, MQL 50, SQL 80. */
	stages?: LifecycleStage[];
	/** "Now" for decay, epoch ms (default: when the rules are prepared). */
	now?: number;
	/** Format of date cells and date rule values (default auto). */
	dateFormat?: DateFormat;
}

export interface PointsResult {
	/** Total after decay and caps, rounded to 2 decimals. */
	points: number;
	lifecycleStage: string;
	/** Matched rules with the points each added, e.g. "+10: visited pricing (decayed from 20)". */
	matchedRules: string[];
	/** Points per named group after its cap. */
	groupPoints: Record<string, number>;
}

export const DEFAULT_STAGES: LifecycleStage[] = [
	{ stage: 'subscriber', minPoints: 0 },
	{ stage: 'lead', minPoints: 20 },
	{ stage: 'MQL', minPoints: 50 },
	{ stage: 'SQL', minPoints: 80 },
];

type Comparable = { kind: 'number'; value: number } | { kind: 'date'; value: number } | { kind: 'string'; value: string };

interface PreparedRule {
	rule: PointsRule;
	label: string;
	/** Resolved comparison values (numbers, dates in ms, or lower-cased texts). */
	bounds: Comparable[];
	decayField?: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function ruleError(index: number, message: string, value?: unknown): InputError {
	return new InputError(`Rule ${index + 1}: ${message}`, { field: 'rules', value });
}

function asText(value: unknown): string {
	return String(value).trim().toLowerCase();
}

function isNumberLike(value: unknown): boolean {
	if (typeof value === 'number') return Number.isFinite(value);
	return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim()));
}

/** Turns a rule's value into what it is compared as, checking it once. */
function resolveRuleValue(value: unknown, type: RuleValueType, index: number, format: DateFormat): Comparable {
	if (isMissing(value)) throw ruleError(index, 'the value to compare with is empty');
	if (type === 'number' || (type === 'auto' && isNumberLike(value))) {
		if (!isNumberLike(value)) throw ruleError(index, `value must be a number, got ${describeValue(value)}`, value);
		return { kind: 'number', value: Number(typeof value === 'string' ? value.trim() : value) };
	}
	if (type === 'date') {
		try {
			return { kind: 'date', value: parseDateMs(value, format, { row: 0, field: 'value' }) };
		} catch {
			throw ruleError(index, `value must be a date, got ${describeValue(value)}`, value);
		}
	}
	return { kind: 'string', value: asText(value) };
}

function prepareRule(rule: PointsRule, index: number, options: PointsOptions): PreparedRule {
	if (typeof rule.field !== 'string' || rule.field.trim() === '') throw ruleError(index, 'the field name is empty');
	if (!RULE_OPERATORS.includes(rule.operator)) throw ruleError(index, `operator ${describeValue(rule.operator)} is unknown (use ${RULE_OPERATORS.join(', ')})`, rule.operator);
	if (typeof rule.points !== 'number' || !Number.isFinite(rule.points)) throw ruleError(index, `points must be a number, got ${describeValue(rule.points)}`, rule.points);
	const type = rule.type ?? 'auto';
	const format = options.dateFormat ?? 'auto';
	let bounds: Comparable[] = [];
	if (rule.operator === 'between') {
		bounds = [resolveRuleValue(rule.value, type, index, format), resolveRuleValue(rule.valueTo, type, index, format)];
		if (bounds[0].kind !== bounds[1].kind) throw ruleError(index, 'between needs two values of the same kind (both numbers, dates or texts)');
	} else if (rule.operator === 'inList') {
		const items = Array.isArray(rule.value) ? rule.value : String(rule.value ?? '').split(',');
		bounds = items.filter((item) => !isMissing(item)).map((item) => resolveRuleValue(item, type, index, format));
		if (bounds.length === 0) throw ruleError(index, 'the list of values is empty');
	} else if (rule.operator !== 'exists' && rule.operator !== 'notExists') {
		bounds = [resolveRuleValue(rule.value, rule.operator === 'contains' || rule.operator === 'notContains' ? 'string' : type, index, format)];
	}
	const shown = rule.operator === 'between' ? `${rule.value}..${rule.valueTo}` : rule.operator === 'exists' || rule.operator === 'notExists' ? '' : ` ${describeValue(rule.value)}`;
	const label = rule.name?.trim() || `${rule.field} ${rule.operator}${rule.operator === 'between' ? ` ${shown}` : shown}`;
	const decayField = rule.decayDateField?.trim() || options.decay?.dateField?.trim() || undefined;
	return { rule, label, bounds, decayField };
}

/** Reads the cell as the same kind as the rule value; null when it cannot be compared. */
function cellAs(kind: Comparable['kind'], value: unknown, row: number, field: string, format: DateFormat): number | string {
	if (kind === 'number') return readNumber(value, row, field);
	if (kind === 'date') return parseDateMs(value, format, { row, field });
	return asText(value);
}

function compare(cell: number | string, bound: Comparable): number {
	if (typeof cell === 'number') return cell - (bound.value as number);
	const other = bound.value as string;
	return cell < other ? -1 : cell > other ? 1 : 0;
}

/** Does the rule match this row? Throws InputError for a cell that cannot be read as needed. */
function matches(prepared: PreparedRule, row: LeadRow, index: number, format: DateFormat): boolean {
	const { rule, bounds } = prepared;
	const value = row[rule.field];
	const missing = isMissing(value) || (Array.isArray(value) && value.length === 0);
	if (rule.operator === 'exists') return !missing;
	if (rule.operator === 'notExists') return missing;
	if (rule.operator === 'notEquals' || rule.operator === 'notContains') {
		if (missing) return true;
	} else if (missing) return false;
	// A list cell (tags, pages visited): the rule matches when any element does.
	const cells = Array.isArray(value) ? value : [value];
	switch (rule.operator) {
		case 'contains':
		case 'notContains': {
			const needle = bounds[0].value as string;
			const found = cells.some((cell) => asText(cell).includes(needle));
			return rule.operator === 'contains' ? found : !found;
		}
		case 'equals':
		case 'notEquals':
		case 'inList': {
			const found = cells.some((cell) =>
				bounds.some((bound) => {
					// auto: a text rule value compares as text even against a number cell.
					if (bound.kind === 'number' && (rule.type ?? 'auto') === 'auto' && !isNumberLike(cell)) return false;
					return compare(cellAs(bound.kind, cell, index, rule.field, format), bound) === 0;
				}),
			);
			return rule.operator === 'notEquals' ? !found : found;
		}
		case 'greaterThan':
			return cells.some((cell) => compare(cellAs(bounds[0].kind, cell, index, rule.field, format), bounds[0]) > 0);
		case 'lessThan':
			return cells.some((cell) => compare(cellAs(bounds[0].kind, cell, index, rule.field, format), bounds[0]) < 0);
		case 'between':
			return cells.some((cell) => {
				const read = cellAs(bounds[0].kind, cell, index, rule.field, format);
				return compare(read, bounds[0]) >= 0 && compare(read, bounds[1]) <= 0;
			});
	}
	return false;
}

function clamp(value: number, cap: PointsCap | undefined): number {
	if (!cap) return value;
	let result = value;
	if (cap.max !== undefined && result > cap.max) result = cap.max;
	if (cap.min !== undefined && result < cap.min) result = cap.min;
	return result;
}

function checkCap(cap: PointsCap | undefined, where: string): void {
	if (!cap) return;
	for (const bound of ['max', 'min'] as const) {
		const value = cap[bound];
		if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
			throw new InputError(`${where}: ${bound} must be a number, got ${describeValue(value)}`, { field: 'caps', value });
		}
	}
	if (cap.max !== undefined && cap.min !== undefined && cap.min > cap.max) throw new InputError(`${where}: min ${cap.min} is above max ${cap.max}`, { field: 'caps' });
}

/** Checks the rules once and returns a function that scores one lead. */
export function preparePointsRules(options: PointsOptions): (row: LeadRow, index: number) => PointsResult {
	if (!Array.isArray(options.rules) || options.rules.length === 0) throw new InputError('Add at least one points rule', { field: 'rules' });
	const rules = options.rules.map((rule, i) => prepareRule(rule, i, options));
	const format = options.dateFormat ?? 'auto';
	const stages = [...(options.stages ?? DEFAULT_STAGES)].sort((a, b) => b.minPoints - a.minPoints);
	if (stages.length === 0) throw new InputError('Add at least one lifecycle stage', { field: 'stages' });
	for (const stage of stages) {
		if (typeof stage.stage !== 'string' || stage.stage === '' || typeof stage.minPoints !== 'number' || !Number.isFinite(stage.minPoints)) {
			throw new InputError(`Lifecycle stage ${describeValue(stage)} needs a name and a minimum number of points`, { field: 'stages', value: stage });
		}
	}
	const groupCaps = new Map<string, PointsCap>();
	for (const cap of options.groupCaps ?? []) {
		checkCap(cap, `Cap of group "${cap.group}"`);
		groupCaps.set(cap.group, cap);
	}
	checkCap(options.cap, 'Total cap');
	const halfLife = options.decay?.halfLifeDays;
	if (options.decay && !(typeof halfLife === 'number' && halfLife > 0 && Number.isFinite(halfLife))) {
		throw new InputError(`Decay half-life must be a number of days > 0, got ${describeValue(halfLife)}`, { field: 'halfLifeDays', value: halfLife });
	}
	const now = options.now ?? Date.now();

	return (row, index) => {
		if (row === null || typeof row !== 'object') throw new InputError(`Item ${index} is not an object`, { row: index, value: row });
		const groupTotals = new Map<string, number>();
		let ungrouped = 0;
		const matchedRules: string[] = [];
		for (const prepared of rules) {
			if (!matches(prepared, row, index, format)) continue;
			let points = prepared.rule.points;
			let note = '';
			if (options.decay && prepared.decayField) {
				const date = parseOptionalDateMs(row[prepared.decayField], options.decay.dateFormat ?? format, { row: index, field: prepared.decayField });
				if (date !== null && now > date) {
					points *= Math.pow(0.5, (now - date) / MS_PER_DAY / halfLife!);
					note = ` (decayed from ${prepared.rule.points})`;
				}
			}
			matchedRules.push(`${points >= 0 ? '+' : ''}${round2(points)}: ${prepared.label}${note}`);
			const group = prepared.rule.group?.trim();
			if (group) groupTotals.set(group, (groupTotals.get(group) ?? 0) + points);
			else ungrouped += points;
		}
		const groupPoints: Record<string, number> = {};
		let total = ungrouped;
		for (const [group, sum] of groupTotals) {
			const capped = clamp(sum, groupCaps.get(group));
			groupPoints[group] = round2(capped);
			total += capped;
		}
		const points = round2(clamp(total, options.cap));
		const stage = stages.find((s) => points >= s.minPoints) ?? stages[stages.length - 1];
		return { points, lifecycleStage: stage.stage, matchedRules, groupPoints };
	};
}

/** Applies the points rules to every row. */
export function scorePointsRules(rows: LeadRow[], options: PointsOptions): PointsResult[] {
	const score = preparePointsRules(options);
	return rows.map((row, index) => score(row, index));
}
