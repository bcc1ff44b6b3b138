import fc from 'fast-check';
import { ATTRIBUTION_MODELS, attribute, journeysFromPaths, journeysFromTouches, type Journey } from '../../../nodes/CampaignEvaluator';
import { InputError } from '../../../nodes/shared/errors';

const DAY = 86_400_000;

const barJourneys = journeysFromPaths([
	{ path: 'c1 > c2 > c3', conversions: 1, nonConversions: 0 },
	{ path: 'c1', conversions: 0, nonConversions: 1 },
	{ path: 'c2 > c3', conversions: 0, nonConversions: 1 },
]);

describe('attribution: the issue bar', () => {
	it('Markov on {c1>c2>c3: 1 conv; c1: 1 non-conv; c2>c3: 1 non-conv} gives 0.2 / 0.4 / 0.4', () => {
		const result = attribute(barJourneys, { models: ['markov'], includeRemovalEffects: true });
		const credit = result.markov!;
		expect(Math.abs(credit.c1.conversions - 0.2)).toBeLessThan(1e-15);
		expect(Math.abs(credit.c2.conversions - 0.4)).toBeLessThan(1e-15);
		expect(Math.abs(credit.c3.conversions - 0.4)).toBeLessThan(1e-15);
		// By hand: P(conv) = 1/3; without c1 1/6 (RE 0.5); without c2 or c3 0 (RE 1).
		expect(result.removalEffects!.c1).toBeCloseTo(0.5, 15);
		expect(result.removalEffects!.c2).toBeCloseTo(1, 15);
		expect(result.removalEffects!.c3).toBeCloseTo(1, 15);
	});

	it('the rule-based models on the same data give ChannelAttribution heuristic_models results', () => {
		const result = attribute(barJourneys, { models: ['firstTouch', 'lastTouch', 'linear'] });
		expect(result.firstTouch).toEqual({ c1: { conversions: 1, value: 0, share: 1 }, c2: { conversions: 0, value: 0, share: 0 }, c3: { conversions: 0, value: 0, share: 0 } });
		expect(result.lastTouch!.c3.conversions).toBe(1);
		for (const c of ['c1', 'c2', 'c3']) expect(result.linear![c].conversions).toBeCloseTo(1 / 3, 15);
	});

	it('reports the transition matrix of the chain', () => {
		const { transitionMatrix } = attribute(barJourneys, { models: ['markov'], includeTransitionMatrix: true });
		expect(transitionMatrix).toEqual({
			'(start)': { c1: 2 / 3, c2: 1 / 3 },
			c1: { c2: 0.5, '(null)': 0.5 },
			c2: { c3: 1 },
			c3: { '(conversion)': 0.5, '(null)': 0.5 },
		});
	});
});

// ------------------------------------------------------------------ independent references

/** Brute-force rule-based credit written from the definitions, touch by touch. */
function bruteForceRule(journeys: Journey[], model: string, first = 0.4, last = 0.4, halfLifeTouches = 1): Map<string, number> {
	const credit = new Map<string, number>();
	const give = (channel: string, amount: number) => credit.set(channel, (credit.get(channel) ?? 0) + amount);
	for (const j of journeys) {
		const k = j.channels.length;
		j.channels.forEach((channel, i) => {
			let share = 0;
			if (model === 'firstTouch') share = i === 0 ? 1 : 0;
			if (model === 'lastTouch') share = i === k - 1 ? 1 : 0;
			if (model === 'linear') share = 1 / k;
			if (model === 'positionBased') {
				if (k === 1) share = 1;
				else if (k === 2) share = i === 0 ? first / (first + last) : last / (first + last);
				else share = i === 0 ? first : i === k - 1 ? last : (1 - first - last) / (k - 2);
			}
			if (model === 'timeDecay') {
				let total = 0;
				for (let m = 0; m < k; m++) total += Math.pow(0.5, (k - 1 - m) / halfLifeTouches);
				share = Math.pow(0.5, (k - 1 - i) / halfLifeTouches) / total;
			}
			give(channel, j.conversions * share);
		});
	}
	return credit;
}

/**
 * Monte-Carlo estimate of P(conversion) of the first-order chain, optionally with one channel
 * removed (a walk that enters it is lost). Transition counts are rebuilt here from the paths.
 */
