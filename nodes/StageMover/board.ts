/**
 * The Stage Mover's per-execution state: the records as they stand (from the sheet, or the items
 * themselves in compute-only mode), updated as items are decided in order, so two items for the
 * same record chain (New → MQL, then MQL → SQL) instead of both starting from New.
 *
 * Safety rules decided here (the node only carries them out):
 * - conflict: an item that says which stage it saw (its stage field) is rejected when the
 *   sheet now says otherwise; nothing of that record is overwritten;
 * - not found: a key that is not in the sheet is rejected (never appended by a stage move);
 * - replay: a record this execution already moved (StageHistory rows with its execution id) is
 *   decided again from the stage it had before, so a re-run reaches the same decisions; each move
 *   is then matched to its history row and reported, never made or logged twice (a move that does
 *   not match the history is rejected as a conflict). If the history row landed but the stage
 *   write did not, only the stage is written.
 */
import { describeValue } from '../shared/errors';
import type { DateFormat } from '../shared/dates';
import type { ExecutionHistory } from './history';
import { resolveStage, stageKey, type Pipeline } from './pipeline';
import { decideMove, recordKey, type RejectedMove, type StageMove, type StageRecord } from './plan';
import { firstMatchingRule, type StageRule } from './rules';
import { isBlank } from './transitions';

export interface BoardSettings {
	pipeline: Pipeline;
	keyField: string;
	stageField: string;
	/** Field the moves write their time to; with the history's time it tells whether a write landed. */
	changedAtField?: string;
	/** For Apply Rules; Move to Stage passes a target per item instead. */
	rules?: StageRule[];
	nowMs: number;
	dateFormat: DateFormat;
	/** The sheet's records by key; undefined in compute-only mode (the items are the records). */
	sheet?: Map<string, StageRecord>;
	/** Moves this execution already recorded; undefined when there is no history to check. */
	history?: ExecutionHistory;
	/** Where a record lives, for rejection messages, e.g. `Tab "Leads" row 7`. */
	locate?: (key: string) => string | undefined;
}

export interface ItemDecision {
	move: StageMove;
	/** The record's stage cell before this move, as stored (for compare-and-set). */
	stageBefore: unknown;
	/**
	 * Set when an earlier run of this execution already recorded this move in the history:
	 * 'recorded': the stage was written too, write nothing;
	 * 'historyOnly': the stage write did not land: write the stage, log nothing.
	 */
	replay?: 'recorded' | 'historyOnly';
	/** The record as the decision saw it (sheet values with the item's fields on top). */
	record: StageRecord;
}

export class StageBoard {
	private readonly current = new Map<string, StageRecord>();

	constructor(private readonly settings: BoardSettings) {}

	/**
	 * Decides item `row`. For Move to Stage pass `target` (and an optional reason); for Apply Rules
	 * leave target undefined. Throws InputError for an empty key or an unreadable date.
	 */
	decide(json: StageRecord, row: number, target?: unknown, reason?: string): ItemDecision {
		const { pipeline, keyField, stageField, sheet } = this.settings;
		const key = recordKey(json, keyField, row);
		const stored = this.current.get(key) ?? this.startingRecord(key) ?? (sheet ? undefined : json);
		if (stored === undefined) {
			return this.rejected(json, key, 'not found', `No record with ${keyField} ${describeValue(key)} in the sheet`, target);
		}
		const stageBefore = stored[stageField];
		if (sheet && Object.prototype.hasOwnProperty.call(json, stageField) && !sameStage(pipeline, json[stageField], stageBefore)) {
			return this.rejected(
				json,
				key,
				'conflict',
				`The item says stage ${describeValue(json[stageField])} but the sheet now says ${describeValue(stageBefore)}: it was changed since it was read, so nothing was overwritten`,
				target,
				stageBefore,
			);
		}
		// Conditions see the item's fields (e.g. a fresh score) on top of the sheet's; the stage and
		// the required fields are the sheet's, since that is what the move writes to.
		const record = sheet ? { ...stored, ...json, [stageField]: stageBefore } : stored;

		let move: StageMove;
		if (target === undefined) {
			const rule = firstMatchingRule(this.settings.rules ?? [], record, { nowMs: this.settings.nowMs, dateFormat: this.settings.dateFormat, row });
			move = rule
				? decideMove(pipeline, stored, key, stageField, rule.moveTo, rule.name)
				: { outcome: 'unchanged', key, stage: resolveStage(pipeline, stageBefore) ?? null, reason: 'no rule matched' };
		} else {
			move = decideMove(pipeline, stored, key, stageField, target, reason);
		}
		let replay: ItemDecision['replay'];
		if (move.outcome === 'moved' && this.settings.history?.has(key)) {
			replay = this.matchRecorded(key, move.from, move.to);
			if (!replay) {
				move = {
					outcome: 'rejected',
					rejected: true,
					key,
					from: move.from,
					to: move.to,
					reason: 'conflict',
					detail: `This execution already moved it differently (see the history tab); "${move.to}" was not applied`,
				};
			}
		}
		if (move.outcome === 'moved') this.current.set(key, { ...stored, [stageField]: move.to });
		if (move.outcome === 'rejected') move = this.located(move);
		return replay ? { move, stageBefore, record, replay } : { move, stageBefore, record };
	}

