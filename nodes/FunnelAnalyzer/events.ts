/**
 * Mode 3, event log: ordered funnels with a conversion window, as Mixpanel computes them
 * (Mixpanel docs, "Funnels: conversion criteria"). The rules, per entity (lead, user, deal):
 *
 * - An attempt starts at a step-1 event (the anchor, time t0). With entry 'first' only the
 *   entity's earliest step-1 event anchors; with 'reentry' a new attempt may start at the next
 *   step-1 event strictly after the previous attempt ended (at its last step when it converted
 *   fully, else at the end of its window). Ties between step-1 events go to the earlier item.
 * - Window: an event counts when t0 <= t <= t0 + window (an event exactly at the end counts).
 * - 'strict' order: step k+1 must happen at or after step k (equal timestamps count as in order,
 *   whatever their order in the input); other events may happen in between. Steps are matched
 *   greedily to the earliest event, which gives the earliest possible time of every step.
 * - 'any' order: step 1 first, then the entity reaches step k once each of steps 2..k happened
 *   in the window, in any order; it reaches it at the latest of those times.
 * - Exclusion steps: an attempt is dropped when an exclusion event happens after t0 while the
 *   attempt is open: before the last step when it converted fully, else up to the window end.
 *   With entry 'first' the entity is then not counted at all.
 * - Time to next step = time reached step k+1 - time reached step k.
 * - Segment = the segment property of the anchor event.
 * Events whose step is neither a funnel step nor an exclusion step are ignored (with a warning).
 */
import { parseDateMs, type DateFormat } from '../shared/dates';
import { InputError } from '../shared/errors';
import { stageIndex, quoteList } from './stages';
import { emptyTally, type ModeResult, type Tally } from './tally';
import type { FunnelEvent, FunnelOptions } from './types';
import { checkChoice, parseName, segmentLabel } from './values';

/** One counted attempt: which event anchored it, how deep it got, and when it reached each step. */
export interface Attempt {
	anchorRow: number;
	depth: number;
	reachedAt: Float64Array;
}

/** The relevant events grouped by entity: positions groupStart[e]..groupStart[e+1] in time order. */
interface ParsedLog {
	groupStart: Int32Array;
	/** Per position: the event's time (ms), step code (0..n-1, n = exclusion) and input row. */
	time: Float64Array;
	code: Int32Array;
	row: Int32Array;
	ignored: Map<string, number>;
}

