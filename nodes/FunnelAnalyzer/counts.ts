/**
 * Mode 1, stage counts: the seed's table (stage, count), optionally one row per stage and
 * segment. Without entities, "converted" at step i is simply the count at step i + 1.
 */
import { InputError } from '../shared/errors';
import { emptyTally, type ModeResult, type Tally } from './tally';
import { parseCount, parseName, segmentLabel } from './values';
import { stageIndex, unknownStagesError, quoteList } from './stages';
import type { FunnelOptions, StageCount } from './types';

export function tallyCounts(input: StageCount[] | Record<string, unknown>, options: FunnelOptions): ModeResult {
	const rows: StageCount[] = Array.isArray(input)
		? input
		: Object.entries(input).map(([stage, count]) => ({ stage, count }));
	if (rows.length === 0) throw new InputError('There are no stage counts to analyze (empty input)', { field: 'counts' });
	const withSegments = rows.some((r) => r.segment !== undefined);

	// Stage order: configured, or the order in which stages first appear.
	const parsed = rows.map((r, row) => ({
		stage: parseName(r.stage, { row, field: 'stage' }),
		count: parseCount(r.count, { row, field: 'count' }),
		segment: withSegments ? segmentLabel(r.segment) : '',
		row,
	}));
	const index = options.stages?.length ? stageIndex(options.stages) : stageIndex([...new Set(parsed.map((p) => p.stage))]);
	const names = [...index.keys()];
	const unknown = new Map<string, number>();
	for (const p of parsed) if (!index.has(p.stage) && !unknown.has(p.stage)) unknown.set(p.stage, p.row);
	if (unknown.size > 0) throw unknownStagesError(unknown, 'stage', names);

	const warnings: string[] = [];
	const overall = emptyTally(names.length, false, false);
	const bySegment = withSegments ? new Map<string, Tally>() : null;
	const seen = new Map<string, number>();
	for (const p of parsed) {
		const key = `${p.stage}\u0000${p.segment}`;
		if (seen.has(key)) {
			const what = withSegments ? `stage ${JSON.stringify(p.stage)} and segment ${JSON.stringify(p.segment)}` : `stage ${JSON.stringify(p.stage)}`;
			throw new InputError(`Item ${p.row}: ${what} already has a count (item ${seen.get(key)}); give each stage one count`, {
				row: p.row,
				field: 'stage',
				value: p.stage,
			});
		}
		seen.set(key, p.row);
		const i = index.get(p.stage) as number;
		overall.steps[i].entered += p.count;
		if (bySegment) {
			if (!bySegment.has(p.segment)) bySegment.set(p.segment, emptyTally(names.length, false, false));
			(bySegment.get(p.segment) as Tally).steps[i].entered += p.count;
		}
	}

	const missing = names.filter((name) => !parsed.some((p) => p.stage === name));
	if (missing.length > 0) warnings.push(`No count given for ${quoteList(missing)}: counted as 0`);
	for (const tally of [overall, ...(bySegment?.values() ?? [])]) {
		for (let i = 0; i + 1 < names.length; i++) tally.steps[i].converted = tally.steps[i + 1].entered;
	}
	const growing = names.slice(1).filter((_, i) => overall.steps[i + 1].entered > overall.steps[i].entered);
	if (growing.length > 0) {
		warnings.push(
			`Not a funnel: the count grows at ${quoteList(growing)} (more than the stage before). Rates above 1 and negative drop-offs are shown as computed`,
		);
	}
	return { names, overall, bySegment, warnings };
}
