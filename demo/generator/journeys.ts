/**
 * Touchpoint journeys: what each lead saw and did before and after it entered the CRM — ad
 * clicks and visits before, the form fill / inquiry / introduction that created it, follow-up
 * emails, calls and meetings around each stage move, and for won leads the order that
 * converted it (carrying the deal's value, for attribution).
 */
import type { PipelinePath } from './pipeline';
import type { Random } from './random';
import { DAY_MS, OBSERVATION_END, roundToMinute } from './time';
import type { Source } from './types';

export interface DraftTouch {
	time: number;
	type: string;
	channel: string;
	campaign: string;
	subject: string;
	converted: boolean;
	value: number;
}

/** The channel and type of the touch that created a lead from each source. */
const CREATING_TOUCH: Record<Source, { type: string; channel: string }> = {
	'web form': { type: 'form fill', channel: 'google ads' },
	referral: { type: 'referral intro', channel: 'referral' },
	linkedin: { type: 'lead gen form', channel: 'linkedin' },
	'facebook ads': { type: 'lead ad form', channel: 'facebook ads' },
	email: { type: 'inquiry email', channel: 'email' },
};
const EARLY_CHANNELS = { 'google ads': 3, 'organic search': 3, linkedin: 2, 'facebook ads': 2, direct: 1 } as const;
const FOLLOW_UP_SUBJECTS = ['Thanks for your interest', 'A tasting box for your team?', 'Your proposal', 'Quick question about your office', 'Following up'];

/**
 * `creatingChannel` is the channel of the creating touch ('google ads' or an organic one for
 * web-form leads); `campaign` is the lead's campaign id.
 */
export function drawJourney(
	random: Random,
	source: Source,
	creatingChannel: string,
	campaign: string,
	path: PipelinePath,
	dealAmount: number,
): DraftTouch[] {
	const createdAt = path.moves[0].time;
	const touches: DraftTouch[] = [];
	const touch = (time: number, type: string, channel: string, subject = '') =>
		touches.push({ time: roundToMinute(time), type, channel, campaign: channel === creatingChannel ? campaign : '', subject, converted: false, value: 0 });

	const early = random.poisson(source === 'referral' ? 0.3 : 0.8);
	for (let i = 0; i < early; i++) {
		const channel = random.weighted(EARLY_CHANNELS);
		touch(createdAt - random.uniform(0.5, 30) * DAY_MS, channel === 'organic search' || channel === 'direct' ? 'page visit' : 'ad click', channel);
	}
	touch(createdAt, CREATING_TOUCH[source].type, creatingChannel);

	// Around each later move: usually a follow-up email, sometimes a call or meeting, in the days before it.
	const closing = path.outcome === 'won' ? path.moves[path.moves.length - 1] : undefined;
	for (let m = 1; m < path.moves.length; m++) {
		const move = path.moves[m];
		const previous = path.moves[m - 1].time;
		const between = (share: number) => previous + (move.time - previous) * share;
		if (random.bernoulli(move.to === 'Lost' ? 0.4 : 0.7)) touch(between(random.uniform(0.1, 0.6)), 'email sent', 'email', random.pick(FOLLOW_UP_SUBJECTS));
		if (move.to !== 'Lost' && random.bernoulli(0.4)) touch(between(random.uniform(0.6, 0.95)), random.pick(['call', 'meeting']), 'direct');
		if (move.to !== 'Lost' && move.to !== 'Won' && random.bernoulli(0.15)) touch(between(random.uniform(0.2, 0.9)), 'page visit', 'organic search');
	}
	if (path.outcome === '') {
		const last = path.moves[path.moves.length - 1].time;
		const pending = random.poisson(0.8);
		for (let i = 0; i < pending; i++) {
			const time = last + random.uniform(0.5, 10) * DAY_MS;
			if (time < OBSERVATION_END) touch(time, 'email sent', 'email', random.pick(FOLLOW_UP_SUBJECTS));
		}
	}
	if (closing) {
		// The converting touch: the order, credited to the channel that closed it.
		const channel = random.weighted({ email: 4, direct: 4, [creatingChannel]: 2 });
		touches.push({ time: closing.time, type: 'order', channel, campaign: channel === creatingChannel ? campaign : '', subject: '', converted: true, value: dealAmount });
	}
	return touches.sort((x, y) => x.time - y.time);
}
