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
import { isBlank, readAmount, skipOrThrow, type BadRowHandler } from './values';

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
export function splitPath(path: unknown, row: number, field: string, separator = '>', checked = new Map<string, string>()): string[] {
	if (Array.isArray(path)) return path.map((step) => checkChannel(step, row, field));
	if (typeof path !== 'string') throw new InputError(`Item ${row}: field "${field}" is ${describeValue(path)}, which is not a path like "email > social"`, { row, field, value: path });
	if (path.trim() === '') throw new InputError(`Item ${row}: field "${field}" is an empty journey`, { row, field, value: path });
	return path.split(separator).map((step, position) => {
		const known = checked.get(step);
		if (known !== undefined) return known;
		if (step.trim() === '') {
			throw new InputError(`Item ${row}: path ${describeValue(path)} has an empty step at position ${position + 1}`, { row, field, value: path });
		}
		const name = checkChannel(step, row, field);
		checked.set(step, name);
		return name;
	});
}

/** One journey per path item (ChannelAttribution format). */
export function journeysFromPaths(rows: Array<Record<string, unknown>>, mapping: PathFieldMapping = {}, separator = '>', onBadRow?: BadRowHandler): Journey[] {
	const fields = { ...DEFAULT_PATH_FIELDS, ...Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) };
	const checked = new Map<string, string>(); // each distinct step spelling is checked once
	const journeys: Journey[] = [];
	rows.forEach((row, index) => {
		const amount = (field: string) => readAmount(row[field], { row: index, field }) ?? 0;
		try {
			journeys.push({
				channels: splitPath(row[fields.path], index, fields.path, separator, checked),
				conversions: amount(fields.conversions),
				value: amount(fields.value),
				nonConversions: amount(fields.nonConversions),
			});
		} catch (error) {
			skipOrThrow(error, onBadRow);
		}
	});
	return journeys;
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

/** Touches in columns (one typed array per field): a million touches without a million objects. */
interface TouchColumns {
	customer: Int32Array;
	/** Index into `channels`, or -1 for a conversion row without a channel. */
	channel: Int32Array;
	time: Float64Array;
	converted: Uint8Array;
	value: Float64Array;
	customers: number;
	channels: string[];
}

/** Marks a touch row that failed to read (left out when bad rows are skipped). */
const SKIPPED = -1;

/** Reads touch rows into columns; one instance per call, so its fields stay monomorphic in the hot loop. */
class TouchReader {
	readonly columns: TouchColumns;
	private readonly customerIndex = new Map<string, number>();
	// Raw cell -> channel index; each distinct spelling is checked once.
	private readonly channelCache = new Map<unknown, number>();
	private readonly channelIndex = new Map<string, number>();
	private readonly idField: string;
	private readonly channelField: string;
	private readonly timeField: string;
	private readonly convertedField: string;
	private readonly valueField: string;

	constructor(
		n: number,
		fields: Required<TouchFieldMapping>,
		private readonly dateFormat: DateFormat,
	) {
		this.columns = {
			customer: new Int32Array(n),
			channel: new Int32Array(n),
			time: new Float64Array(n),
			converted: new Uint8Array(n),
			value: new Float64Array(n),
			customers: 0,
			channels: [],
		};
		this.idField = fields.customerId;
		this.channelField = fields.channel;
		this.timeField = fields.timestamp;
		this.convertedField = fields.converted;
		this.valueField = fields.value;
	}

	private channelOf(raw: unknown, converted: boolean, row: number): number {
		const cached = this.channelCache.get(raw);
		if (cached !== undefined) return cached;
		if (converted && isBlank(raw)) return -1;
		const name = checkChannel(raw, row, this.channelField);
		let channel = this.channelIndex.get(name);
		if (channel === undefined) {
			channel = this.columns.channels.length;
			this.columns.channels.push(name);
			this.channelIndex.set(name, channel);
		}
		this.channelCache.set(raw, channel);
		return channel;
	}

