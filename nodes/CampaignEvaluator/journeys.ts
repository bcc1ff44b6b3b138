/**
 * Customer journeys for attribution, built from either input shape:
 * - one item per touch (customer id, channel, timestamp, conversion flag, value): each
 *   customer's touches in time order; a touch flagged as a conversion closes a converting
 *   journey (it counts as a touch when it has a channel); touches after the last conversion
 *   form a non-converting journey;
 * - one item per path, the R ChannelAttribution format: "a > b > c", conversions, value,
 *   non-conversions (counts may be fractional weights, as there).
 */
import { parseDateMs, type DateFormat } from '../shared/dates';
import { InputError, describeValue } from '../shared/errors';
import { isBlank, readAmount } from './values';

export interface Journey {
	/** Channels in the order touched; the same channel may repeat. */
	channels: string[];
	/** Conversions at the end of this path (a path item may stand for many customers). */
	conversions: number;
	/** Total conversion value of those conversions. */
	value: number;
	/** Journeys that ended on this path without converting. */
	nonConversions: number;
	/** Epoch ms of each touch (touch input only), for time decay. */
	touchTimes?: number[];
	/** Epoch ms of the conversion (touch input only). */
	conversionTime?: number;
}

/** State names the Markov chain uses; a channel may not be called that. */
export const RESERVED_CHANNELS: ReadonlySet<string> = new Set(['(start)', '(conversion)', '(null)']);

// Control characters make a channel name invisible or break the sheet it is written to.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A channel name, trimmed and checked. */
export function checkChannel(raw: unknown, row: number, field: string): string {
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new InputError(`Item ${row}: field "${field}" is ${describeValue(raw)}, which is not a channel name`, { row, field, value: raw });
	}
	const name = String(raw).trim();
	if (name === '') throw new InputError(`Item ${row}: field "${field}" has an empty channel name`, { row, field, value: raw });
	if (CONTROL_CHARACTERS.test(name)) {
		throw new InputError(`Item ${row}: channel name ${describeValue(name)} in field "${field}" contains control characters (tab, newline...)`, { row, field, value: raw });
	}
	if (RESERVED_CHANNELS.has(name)) {
		throw new InputError(`Item ${row}: channel name ${describeValue(name)} is reserved for the Markov model's states; rename the channel`, { row, field, value: raw });
	}
	return name;
}

export interface PathFieldMapping {
	path?: string;
	conversions?: string;
	value?: string;
	nonConversions?: string;
}

export const DEFAULT_PATH_FIELDS: Required<PathFieldMapping> = {
	path: 'path',
	conversions: 'conversions',
	value: 'value',
	nonConversions: 'nonConversions',
};

/** Splits "a > b > c" into channels; an empty step ("a > > b") is an error. */
export function splitPath(path: unknown, row: number, field: string, separator = '>'): string[] {
	if (Array.isArray(path)) return path.map((step) => checkChannel(step, row, field));
	if (typeof path !== 'string') throw new InputError(`Item ${row}: field "${field}" is ${describeValue(path)}, which is not a path like "email > social"`, { row, field, value: path });
	if (path.trim() === '') throw new InputError(`Item ${row}: field "${field}" is an empty journey`, { row, field, value: path });
	return path.split(separator).map((step, position) => {
		if (step.trim() === '') {
			throw new InputError(`Item ${row}: path ${describeValue(path)} has an empty step at position ${position + 1}`, { row, field, value: path });
		}
		return checkChannel(step, row, field);
	});
}

/** One journey per path item (ChannelAttribution format). */
export function journeysFromPaths(rows: Array<Record<string, unknown>>, mapping: PathFieldMapping = {}, separator = '>'): Journey[] {
	const fields = { ...DEFAULT_PATH_FIELDS, ...Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) };
	return rows.map((row, index) => {
		const amount = (field: string) => readAmount(row[field], { row: index, field }) ?? 0;
		return {
			channels: splitPath(row[fields.path], index, fields.path, separator),
			conversions: amount(fields.conversions),
			value: amount(fields.value),
			nonConversions: amount(fields.nonConversions),
		};
	});
}

export interface TouchFieldMapping {
	customerId?: string;
	channel?: string;
	timestamp?: string;
	converted?: string;
	value?: string;
}

