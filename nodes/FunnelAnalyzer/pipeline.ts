/**
 * Pipeline metrics from deal records (HubSpot / Pipedrive sales reports):
 * win rate = won / (won + lost); average sales cycle = mean(closed - created) over won deals;
 * weighted pipeline = Σ open amount × probability of the deal's stage; sales velocity =
 * (open deals × average won value × win rate) / average cycle days (value per day).
 * A stage's probability is the configured one, else its historical win rate: won / closed
 * among the closed deals that reached the stage.
 */
import { mean } from 'simple-statistics';
import { MS_PER_DAY } from '../shared/dates';
import { InputError, describeValue } from '../shared/errors';
import { ratio } from './steps';
import { unknownStagesError } from './stages';
import type { FunnelOptions, PipelineMetrics } from './types';

export type DealStatus = 'open' | 'won' | 'lost';

export interface DealRow {
	row: number;
	status: DealStatus;
	amount: number | null;
	createdAt: number | null;
	closedAt: number | null;
	/** Index of the current stage, -1 for an ignored stage. */
	stageIndex: number;
	reached: Uint8Array;
}

const DEFAULT_WON = ['won', 'closed won', 'closed-won', 'win'];
const DEFAULT_LOST = ['lost', 'closed lost', 'closed-lost'];

/** Won / lost by the configured status values (case-insensitive); anything else is open. */
export function parseStatus(value: unknown, options: FunnelOptions): DealStatus {
	if (typeof value !== 'string' && typeof value !== 'boolean') return 'open';
	const text = String(value).trim().toLowerCase();
	if ((options.wonValues ?? DEFAULT_WON).some((v) => v.trim().toLowerCase() === text)) return 'won';
	if ((options.lostValues ?? DEFAULT_LOST).some((v) => v.trim().toLowerCase() === text)) return 'lost';
	return 'open';
}

export function computePipeline(deals: DealRow[], names: string[], options: FunnelOptions, warnings: string[]): PipelineMetrics {
	const won = deals.filter((d) => d.status === 'won');
	const lost = deals.filter((d) => d.status === 'lost');
	const open = deals.filter((d) => d.status === 'open');
	const winRate = ratio(won.length, won.length + lost.length);
	if (winRate === null) warnings.push('No won or lost deals yet, so there is no win rate or sales velocity');

	const cycles: number[] = [];
	let negativeCycles = 0;
	for (const d of won) {
		if (d.createdAt === null || d.closedAt === null) continue;
		if (d.closedAt < d.createdAt) negativeCycles++;
		else cycles.push((d.closedAt - d.createdAt) / MS_PER_DAY);
	}
	if (negativeCycles > 0) warnings.push(`${negativeCycles} won deals close before they were created; left out of the sales cycle`);
	const averageSalesCycleDays = cycles.length > 0 ? mean(cycles) : null;
	const wonAmounts = won.map((d) => d.amount).filter((a): a is number => a !== null);
	const averageWonValue = wonAmounts.length > 0 ? mean(wonAmounts) : null;

	const stageProbabilities = probabilities(deals, names, options);
	const unknownPath = lost.filter((d) => d.stageIndex < 0 && d.reached.lastIndexOf(1) <= 0).length;
	if (unknownPath > 0 && stageProbabilities.some((p) => p.source === 'historical')) {
		warnings.push(
			`${unknownPath} lost deals have no stage entry dates, so it is unknown how far they got; the historical stage probabilities count them at the first stage only (configure Stage Probabilities or entry date fields to avoid this)`,
		);
	}
	let openPipelineValue = 0;
	let weightedPipeline = 0;
	let unweighted = 0;
	for (const d of open) {
		if (d.amount === null) continue;
		openPipelineValue += d.amount;
		const p = d.stageIndex >= 0 ? stageProbabilities[d.stageIndex].probability : null;
		if (p === null) unweighted++;
		else weightedPipeline += d.amount * p;
	}
	if (unweighted > 0) {
		warnings.push(`${unweighted} open deals are in a stage without a probability (none configured, no closed history); left out of the weighted pipeline`);
	}
	const salesVelocityPerDay =
		winRate !== null && averageWonValue !== null && averageSalesCycleDays !== null && averageSalesCycleDays > 0
			? (open.length * averageWonValue * winRate) / averageSalesCycleDays
			: null;
	if (salesVelocityPerDay === null && winRate !== null) {
		warnings.push('Sales velocity needs won deals with amounts and created/closed dates (and a cycle longer than 0 days)');
	}
	return {
		open: open.length,
		won: won.length,
		lost: lost.length,
		winRate,
		averageSalesCycleDays,
		averageWonValue,
		openPipelineValue,
		weightedPipeline,
		stageProbabilities,
		salesVelocityPerDay,
	};
}

function probabilities(deals: DealRow[], names: string[], options: FunnelOptions): PipelineMetrics['stageProbabilities'] {
	const configured = options.stageProbabilities ?? {};
	const unknown = new Map<string, number>();
	for (const [stage, p] of Object.entries(configured)) {
		if (!names.includes(stage)) unknown.set(stage, 0);
		else if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
			throw new InputError(`Stage probability for ${JSON.stringify(stage)} is ${describeValue(p)}; use a number from 0 to 1`, {
				field: 'stageProbabilities',
				value: p,
			});
		}
	}
	if (unknown.size > 0) throw unknownStagesError(unknown, 'stageProbabilities', names);
	return names.map((stage, i) => {
		if (configured[stage] !== undefined) return { stage, probability: configured[stage], source: 'configured' as const };
		let wonHere = 0;
		let closedHere = 0;
		for (const d of deals) {
			if (d.status === 'open' || !d.reached[i]) continue;
			closedHere++;
			if (d.status === 'won') wonHere++;
		}
		const probability = ratio(wonHere, closedHere);
		return { stage, probability, source: probability === null ? ('none' as const) : ('historical' as const) };
	});
}
