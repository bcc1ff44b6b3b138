/**
 * Conditions on a record's fields, for the Stage Mover's rules. Structured (field, operator,
 * value), AND-ed within a rule, plus a tiny text form parsed by hand (no eval):
 *
 *   score >= 70 and stage = MQL
 *   lastActivityAt older than 30 days and stage != Won
 *   `Company Size` > 50 and email is not empty and source contains linkedin
 *
 * Fields: a bare name (letters, digits, _ . -) or a `back-quoted` name with spaces.
 * Values: a number, a 'quoted' / "quoted" text, or bare text up to the next " and ".
 * Comparing text is trimmed and case-insensitive (people type "mql" into sheets); <, >, <=, >=
 * need a number and are false for a cell that is not a number (a blank score never passes).
 */
import { InputError, describeValue } from '../shared/errors';
import { MS_PER_DAY, parseOptionalDateMs, type DateFormat } from '../shared/dates';
import { isBlank } from './transitions';

export type ConditionOperator =
	| 'equals'
	| 'notEquals'
	| 'greaterThan'
	| 'greaterThanOrEqual'
	| 'lessThan'
	| 'lessThanOrEqual'
	| 'contains'
	| 'isEmpty'
	| 'isNotEmpty'
	| 'olderThanDays'
	| 'withinDays';

export interface Condition {
	field: string;
	operator: ConditionOperator;
	/** Not used by isEmpty / isNotEmpty; a number of days for olderThanDays / withinDays. */
	value?: string | number;
}

export interface ConditionContext {
	/** "Now" for date conditions, epoch ms. */
	nowMs: number;
	dateFormat: DateFormat;
	/** Item index, for error messages. */
	row: number;
}

const NUMERIC_OPERATORS: ConditionOperator[] = ['greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual', 'olderThanDays', 'withinDays'];

/** A cell as a number: numbers, and texts that are a plain decimal number; otherwise NaN. */
export function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
	return NaN;
}

function sameText(a: unknown, b: string | number): boolean {
	if (isBlank(a)) return String(b).trim() === '';
	return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
}

/** Does the record satisfy the condition? Throws InputError only for an unreadable date. */
export function evaluateCondition(condition: Condition, record: Record<string, unknown>, context: ConditionContext): boolean {
	const cell = record[condition.field];
	const { value } = condition;
	switch (condition.operator) {
		case 'isEmpty':
			return isBlank(cell);
		case 'isNotEmpty':
			return !isBlank(cell);
		case 'equals':
		case 'notEquals': {
			const equal = typeof value === 'number' ? toNumber(cell) === value : sameText(cell, value ?? '');
			return condition.operator === 'equals' ? equal : !equal;
		}
		case 'contains':
			return !isBlank(cell) && String(cell).toLowerCase().includes(String(value ?? '').toLowerCase());
		case 'greaterThan':
			return toNumber(cell) > (value as number);
		case 'greaterThanOrEqual':
			return toNumber(cell) >= (value as number);
		case 'lessThan':
			return toNumber(cell) < (value as number);
		case 'lessThanOrEqual':
			return toNumber(cell) <= (value as number);
		case 'olderThanDays':
		case 'withinDays': {
			const at = parseOptionalDateMs(cell, context.dateFormat, { row: context.row, field: condition.field });
			if (at === null) return false;
			const days = (context.nowMs - at) / MS_PER_DAY;
			return condition.operator === 'olderThanDays' ? days > (value as number) : days <= (value as number);
		}
	}
}

/** All conditions hold (an empty list always holds: a catch-all rule). */
export function evaluateAll(conditions: Condition[], record: Record<string, unknown>, context: ConditionContext): boolean {
	for (const condition of conditions) if (!evaluateCondition(condition, record, context)) return false;
	return true;
}

/** Checks a structured condition (from JSON or the node's fields); `where` names the rule. */
export function checkCondition(condition: Condition, where: string): Condition {
	if (typeof condition?.field !== 'string' || condition.field.trim() === '') {
		throw new InputError(`${where}: a condition has no field name`, { field: 'field', value: condition?.field });
	}
	if (!OPERATOR_NAMES.includes(condition.operator)) {
		throw new InputError(`${where}: ${describeValue(condition.operator)} is not an operator (${OPERATOR_NAMES.join(', ')})`, {
			field: 'operator',
			value: condition.operator,
		});
	}
	if (NUMERIC_OPERATORS.includes(condition.operator)) {
		const number = toNumber(condition.value);
		if (!Number.isFinite(number)) {
			throw new InputError(`${where}: "${condition.field}" ${condition.operator} needs a number, not ${describeValue(condition.value)}`, {
				field: condition.field,
				value: condition.value,
			});
		}
		return { field: condition.field.trim(), operator: condition.operator, value: number };
	}
	return { field: condition.field.trim(), operator: condition.operator, value: condition.value };
}

const OPERATOR_NAMES: ConditionOperator[] = [
	'equals',
	'notEquals',
	'greaterThan',
	'greaterThanOrEqual',
	'lessThan',
	'lessThanOrEqual',
	'contains',
	'isEmpty',
	'isNotEmpty',
	'olderThanDays',
	'withinDays',
];