export const DEFAULT_TOUCH_FIELDS: Required<TouchFieldMapping> = {
	customerId: 'customerId',
	channel: 'channel',
	timestamp: 'timestamp',
	converted: 'converted',
	value: 'value',
};

interface Touch {
	channel: string | null;
	time: number;
	converted: boolean;
	value: number;
}

const TRUE_TEXT = new Set(['true', 'yes', 'y', '1', 'converted', 'x']);
const FALSE_TEXT = new Set(['false', 'no', 'n', '0', '']);

function readFlag(value: unknown, row: number, field: string): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (TRUE_TEXT.has(text)) return true;
		if (FALSE_TEXT.has(text)) return false;
	}
	throw new InputError(`Item ${row}: field "${field}" is ${describeValue(value)}, which is not a yes/no conversion flag`, { row, field, value });
}

function readTouches(rows: Array<Record<string, unknown>>, fields: Required<TouchFieldMapping>, dateFormat: DateFormat): Map<string, Touch[]> {
	const byCustomer = new Map<string, Touch[]>();
	for (let row = 0; row < rows.length; row++) {
		const item = rows[row];
		const id = item[fields.customerId];
		if (isBlank(id) || (typeof id !== 'string' && typeof id !== 'number')) {
			throw new InputError(`Item ${row}: field "${fields.customerId}" is ${describeValue(id)}, which is not a customer id`, { row, field: fields.customerId, value: id });
		}
		const converted = readFlag(item[fields.converted], row, fields.converted);
		const rawChannel = item[fields.channel];
		const channel = converted && isBlank(rawChannel) ? null : checkChannel(rawChannel, row, fields.channel);
		const touch: Touch = {
			channel,
			time: parseDateMs(item[fields.timestamp], dateFormat, { row, field: fields.timestamp }),
			converted,
			value: converted ? (readAmount(item[fields.value], { row, field: fields.value }) ?? 0) : 0,
		};
		const key = String(id);
		const list = byCustomer.get(key);
		if (list) list.push(touch);
		else byCustomer.set(key, [touch]);
	}
	return byCustomer;
}

/**
 * Journeys from one item per touch. Returns the journeys and warnings (e.g. conversions with
 * no touch before them, which no model can credit).
 */
export function journeysFromTouches(
	rows: Array<Record<string, unknown>>,
	mapping: TouchFieldMapping = {},
	dateFormat: DateFormat = 'auto',
): { journeys: Journey[]; warnings: string[] } {
	const fields = { ...DEFAULT_TOUCH_FIELDS, ...Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) };
	const journeys: Journey[] = [];
	let uncredited = 0;
	for (const touches of readTouches(rows, fields, dateFormat).values()) {
		touches.sort((a, b) => a.time - b.time); // stable: equal times keep input order
		let channels: string[] = [];
		let times: number[] = [];
		for (const touch of touches) {
			if (touch.channel !== null) {
				channels.push(touch.channel);
				times.push(touch.time);
			}
			if (!touch.converted) continue;
			if (channels.length === 0) {
				uncredited++;
				continue;
			}
			journeys.push({ channels, conversions: 1, value: touch.value, nonConversions: 0, touchTimes: times, conversionTime: touch.time });
			channels = [];
			times = [];
		}
		if (channels.length > 0) journeys.push({ channels, conversions: 0, value: 0, nonConversions: 1, touchTimes: times });
	}
	const warnings = uncredited > 0 ? [`${uncredited} conversion(s) had no channel touch before them and were left out.`] : [];
	return { journeys, warnings };
}

/** Merges runs of the same channel ("a > a > b" -> "a > b"), keeping the latest time of each run. */
export function collapseRepeats(journey: Journey): Journey {
	const channels: string[] = [];
	const times: number[] = [];
	journey.channels.forEach((channel, i) => {
		if (channels.length > 0 && channels[channels.length - 1] === channel) {
			if (journey.touchTimes) times[times.length - 1] = journey.touchTimes[i];
			return;
		}
		channels.push(channel);
		if (journey.touchTimes) times.push(journey.touchTimes[i]);
	});
	return { ...journey, channels, touchTimes: journey.touchTimes ? times : undefined };
}