export function tallyEvents(events: FunnelEvent[], options: FunnelOptions): ModeResult {
	if (!options.stages?.length) {
		throw new InputError('Event mode needs the funnel steps in order (stages)', { field: 'stages' });
	}
	const index = stageIndex(options.stages);
	const names = [...index.keys()];
	const exclusions = new Set((options.exclusionSteps ?? []).map((s) => s.trim()).filter((s) => s !== ''));
	const both = [...exclusions].filter((s) => index.has(s));
	if (both.length > 0) {
		throw new InputError(`${quoteList(both)} cannot be both a funnel step and an exclusion step`, { field: 'exclusionSteps', value: both });
	}
	if (events.length === 0) throw new InputError('There are no events to analyze (empty input)', { field: 'events' });
	const window = options.conversionWindowMs ?? Infinity;
	if (!(window >= 0)) {
		throw new InputError(`The conversion window must be zero or more, got ${window}`, { field: 'conversionWindowMs', value: window });
	}

	const log = parseLog(events, index, exclusions, options.dateFormat ?? 'auto');
	const warnings: string[] = [];
	if (log.ignored.size > 0) {
		const top = [...log.ignored.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
		warnings.push(
			`Ignored ${sum(log.ignored.values())} events whose step is not in the funnel: ${top.map(([n, c]) => `${JSON.stringify(n)} (${c})`).join(', ')}${log.ignored.size > 10 ? ', ...' : ''}`,
		);
	}

	const seen = new Uint8Array(names.length + 1);
	for (let p = 0; p < log.code.length; p++) seen[log.code[p]] = 1;
	const absent = names.filter((_, i) => seen[i] === 0);
	if (absent.length > 0) {
		warnings.push(`No events at all for the step${absent.length > 1 ? 's' : ''} ${quoteList(absent)}: check the spelling against the step names in the data`);
	}
	const overall = emptyTally(names.length, true, false);
	const segmentField = options.segmentField;
	const bySegment = segmentField ? new Map<string, Tally>() : null;
	let excludedAttempts = 0;
	const order = checkChoice(options.order, ['strict', 'any'], 'order') ?? 'strict';
	const entry = checkChoice(options.entry, ['first', 'reentry'], 'entry') ?? 'first';
	forEachAttempt(log, names.length, window, order, entry, exclusions.size > 0, (attempt, excluded) => {
		if (excluded) {
			excludedAttempts++;
			return;
		}
		addAttempt(overall, attempt);
		if (bySegment && segmentField) {
			const segment = segmentLabel(events[attempt.anchorRow].properties?.[segmentField]);
			let tally = bySegment.get(segment);
			if (!tally) bySegment.set(segment, (tally = emptyTally(names.length, true, false)));
			addAttempt(tally, attempt);
		}
	});
	if (excludedAttempts > 0) warnings.push(`${excludedAttempts} attempts were dropped because of an exclusion step`);
	if (overall.steps[0].entered === 0) warnings.push(`Nobody entered the first step ${JSON.stringify(names[0])}`);
	return { names, overall, bySegment, warnings };
}

function addAttempt(tally: Tally, attempt: Attempt): void {
	for (let k = 0; k < attempt.depth; k++) {
		const step = tally.steps[k];
		step.entered++;
		if (k + 1 < attempt.depth) {
			step.converted++;
			step.timesToNext.push(attempt.reachedAt[k + 1] - attempt.reachedAt[k]);
		}
	}
}

/** Parses the relevant events into typed arrays and groups them by entity (counting sort). */
function parseLog(events: FunnelEvent[], index: Map<string, number>, exclusions: Set<string>, format: DateFormat): ParsedLog {
	const stepCount = index.size;
	const entityOf = new Int32Array(events.length);
	const codeOf = new Int32Array(events.length);
	const timeOf = new Float64Array(events.length);
	const entities = new Map<string, number>();
	const ignored = new Map<string, number>();
	const groupSize: number[] = [];
	let lastId: string | undefined;
	let lastEntity = -1;
	for (let row = 0; row < events.length; row++) {
		const event = events[row];
		const step = parseName(event.step, { row, field: 'step' });
		let c = index.get(step);
		if (c === undefined) {
			if (!exclusions.has(step)) {
				ignored.set(step, (ignored.get(step) ?? 0) + 1);
				entityOf[row] = -1;
				continue;
			}
			c = stepCount;
		}
		codeOf[row] = c;
		timeOf[row] = parseDateMs(event.timestamp, format, { row, field: 'timestamp' });
		const id = parseName(event.entityId, { row, field: 'entityId' });
		// Stage histories often list an entity's events together: skip the hash lookup then.
		let entity = id === lastId ? lastEntity : entities.get(id);
		if (entity === undefined) {
			entity = groupSize.length;
			entities.set(id, entity);
			groupSize.push(0);
		}
		lastId = id;
		lastEntity = entity;
		entityOf[row] = entity;
		groupSize[entity]++;
	}
	const entityCount = groupSize.length;
	const groupStart = new Int32Array(entityCount + 1);
	for (let e = 0; e < entityCount; e++) groupStart[e + 1] = groupStart[e] + groupSize[e];
	const fill = groupStart.slice(0, entityCount);
	const total = groupStart[entityCount];
	const time = new Float64Array(total);
	const code = new Int32Array(total);
	const row = new Int32Array(total);
	// Rows enter their group in input order, so a stable sort by (time, step) within each group
	// gives the (time, step, row) order the rules ask for. Contiguous groups keep it cache-friendly.
	for (let r = 0; r < events.length; r++) {
		const e = entityOf[r];
		if (e < 0) continue;
		const p = fill[e]++;
		time[p] = timeOf[r];
		code[p] = codeOf[r];
		row[p] = r;
	}
	for (let e = 0; e < entityCount; e++) sortGroup(time, code, row, groupStart[e], groupStart[e + 1]);
	return { groupStart, time, code, row, ignored };
}

/** Stable sort of positions [from, to) by (time, code): insertion sort for the usual short groups. */
function sortGroup(time: Float64Array, code: Int32Array, row: Int32Array, from: number, to: number): void {
	if (to - from > 64) {
		const idx = Array.from({ length: to - from }, (_, k) => from + k);
		idx.sort((a, b) => time[a] - time[b] || code[a] - code[b] || row[a] - row[b]);
		const t = idx.map((p) => time[p]);
		const c = idx.map((p) => code[p]);
		const r = idx.map((p) => row[p]);
		time.set(t, from);
		code.set(c, from);
		row.set(r, from);
		return;
	}
	for (let i = from + 1; i < to; i++) {
		const t = time[i];
		const c = code[i];
		const r = row[i];
		let j = i - 1;
		while (j >= from && (time[j] > t || (time[j] === t && code[j] > c))) {
			time[j + 1] = time[j];
			code[j + 1] = code[j];
			row[j + 1] = row[j];
			j--;
		}
		time[j + 1] = t;
		code[j + 1] = c;
		row[j + 1] = r;
	}
}

/** Walks every entity's attempts (see the rules at the top of this file). */
function forEachAttempt(
	log: ParsedLog,
	stepCount: number,
	window: number,
	order: 'strict' | 'any',
	entry: 'first' | 'reentry',
	hasExclusions: boolean,
	emit: (attempt: Attempt, excluded: boolean) => void,
): void {
	const { code, time, row } = log;
	const reachedAt = new Float64Array(stepCount);
	const firstSeen = new Float64Array(stepCount);
	const entityCount = log.groupStart.length - 1;
	for (let e = 0; e < entityCount; e++) {
		const end = log.groupStart[e + 1];
		let from = log.groupStart[e];
		let previousEnd = -Infinity;
		for (;;) {
			let a = from;
			while (a < end && !(code[a] === 0 && time[a] > previousEnd)) a++;
			if (a >= end) break;
			const t0 = time[a];
			const limit = t0 + window;
			reachedAt[0] = t0;
			let depth = 1;
			if (order === 'strict') {
				for (let p = a + 1; p < end && depth < stepCount; p++) {
					if (time[p] > limit) break;
					if (code[p] === depth) reachedAt[depth++] = time[p];
				}
			} else {
				firstSeen.fill(NaN);
				for (let p = a + 1; p < end; p++) {
					if (time[p] > limit) break;
					const c = code[p];
					if (c > 0 && c < stepCount && Number.isNaN(firstSeen[c])) firstSeen[c] = time[p];
				}
				while (depth < stepCount && !Number.isNaN(firstSeen[depth])) {
					reachedAt[depth] = Math.max(reachedAt[depth - 1], firstSeen[depth]);
					depth++;
				}
			}
			const converted = depth === stepCount;
			const attemptEnd = converted ? reachedAt[stepCount - 1] : limit;
			let excluded = false;
			if (hasExclusions) {
				for (let p = a + 1; p < end; p++) {
					const t = time[p];
					if (converted ? t >= attemptEnd : t > attemptEnd) break;
					if (code[p] === stepCount && t > t0) {
						excluded = true;
						break;
					}
				}
			}
			emit({ anchorRow: row[a], depth, reachedAt }, excluded);
			if (entry === 'first' || attemptEnd === Infinity) break;
			previousEnd = attemptEnd;
			from = a + 1;
		}
	}
}

function sum(values: Iterable<number>): number {
	let total = 0;
	for (const v of values) total += v;
	return total;
}