function simulateConversion(journeys: Journey[], removed: string | null, walks: number, random: () => number): number {
	const next = new Map<string, Map<string, number>>();
	const add = (from: string, to: string, w: number) => {
		if (w === 0) return;
		const row = next.get(from) ?? new Map<string, number>();
		row.set(to, (row.get(to) ?? 0) + w);
		next.set(from, row);
	};
	for (const j of journeys) {
		const states = ['START', ...j.channels];
		for (let i = 0; i + 1 < states.length; i++) add(states[i], states[i + 1], j.conversions + j.nonConversions);
		add(states[states.length - 1], 'CONV', j.conversions);
		add(states[states.length - 1], 'NULL', j.nonConversions);
	}
	const step = (from: string): string => {
		const row = next.get(from)!;
		let total = 0;
		for (const w of row.values()) total += w;
		let u = random() * total;
		for (const [to, w] of row) {
			u -= w;
			if (u < 0) return to;
		}
		return [...row.keys()][row.size - 1];
	};
	let converted = 0;
	for (let walk = 0; walk < walks; walk++) {
		let state = 'START';
		for (;;) {
			state = step(state);
			if (state === removed || state === 'NULL') break;
			if (state === 'CONV') {
				converted++;
				break;
			}
		}
	}
	return converted / walks;
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomJourneys(random: () => number, count: number, channels: string[]): Journey[] {
	const journeys: Journey[] = [];
	for (let i = 0; i < count; i++) {
		const length = 1 + Math.floor(random() * 5);
		const path = Array.from({ length }, () => channels[Math.floor(random() * channels.length)]);
		const converted = random() < 0.3 + 0.1 * path.filter((c) => c === 'email').length;
		journeys.push({ channels: path, conversions: converted ? 1 : 0, value: converted ? 50 + Math.floor(random() * 100) : 0, nonConversions: converted ? 0 : 1 });
	}
	return journeys;
}

describe('attribution against independent references', () => {
	it('exact Markov removal effects agree with a Monte-Carlo simulation of the same chain', () => {
		const random = mulberry32(2024);
		const journeys = randomJourneys(random, 400, ['email', 'social', 'search', 'display']);
		const result = attribute(journeys, { models: ['markov'], includeRemovalEffects: true });
		const walks = 200_000;
		const base = simulateConversion(journeys, null, walks, random);
		for (const channel of ['email', 'social', 'search', 'display']) {
			const without = simulateConversion(journeys, channel, walks, random);
			const simulated = 1 - without / base;
			// Delta-method standard error of 1 - q/p with independent estimates of p and q.
			const se = Math.sqrt((without * (1 - without)) / walks / (base * base) + (without * without * base * (1 - base)) / walks / base ** 4);
			expect(Math.abs(result.removalEffects![channel] - simulated)).toBeLessThan(5 * se);
		}
	});

	it('rule-based models agree with a brute-force touch-by-touch implementation', () => {
		const journeys = randomJourneys(mulberry32(7), 300, ['a', 'b', 'c', 'd', 'e']);
		const result = attribute(journeys, { models: ['firstTouch', 'lastTouch', 'linear', 'positionBased', 'timeDecay'], halfLifeTouches: 1.5 });
		for (const model of ['firstTouch', 'lastTouch', 'linear', 'positionBased', 'timeDecay'] as const) {
			const expected = bruteForceRule(journeys, model, 0.4, 0.4, 1.5);
			for (const [channel, credit] of Object.entries(result[model]!)) {
				expect(Math.abs(credit.conversions - (expected.get(channel) ?? 0))).toBeLessThan(1e-9);
			}
		}
	});

	it('time decay with timestamps halves the weight every half-life', () => {
		const { journeys } = journeysFromTouches([
			{ customerId: 'x', channel: 'search', timestamp: 1_700_000_000_000, converted: false },
			{ customerId: 'x', channel: 'social', timestamp: 1_700_000_000_000 + 7 * DAY, converted: false },
			{ customerId: 'x', channel: 'email', timestamp: 1_700_000_000_000 + 14 * DAY, converted: true, value: 70 },
		]);
		const result = attribute(journeys, { models: ['timeDecay'], halfLifeDays: 7 });
		expect(result.timeDecay!.search.conversions).toBeCloseTo(1 / 7, 14);
		expect(result.timeDecay!.social.conversions).toBeCloseTo(2 / 7, 14);
		expect(result.timeDecay!.email.conversions).toBeCloseTo(4 / 7, 14);
		expect(result.timeDecay!.email.value).toBeCloseTo(40, 12);
		expect(result.warnings).toEqual([]);
	});
});

describe('attribution properties', () => {
	const journeyArbitrary = fc.record({
		channels: fc.array(fc.constantFrom('email', 'social', 'search', 'ads', 'referral', 'événement 🎉'), { minLength: 1, maxLength: 8 }),
		conversions: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.1, max: 50, noNaN: true })),
		value: fc.double({ min: 0, max: 10_000, noNaN: true }),
		nonConversions: fc.integer({ min: 0, max: 20 }),
	});

	it('every model hands out the total conversions and value, to the last bit', () => {
		fc.assert(
			fc.property(fc.array(journeyArbitrary, { minLength: 1, maxLength: 40 }), fc.boolean(), (journeys, collapse) => {
				fc.pre(journeys.some((j) => j.conversions > 0));
				const result = attribute(journeys, { collapseRepeats: collapse });
				const totalConversions = journeys.reduce((s, j) => s + j.conversions, 0);
				const totalValue = journeys.reduce((s, j) => s + j.value, 0);
				for (const model of ATTRIBUTION_MODELS) {
					const credits = Object.values(result[model]!);
					// Exact up to the last bit or two of floating point (the residue goes to the largest channel).
					expect(Math.abs(credits.reduce((s, c) => s + c.conversions, 0) - totalConversions)).toBeLessThanOrEqual(2 * Number.EPSILON * totalConversions);
					expect(Math.abs(credits.reduce((s, c) => s + c.value, 0) - totalValue)).toBeLessThanOrEqual(2 * Number.EPSILON * totalValue);
					for (const c of credits) {
						expect(Number.isFinite(c.conversions) && Number.isFinite(c.value) && Number.isFinite(c.share)).toBe(true);
						expect(c.conversions).toBeGreaterThanOrEqual(-1e-9 * totalConversions);
					}
				}
			}),
			{ numRuns: 150 },
		);
	});
});