// ------------------------------------------------------------------ the text form

const SYMBOLS: [string, ConditionOperator][] = [
	['>=', 'greaterThanOrEqual'],
	['<=', 'lessThanOrEqual'],
	['!=', 'notEquals'],
	['<>', 'notEquals'],
	['==', 'equals'],
	['=', 'equals'],
	['>', 'greaterThan'],
	['<', 'lessThan'],
];

/**
 * Parses "a >= 1 and b = x" into conditions. `where` names the rule in error messages, which
 * also quote the text at the position where parsing stopped.
 */
export function parseConditions(text: string, where: string): Condition[] {
	const parser = new ConditionParser(text, where);
	return parser.parseAll();
}

class ConditionParser {
	private pos = 0;

	constructor(
		private readonly text: string,
		private readonly where: string,
	) {}

	parseAll(): Condition[] {
		const conditions: Condition[] = [];
		this.skipSpace();
		if (this.pos >= this.text.length) return conditions;
		for (;;) {
			conditions.push(this.parseOne());
			this.skipSpace();
			if (this.pos >= this.text.length) return conditions;
			if (!this.keyword('and')) this.fail('expected "and" or the end of the condition');
		}
	}

	private parseOne(): Condition {
		const field = this.parseField();
		this.skipSpace();
		if (this.keyword('is not empty')) return { field, operator: 'isNotEmpty' };
		if (this.keyword('is empty')) return { field, operator: 'isEmpty' };
		if (this.keyword('older than')) return { field, operator: 'olderThanDays', value: this.parseDays() };
		if (this.keyword('within')) return { field, operator: 'withinDays', value: this.parseDays() };
		if (this.keyword('contains')) return { field, operator: 'contains', value: this.parseValue() };
		for (const [symbol, operator] of SYMBOLS) {
			if (this.text.startsWith(symbol, this.pos)) {
				this.pos += symbol.length;
				this.skipSpace();
				const valueAt = this.pos;
				const value = this.parseValue();
				if (NUMERIC_OPERATORS.includes(operator) && typeof value !== 'number') {
					this.pos = valueAt;
					this.fail(`"${field}" ${symbol} needs a number, not ${describeValue(value)}`);
				}
				return { field, operator, value };
			}
		}
		return this.fail('expected an operator (=, !=, >, >=, <, <=, contains, is empty, is not empty, older than, within)');
	}

	private parseField(): string {
		this.skipSpace();
		if (this.text[this.pos] === '`') {
			const end = this.text.indexOf('`', this.pos + 1);
			if (end < 0) this.fail('a `quoted field name` is not closed');
			const name = this.text.slice(this.pos + 1, end).trim();
			if (name === '') this.fail('the quoted field name is empty');
			this.pos = end + 1;
			return name;
		}
		const match = /^[A-Za-z_][\w.-]*/.exec(this.text.slice(this.pos));
		if (!match) this.fail('expected a field name');
		this.pos += match![0].length;
		return match![0];
	}

	private parseDays(): number {
		this.skipSpace();
		const match = /^\d+(\.\d+)?/.exec(this.text.slice(this.pos));
		if (!match) this.fail('expected a number of days');
		this.pos += match![0].length;
		this.skipSpace();
		if (!this.keyword('days')) this.keyword('day');
		return Number(match![0]);
	}

	/** A number, a quoted text, or bare text up to the next " and " (trimmed). */
	private parseValue(): string | number {
		this.skipSpace();
		const quote = this.text[this.pos];
		if (quote === '"' || quote === "'") {
			const end = this.text.indexOf(quote, this.pos + 1);
			if (end < 0) this.fail('a quoted value is not closed');
			const value = this.text.slice(this.pos + 1, end);
			this.pos = end + 1;
			return value;
		}
		const rest = this.text.slice(this.pos);
		const andAt = rest.search(/\s+and\s+/i);
		const raw = (andAt < 0 ? rest : rest.slice(0, andAt)).trim();
		if (raw === '') this.fail('expected a value');
		this.pos += andAt < 0 ? rest.length : andAt;
		const number = toNumber(raw);
		return Number.isFinite(number) ? number : raw;
	}

	/** Consumes a case-insensitive keyword (words separated by any spaces) followed by a word boundary. */
	private keyword(words: string): boolean {
		const pattern = new RegExp(`^${words.split(' ').join('\\s+')}(?![\\w])`, 'i');
		const match = pattern.exec(this.text.slice(this.pos));
		if (!match) return false;
		this.pos += match[0].length;
		this.skipSpace();
		return true;
	}

	private skipSpace(): void {
		while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
	}

	private fail(problem: string): never {
		const near = this.text.slice(this.pos, this.pos + 20);
		throw new InputError(
			`${this.where}: cannot read the condition ${describeValue(this.text)}: ${problem} at position ${this.pos + 1}${near ? ` (near "${near}")` : ''}`,
			{ field: 'conditions', value: this.text },
		);
	}
}
