/**
 * Mode 2, records with a current stage (one row per lead or deal, as in a CRM sheet).
 *
 * Reached stages: with reachedBy 'currentStage' (default, HubSpot's "cumulative" funnel) a
 * record at stage k reached stages 1..k; with 'entryDates' only the stages with an entry date,
 * plus its current stage. A record whose current stage is outside the funnel, in ignoreStages
 * or a lost stage such as "Lost" / "Closed Lost", counts (cumulatively) up to its furthest
 * dated stage, and at least at stage 1.
 * Status: the status field, or without one the stage name, matched against won/lost values. Converted at stage k = reached k and k + 1.
 * Times (when "date entered <stage>" fields exist): time to next = entry(k+1) - entry(k);
 * time in stage k = until the next stage with an entry date, or, in its current stage, until
 * it closed (closedAt) or, while open, until asOf.
 */
import { parseOptionalDateMs, type DateFormat } from '../shared/dates';
import { InputError } from '../shared/errors';
import { computePipeline, parseStatus, type DealRow } from './pipeline';
import { stageIndex, unknownStagesError } from './stages';
import { emptyTally, type ModeResult, type Tally } from './tally';
import type { FunnelOptions, FunnelRecord, PipelineMetrics } from './types';
import { checkChoice, parseAmount, parseName, segmentLabel } from './values';

export function tallyRecords(records: FunnelRecord[], options: FunnelOptions): ModeResult & { pipeline: PipelineMetrics | null } {
	if (!options.stages?.length) {
		throw new InputError('Records mode needs the stage order (stages)', { field: 'stages' });
	}
	const index = stageIndex(options.stages);
	const names = [...index.keys()];
	const n = names.length;
	if (records.length === 0) throw new InputError('There are no records to analyze (empty input)', { field: 'records' });
	const ignore = new Set((options.ignoreStages ?? []).map((s) => s.trim()));
	const format: DateFormat = options.dateFormat ?? 'auto';
	const byEntryDates = checkChoice(options.reachedBy, ['currentStage', 'entryDates'], 'reachedBy') === 'entryDates';

	// First pass: names. All unknown stages are reported together.
	const unknown = new Map<string, number>();
	const current = records.map((r, row) => {
		const stage = parseName(r.stage, { row, field: 'stage' });
		// A closing stage outside the funnel ("Lost") is not an unknown stage: the deal was lost.
		const closedOutside = !index.has(stage) && parseStatus(stage, options) !== 'open';
		if (!index.has(stage) && !ignore.has(stage) && !closedOutside && !unknown.has(stage)) unknown.set(stage, row);
		for (const key of Object.keys(r.stageDates ?? {})) {
			if (!index.has(key) && !unknown.has(key)) unknown.set(key, row);
		}
		return index.get(stage) ?? -1;
	});
	if (unknown.size > 0) throw unknownStagesError(unknown, 'stage', names);

	const hasTimes = records.some((r) => Object.values(r.stageDates ?? {}).some((v) => v !== undefined && v !== null && v !== ''));
	const overall = emptyTally(n, hasTimes, hasTimes);
	const bySegment = options.segmentField ? new Map<string, Tally>() : null;
	const deals: DealRow[] = [];
	const hasDealData = records.some((r) => r.status !== undefined || r.amount !== undefined || parseStatus(r.stage, options) !== 'open');
	let negativeGaps = 0;
	const entry = new Float64Array(n);
	const reached = new Uint8Array(n);
	// One buffer for every deal's reached stages (the pipeline's historical probabilities).
	const reachedAll = new Uint8Array(hasDealData ? records.length * n : 0);

	records.forEach((r, row) => {
		entry.fill(NaN);
		for (const [stage, value] of Object.entries(r.stageDates ?? {})) {
			const ms = parseOptionalDateMs(value, format, { row, field: `stageDates.${stage}` });
			if (ms !== null) entry[index.get(stage) as number] = ms;
		}
		const closedAt = parseOptionalDateMs(r.closedAt, format, { row, field: 'closedAt' });
		// Without a status field the stage itself may say it: "Won", "Lost", "Closed Won"...
		const status = parseStatus(r.status !== undefined ? r.status : r.stage, options);
		const k = current[row];
		reached.fill(0);
		let furthestDated = -1;
		for (let i = 0; i < n; i++) if (!Number.isNaN(entry[i])) furthestDated = i;
		if (byEntryDates) {
			for (let i = 0; i < n; i++) reached[i] = Number.isNaN(entry[i]) ? 0 : 1;
			if (k >= 0) reached[k] = 1;
		} else {
			// Every record entered the funnel, so a closed-outside one counts at least at stage 1.
			reached.fill(1, 0, Math.max(k, furthestDated, 0) + 1);
		}
		let segmentTally: Tally | null = null;
		if (bySegment) {
			const segment = segmentLabel(r.segment);
			segmentTally = bySegment.get(segment) ?? null;
			if (!segmentTally) bySegment.set(segment, (segmentTally = emptyTally(n, hasTimes, hasTimes)));
		}
		for (let i = 0; i < n; i++) {
			if (!reached[i]) continue;
			const convertedHere = i + 1 < n && reached[i + 1] === 1;
			let toNext: number | null = null;
			if (convertedHere && !Number.isNaN(entry[i]) && !Number.isNaN(entry[i + 1])) {
				toNext = entry[i + 1] - entry[i];
				if (toNext < 0) {
					negativeGaps++;
					toNext = null;
				}
			}
			const inStage = timeInStage(entry, i, k, status === 'open' ? options.asOf : (closedAt ?? undefined));
			addToStep(overall, i, convertedHere, toNext, inStage);
			if (segmentTally) addToStep(segmentTally, i, convertedHere, toNext, inStage);
		}
		if (hasDealData) {
			reachedAll.set(reached, deals.length * n);
			deals.push({
				row,
				status,
				amount: parseAmount(r.amount, { row, field: 'amount' }),
				createdAt: parseOptionalDateMs(r.createdAt, format, { row, field: 'createdAt' }),
				closedAt,
				stageIndex: k,
				reached: reachedAll.subarray(deals.length * n, deals.length * n + n),
			});
		}
	});

	const warnings: string[] = [];
	if (negativeGaps > 0) {
		warnings.push(`${negativeGaps} stage entry dates are earlier than the stage before; those gaps are left out of the times`);
	}
	const pipeline = hasDealData ? computePipeline(deals, names, options, warnings) : null;
	return { names, overall, bySegment, warnings, pipeline };
}

function addToStep(tally: Tally, i: number, converted: boolean, toNext: number | null, inStage: number | null): void {
	const step = tally.steps[i];
	step.entered++;
	if (converted) step.converted++;
	if (toNext !== null) step.timesToNext.push(toNext);
	if (inStage !== null) step.timesInStage.push(inStage);
}

/** Milliseconds spent in stage i, or null when it cannot be known (see the file comment). */
function timeInStage(entry: Float64Array, i: number, currentStage: number, until: number | undefined): number | null {
	if (Number.isNaN(entry[i])) return null;
	for (let j = i + 1; j < entry.length; j++) {
		if (!Number.isNaN(entry[j])) return entry[j] >= entry[i] ? entry[j] - entry[i] : null;
	}
	if (i !== currentStage) return null;
	return until !== undefined && until >= entry[i] ? until - entry[i] : null;
}
