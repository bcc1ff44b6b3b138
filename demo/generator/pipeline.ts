/**
 * Moves one lead through the pipeline New → MQL → SQL → Proposal → Negotiation → Won, or to
 * Lost from any open stage (the Stage Mover's default transitions). Each stage lasts an
 * exponential time; at its end the lead advances with a probability that grows with its
 * propensity (a logistic link, so behaviour really predicts outcome and a scoring model has
 * something to learn), otherwise it is lost. A lead whose next step would fall after the
 * demo's "now" is still open in its current stage.
 */
import type { Random } from './random';
import { DAY_MS, OBSERVATION_END, roundToMinute } from './time';
import { OPEN_STAGES, type Stage } from './types';

/** Mean days spent in each open stage. */
const MEAN_DAYS_IN_STAGE = [6, 12, 16, 20, 14];
/** Per-stage offset of the logit of advancing (later stages are easier to pass). */
const ADVANCE_BIAS = [1.0, 0.5, 0.6, 1.0, 1.6];
const ADVANCE_REASONS = ['score reached the MQL threshold', 'replied to a follow-up', 'proposal sent', 'negotiation started', 'contract signed'];
const WON_REASONS = ['fast delivery', 'product quality', 'referral trust', 'best price'];
const LOST_REASONS = ['no budget', 'went with a competitor', 'no response', 'bad timing', 'not a fit', 'price too high'];

export interface Move {
	time: number;
	from: Stage | '';
	to: Stage;
	reason: string;
}

export interface PipelinePath {
	moves: Move[];
	stage: Stage;
	outcome: 'won' | 'lost' | '';
	closedAt: number | undefined;
	wonReason: string;
	lostReason: string;
	/** Highest open stage reached (0 = New … 4 = Negotiation; 5 = Won). */
	furthest: number;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

export function simulatePipeline(random: Random, createdAt: number, propensity: number): PipelinePath {
	const moves: Move[] = [{ time: createdAt, from: '', to: 'New', reason: 'created' }];
	let time = createdAt;
	for (let index = 0; index < OPEN_STAGES.length; index++) {
		const stage = OPEN_STAGES[index];
		time = roundToMinute(time + random.exponential(MEAN_DAYS_IN_STAGE[index]) * DAY_MS) + 60_000;
		if (time >= OBSERVATION_END) {
			return { moves, stage, outcome: '', closedAt: undefined, wonReason: '', lostReason: '', furthest: index };
		}
		if (random.bernoulli(logistic(ADVANCE_BIAS[index] + propensity))) {
			const to: Stage = index + 1 < OPEN_STAGES.length ? OPEN_STAGES[index + 1] : 'Won';
			if (to === 'Won') {
				const wonReason = random.pick(WON_REASONS);
				moves.push({ time, from: stage, to, reason: wonReason });
				return { moves, stage: 'Won', outcome: 'won', closedAt: time, wonReason, lostReason: '', furthest: index + 1 };
			}
			moves.push({ time, from: stage, to, reason: ADVANCE_REASONS[index] });
		} else {
			const lostReason = random.pick(LOST_REASONS);
			moves.push({ time, from: stage, to: 'Lost', reason: lostReason });
			return { moves, stage: 'Lost', outcome: 'lost', closedAt: time, wonReason: '', lostReason, furthest: index };
		}
	}
	throw new Error('unreachable: the last open stage either wins, loses or stays open');
}