	read(item: Record<string, unknown>, row: number): void {
		const id = item[this.idField];
		if (isBlank(id) || (typeof id !== 'string' && typeof id !== 'number')) {
			throw new InputError(`Item ${row}: field "${this.idField}" is ${describeValue(id)}, which is not a customer id`, { row, field: this.idField, value: id });
		}
		const converted = readFlag(item[this.convertedField], row, this.convertedField);
		const channel = this.channelOf(item[this.channelField], converted, row);
		const time = parseDateMs(item[this.timeField], this.dateFormat, { row, field: this.timeField });
		const value = converted ? (readAmount(item[this.valueField], { row, field: this.valueField }) ?? 0) : 0;
		// Only a row that read cleanly registers its customer.
		const key = String(id);
		let customer = this.customerIndex.get(key);
		if (customer === undefined) {
			customer = this.customerIndex.size;
			this.customerIndex.set(key, customer);
		}
		const columns = this.columns;
		columns.customer[row] = customer;
		columns.channel[row] = channel;
		columns.time[row] = time;
		columns.converted[row] = converted ? 1 : 0;
		columns.value[row] = value;
		columns.customers = this.customerIndex.size;
	}
}

function readTouches(rows: Array<Record<string, unknown>>, fields: Required<TouchFieldMapping>, dateFormat: DateFormat, onBadRow?: BadRowHandler): TouchColumns {
	const reader = new TouchReader(rows.length, fields, dateFormat);
	if (!onBadRow) {
		// The common case stays free of try/catch, which slowed this loop threefold.
		for (let row = 0; row < rows.length; row++) reader.read(rows[row], row);
		return reader.columns;
	}
	for (let row = 0; row < rows.length; row++) {
		try {
			reader.read(rows[row], row);
		} catch (error) {
			// Under "continue on fail" a bad row is reported and left out.
			skipOrThrow(error, onBadRow);
			reader.columns.customer[row] = SKIPPED;
		}
	}
	return reader.columns;
}

/**
 * Row order grouped by customer (first-seen order), each customer's rows by time; equal
 * times keep input order. Counting sort on the customer, then a sort inside each group.
 */
function orderByCustomerAndTime(columns: TouchColumns): { order: Int32Array; groupStart: Int32Array } {
	const n = columns.customer.length;
	const groupStart = new Int32Array(columns.customers + 1);
	for (let i = 0; i < n; i++) if (columns.customer[i] !== SKIPPED) groupStart[columns.customer[i] + 1]++;
	for (let c = 0; c < columns.customers; c++) groupStart[c + 1] += groupStart[c];
	const fill = groupStart.slice(0, columns.customers);
	const order = new Int32Array(groupStart[columns.customers]);
	for (let i = 0; i < n; i++) if (columns.customer[i] !== SKIPPED) order[fill[columns.customer[i]]++] = i;
	const time = columns.time;
	for (let c = 0; c < columns.customers; c++) {
		const from = groupStart[c];
		const to = groupStart[c + 1];
		if (to - from > 1) order.subarray(from, to).sort((a, b) => time[a] - time[b] || a - b);
	}
	return { order, groupStart };
}

/**
 * Journeys from one item per touch. Returns the journeys and warnings (e.g. conversions with
 * no touch before them, which no model can credit).
 */
export function journeysFromTouches(
	rows: Array<Record<string, unknown>>,
	mapping: TouchFieldMapping = {},
	dateFormat: DateFormat = 'auto',
	onBadRow?: BadRowHandler,
): { journeys: Journey[]; warnings: string[] } {
	const fields = { ...DEFAULT_TOUCH_FIELDS, ...Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) };
	const columns = readTouches(rows, fields, dateFormat, onBadRow);
	const { order, groupStart } = orderByCustomerAndTime(columns);
	const journeys: Journey[] = [];
	let uncredited = 0;
	for (let c = 0; c < columns.customers; c++) {
		let channels: string[] = [];
		let times: number[] = [];
		for (let k = groupStart[c]; k < groupStart[c + 1]; k++) {
			const row = order[k];
			const channel = columns.channel[row];
			if (channel >= 0) {
				channels.push(columns.channels[channel]);
				times.push(columns.time[row]);
			}
			if (!columns.converted[row]) continue;
			if (channels.length === 0) {
				uncredited++;
				continue;
			}
			journeys.push({ channels, conversions: 1, value: columns.value[row], nonConversions: 0, touchTimes: times, conversionTime: columns.time[row] });
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
	return {
		channels,
		conversions: journey.conversions,
		value: journey.value,
		nonConversions: journey.nonConversions,
		touchTimes: journey.touchTimes ? times : undefined,
		conversionTime: journey.conversionTime,
	};
}