	/**
	 * A record this execution already moved (a re-run) is decided again from the stage it had
	 * before the first run, so the same items reach the same decisions; each move must then be the
	 * next one in the history. Without history, the sheet's record as read.
	 */
	private startingRecord(key: string): StageRecord | undefined {
		const { sheet, history, stageField } = this.settings;
		const stored = sheet?.get(key);
		const recorded = history?.get(key);
		if (!stored || !recorded || recorded.length === 0) return stored;
		return { ...stored, [stageField]: recorded[0].from };
	}

	/** Pairs a move of a re-run with the next recorded one: 'recorded' (done) or 'historyOnly' (write the stage). */
	private matchRecorded(key: string, from: string | null, to: string): ItemDecision['replay'] {
		const { pipeline, stageField } = this.settings;
		const recorded = this.settings.history?.get(key) ?? [];
		const entry = recorded.find((r) => !r.used);
		if (!entry || !sameStage(pipeline, entry.from, from) || !sameStage(pipeline, entry.to, to)) return undefined;
		entry.used = true;
		// One batchUpdate carries all stage writes of a run, so they all landed or none did. They did
		// when the record's stageChangedAt is the logged time; and if the stage is no longer the one
		// from before the run, someone moved it since: leave it. Otherwise write the stage now.
		const record = this.settings.sheet?.get(key) ?? {};
		const changedAt = this.settings.changedAtField ? record[this.settings.changedAtField] : undefined;
		const last = recorded[recorded.length - 1];
		const landed = (!isBlank(changedAt) && String(changedAt).trim() === last.time) || !sameStage(pipeline, record[stageField], recorded[0].from);
		return landed ? 'recorded' : 'historyOnly';
	}

	private rejected(json: StageRecord, key: string, reason: RejectedMove['reason'], detail: string, target: unknown, stageBefore?: unknown): ItemDecision {
		const { pipeline } = this.settings;
		const from = resolveStage(pipeline, stageBefore ?? json[this.settings.stageField]) ?? null;
		const to = target === undefined || isBlank(target) ? null : (resolveStage(pipeline, String(target)) ?? String(target));
		return { move: this.located({ outcome: 'rejected', rejected: true, key, from, to, reason, detail }), stageBefore, record: json };
	}

	/** Prefixes the record's place in the sheet (tab, row, stage column) to a rejection. */
	private located(move: RejectedMove): RejectedMove {
		const where = this.settings.locate?.(move.key);
		return where ? { ...move, detail: `${where}, column "${this.settings.stageField}": ${move.detail}` } : move;
	}
}

/** Two stage cells name the same stage (case and spaces ignored; blanks are equal). */
export function sameStage(pipeline: Pipeline, a: unknown, b: unknown): boolean {
	if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
	const ra = resolveStage(pipeline, String(a));
	const rb = resolveStage(pipeline, String(b));
	if (ra !== undefined || rb !== undefined) return ra === rb;
	return stageKey(String(a)) === stageKey(String(b));
}