describe('journeys from touches', () => {
	it('orders each customer by time, closes a journey at each conversion and keeps the tail as non-converting', () => {
		const { journeys, warnings } = journeysFromTouches([
			{ customerId: 'a', channel: 'email', timestamp: '2024-03-03', converted: 'yes', value: '120' },
			{ customerId: 'a', channel: 'search', timestamp: '2024-03-01', converted: false },
			{ customerId: 'b', channel: 'social', timestamp: '2024-03-02', converted: false },
			{ customerId: 'a', channel: 'ads', timestamp: '2024-03-05', converted: false },
			{ customerId: 'b', channel: '', timestamp: '2024-03-04', converted: true, value: 30 },
			{ customerId: 'c', channel: '', timestamp: '2024-03-04', converted: true, value: 10 },
		]);
		expect(journeys.map((j) => [j.channels.join(' > '), j.conversions, j.value, j.nonConversions])).toEqual([
			['search > email', 1, 120, 0],
			['ads', 0, 0, 1],
			['social', 1, 30, 0],
		]);
		expect(warnings).toEqual(['1 conversion(s) had no channel touch before them and were left out.']);
	});

	it('collapse merges repeated consecutive channels before the models see them', () => {
		const journeys = journeysFromPaths([{ path: 'a > a > b', conversions: 1 }]);
		expect(attribute(journeys, { models: ['linear'] }).linear!.a.conversions).toBeCloseTo(2 / 3, 15);
		expect(attribute(journeys, { models: ['linear'], collapseRepeats: true }).linear!.a.conversions).toBe(0.5);
	});
});

describe('attribution: bad input', () => {
	it('rejects unknown models, naming the valid ones', () => {
		expect(() => attribute(barJourneys, { models: ['shapley' as never] })).toThrow(/Unknown attribution model "shapley"; use one of firstTouch, lastTouch, linear, positionBased, timeDecay, markov/);
	});

	it('rejects empty journeys and empty steps with the item index', () => {
		expect(() => journeysFromPaths([{ path: 'a > b' }, { path: '  ' }])).toThrow(/Item 1: field "path" is an empty journey/);
		expect(() => journeysFromPaths([{ path: 'a > > b' }])).toThrow(/Item 0: path "a > > b" has an empty step at position 2/);
		expect(() => attribute([])).toThrow(/No journeys to attribute/);
	});

	it('says attribution is undefined when nothing converted', () => {
		expect(() => attribute(journeysFromPaths([{ path: 'a > b', nonConversions: 3 }]))).toThrow(/No journey converted \(1 journeys, 0 conversions\): attribution is undefined/);
	});

	it('rejects control characters and reserved names in channels, warns about case clashes', () => {
		expect(() => journeysFromPaths([{ path: 'email > so\ncial', conversions: 1 }])).toThrow(InputError);
		expect(() => journeysFromPaths([{ path: 'email > so\ncial', conversions: 1 }])).toThrow(/contains control characters/);
		expect(() => journeysFromPaths([{ path: '(start) > email', conversions: 1 }])).toThrow(/reserved/);
		const result = attribute(journeysFromPaths([{ path: 'Email > email', conversions: 1 }]), { models: ['linear'] });
		expect(result.warnings).toEqual(['Channels "Email" and "email" differ only in case or spacing and are counted separately.']);
		// Unicode, punctuation and spaces inside names are fine.
		const odd = attribute(journeysFromPaths([{ path: 'Événement 🎉 > e-mail (promo) > a/b', conversions: 2 }]), { models: ['lastTouch'] });
		expect(odd.lastTouch!['a/b'].conversions).toBe(2);
	});

	it('rejects bad position weights, half-life and counts', () => {
		expect(() => attribute(barJourneys, { positionWeights: { first: 0.7, last: 0.5 } })).toThrow(/Position-based shares/);
		expect(() => attribute(barJourneys, { halfLifeDays: 0 })).toThrow(/halfLifeDays must be a number above 0/);
		expect(() => journeysFromPaths([{ path: 'a', conversions: -1 }])).toThrow(/Item 0: field "conversions" is -1/);
		expect(() => journeysFromTouches([{ customerId: 'a', channel: 'x', timestamp: 'soon', converted: true }])).toThrow(InputError);
	});
});
