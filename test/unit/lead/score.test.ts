import * as fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import { MODEL_SCHEMA, ModelScorer, fitLogisticRegression, parseModel, scoreLeads, scoreWithWeights } from '../../../nodes/LeadScorer';
import { loadUclaAdmissions } from './helpers';

const rows = loadUclaAdmissions().map((r) => ({ ...r, source: r.gre > 650 ? 'referral' : r.gpa > 3.5 ? 'webinar' : 'ad' }));
const fit = fitLogisticRegression(rows, { target: 'admit', features: ['gre', 'gpa', 'source', 'rank'], categorical: ['source', 'rank'] });
const coefficient = (name: string) => fit.coefficients.find((c) => c.name === name)!.estimate!;

/** logit P from the coefficient table by hand. */
function manualLogOdds(row: { gre: number; gpa: number; source: string; rank: number }): number {
	let eta = coefficient('(Intercept)') + coefficient('gre') * row.gre + coefficient('gpa') * row.gpa;
	if (row.source !== 'ad') eta += coefficient(`source=${row.source}`);
	if (row.rank !== 1) eta += coefficient(`rank=${row.rank}`);
	return eta;
}

describe('scoreLeads', () => {
	test('probability = logistic of the coefficient table; score = percent; grade by band', () => {
		const scores = scoreLeads(fit.model, rows);
		scores.forEach((s, i) => {
			const p = 1 / (1 + Math.exp(-manualLogOdds(rows[i])));
			expect(s.probability).toBeCloseTo(p, 12);
			expect(s.score).toBe(Math.round(p * 100));
			expect(s.grade).toBe(s.score >= 75 ? 'A' : s.score >= 50 ? 'B' : s.score >= 25 ? 'C' : 'D');
		});
	});

	test('the reasons are the largest contributions against the average lead, with sign', () => {
		const [scored] = scoreLeads(fit.model, [{ gre: 800, gpa: 4, source: 'referral', rank: 1 }], { maxReasons: 5 });
		const model = fit.model;
		const gre = model.numeric[0];
		const greText = `${gre.coefficient * (800 - gre.mean) >= 0 ? '+' : '-'}${Math.abs(gre.coefficient * (800 - gre.mean)).toFixed(1)}: 800 gre`;
		expect(scored.reasons).toContain(greText);
		expect(scored.reasons.some((r) => r.endsWith(': source = referral'))).toBe(true);
		expect(scored.reasons.some((r) => r.endsWith(': rank = 1'))).toBe(true);
		// Sorted by size.
		const sizes = scored.reasons.map((r) => Math.abs(parseFloat(r)));
		expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
	});

	test('contributions add up to logit(p) − logit(average lead) (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 200, max: 800 }), fc.double({ min: 2, max: 4, noNaN: true }), fc.constantFrom('ad', 'referral', 'webinar'), fc.constantFrom(1, 2, 3, 4), (gre, gpa, source, rank) => {
				const [scored] = scoreLeads(fit.model, [{ gre, gpa, source, rank }], { maxReasons: 10 });
				const eta = Math.log(scored.probability / (1 - scored.probability));
				const sum = scored.reasons.map((r) => parseFloat(r)).reduce((a, b) => a + b, 0);
				// Reasons print one decimal and drop |c| < 0.05: allow that rounding per reason.
				expect(Math.abs(sum - (eta - fit.model.averageLogOdds))).toBeLessThanOrEqual(0.05 * 4 + 1e-9);
			}),
		);
	});

	test('unknown levels and empty cells are scored with a warning, never NaN', () => {
		const [scored] = scoreLeads(fit.model, [{ gre: '', gpa: 3.2, source: 'tiktok', rank: 2 }]);
		expect(Number.isFinite(scored.probability)).toBe(true);
		expect(scored.warnings).toEqual([
			`gre is empty: scored as the training average ${fit.model.numeric[0].mean}`,
			'source "tiktok" was not in the training data: scored as the baseline "ad"',
		]);
	});

	test('bad values name the item and field', () => {
		expect(() => scoreLeads(fit.model, [{ gre: 500, gpa: 3, source: 'ad', rank: 1 }, { gre: 'lots', gpa: 3, source: 'ad', rank: 1 }])).toThrow(
			/Item 1: field "gre" must be a finite number, got "lots"/,
		);
	});

	test('a model JSON of another version, another schema or a tampered shape is rejected', () => {
		const json = JSON.parse(JSON.stringify(fit.model));
		expect(parseModel(JSON.stringify(json))).toEqual(fit.model);
		expect(() => parseModel({ ...json, version: 2 })).toThrow(/schema version 2 is not supported/);
		expect(() => parseModel({ ...json, schema: 'other' })).toThrow(/not a Lead Scorer model/);
		expect(() => parseModel({ ...json, intercept: 'NaN' })).toThrow(/intercept must be a finite number, got "NaN"/);
		const tampered = JSON.parse(JSON.stringify(json));
		tampered.numeric[1].coefficient = null;
		expect(() => parseModel(tampered)).toThrow(/numeric "gpa" coefficient must be a finite number, got null/);
		const noBaseline = JSON.parse(JSON.stringify(json));
		noBaseline.categorical[0].levels[0].coefficient = 0.3;
		expect(() => parseModel(noBaseline)).toThrow(/baseline level "ad" must have coefficient 0/);
		expect(() => parseModel('{not json')).toThrow(InputError);
		expect(() => parseModel(null)).toThrow(/the model must be an object, got null/);
		expect(json.schema).toBe(MODEL_SCHEMA);
	});
});

describe('scoreWithWeights (the seed formula)', () => {
	test('the seed example follows the formula: 0.5·10 + 0.3·5 + 0.2·1 = 6.7 → 0.9988', () => {
		const [scored] = scoreWithWeights(
			{ intercept: 0, weights: [{ field: 'pageViews', weight: 0.5 }, { field: 'inquiries', weight: 0.3 }, { field: 'purchases', weight: 0.2 }] },
			[{ pageViews: 10, inquiries: 5, purchases: 1 }],
		);
		expect(scored.probability).toBeCloseTo(1 / (1 + Math.exp(-6.7)), 15);
		expect(scored.probability).toBeCloseTo(0.9988, 4);
		expect(scored.score).toBe(100);
		expect(scored.grade).toBe('A');
		expect(scored.reasons).toEqual(['+5.0: 10 pageViews', '+1.5: 5 inquiries', '+0.2: 1 purchases']);
	});

	test('custom grade bands and empty cells as 0', () => {
		const [scored] = scoreWithWeights({ intercept: -1, weights: [{ field: 'visits', weight: 1 }] }, [{ visits: '' }], {
			grades: [{ grade: 'hot', minScore: 60 }, { grade: 'cold', minScore: 0 }],
		});
		expect(scored.probability).toBeCloseTo(1 / (1 + Math.E), 15);
		expect(scored.grade).toBe('cold');
	});

	test('a field no item has is a configuration error (typo guard)', () => {
		expect(() => scoreWithWeights({ intercept: 0, weights: [{ field: 'inquries', weight: 1 }] }, [{ inquiries: 2 }])).toThrow(/No item has a field "inquries"/);
		expect(() => scoreWithWeights({ intercept: NaN, weights: [{ field: 'a', weight: 1 }] }, [{ a: 1 }])).toThrow(/Intercept must be a finite number, got NaN/);
	});
});

describe('reason selection', () => {
	test('equals a brute-force sort of all contributions (property)', () => {
		const model = fit.model;
		fc.assert(
			fc.property(
				fc.integer({ min: 200, max: 800 }),
				fc.double({ min: 2, max: 4, noNaN: true }),
				fc.constantFrom('ad', 'referral', 'webinar'),
				fc.constantFrom(1, 2, 3, 4),
				fc.integer({ min: 0, max: 4 }),
				(gre, gpa, source, rank, maxReasons) => {
					const [scored] = scoreLeads(model, [{ gre, gpa, source, rank }], { maxReasons });
					// Independent: every field's contribution against the average lead, sorted by size.
					const average = (field: string) => model.categorical.find((c) => c.field === field)!.levels.reduce((s, l) => s + l.share * l.coefficient, 0);
					const level = (field: string, value: string) => model.categorical.find((c) => c.field === field)!.levels.find((l) => l.level === value)!.coefficient;
					const all = [
						{ c: model.numeric[0].coefficient * (gre - model.numeric[0].mean), text: `${gre} gre` },
						{ c: model.numeric[1].coefficient * (gpa - model.numeric[1].mean), text: `${Math.round(gpa * 100) / 100} gpa` },
						{ c: level('source', source) - average('source'), text: `source = ${source}` },
						{ c: level('rank', String(rank)) - average('rank'), text: `rank = ${rank}` },
					]
						.filter((x) => Math.abs(x.c) >= 0.05)
						.sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
						.slice(0, maxReasons);
					expect(scored.reasons.map((r) => r.slice(r.indexOf(': ') + 2))).toEqual(all.map((x) => x.text));
					scored.reasons.forEach((r, i) => expect(parseFloat(r)).toBeCloseTo(all[i].c, 1));
				},
			),
		);
	});

	test('scoreRows keeps going past a bad row and names items by the given indices', () => {
		const scorer = new ModelScorer(fit.model);
		const results = scorer.scoreRows([{ gre: 500, gpa: 3, source: 'ad', rank: 1 }, { gre: {}, gpa: 3, source: 'ad', rank: 1 }], [10, 11]);
		expect(results[0]).not.toBeInstanceOf(Error);
		expect((results[1] as Error).message).toMatch(/Item 11: field "gre" must be a finite number, got \{\}/);
	});
});

describe('reasons for many leads in one call (texts reused across leads)', () => {
	// A model whose "gpa" moves the log-odds by 20 per unit, so leads whose gpa prints the same
	// (same hundredths) can still print different contributions ("+0.2" and "+0.3"), and gre
	// values 4096 hundredths apart share a slot of the scorer's text store.
	const model = JSON.parse(JSON.stringify(fit.model)) as typeof fit.model;
	model.numeric[1].coefficient = 20;
	model.numeric[1].mean = 3;

	/** Independent reference: every contribution, stable-sorted by size, printed with toFixed. */
	function expectedReasons(row: { gre: unknown; gpa: unknown; source: unknown; rank: unknown }, maxReasons: number): string[] {
		const all: Array<{ c: number; text: string }> = [];
		for (const term of model.numeric) {
			const value = row[term.field as 'gre' | 'gpa'];
			if (value === '') all.push({ c: 0, text: `${term.field} empty` });
			else all.push({ c: term.coefficient * ((value as number) - term.mean), text: `${Math.round((value as number) * 100) / 100} ${term.field}` });
		}
		for (const term of model.categorical) {
			const cell = String(row[term.field as 'source' | 'rank']);
			const value = cell === '' ? term.missingLevel : cell;
			const average = term.levels.reduce((s, l) => s + l.share * l.coefficient, 0);
			const known = term.levels.find((l) => l.level === value);
			all.push({ c: (known ? known.coefficient : 0) - average, text: cell === '' ? `${term.field} empty` : `${term.field} = ${value}` });
		}
		return all
			.filter((x) => Math.abs(x.c) >= 0.05)
			.sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
			.slice(0, maxReasons)
			.map((x) => `${x.c >= 0 ? '+' : '-'}${(Math.round(Math.abs(x.c) * 10) / 10).toFixed(1)}: ${x.text}`);
	}

	const gre = fc.oneof(fc.constantFrom('', 200, 240.96, 281.92, 600, 800), fc.integer({ min: 200, max: 800 }), fc.double({ min: 200, max: 800, noNaN: true }));
	// Values on both sides of a printed-contribution edge within one hundredth (3.0125 → +0.25).
	const gpa = fc.oneof(fc.constantFrom(3.011, 3.0124, 3.0125, 3.0149, 2.99, 3.5, 4), fc.double({ min: 2, max: 4, noNaN: true }));
	const row = fc.record({ gre, gpa, source: fc.constantFrom('ad', 'referral', 'webinar', 'tiktok', ''), rank: fc.constantFrom(1, 2, 3, 4) });

	test('every lead of a batch gets the reasons an independent calculation gives it (property)', () => {
		fc.assert(
			fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 4 }), (rows, maxReasons) => {
				const scored = scoreLeads(model, rows, { maxReasons });
				scored.forEach((s, i) => expect(s.reasons).toEqual(expectedReasons(rows[i], maxReasons)));
			}),
			{ numRuns: 200 },
		);
	});

	test('scoring a batch gives each lead what scoring it alone gives', () => {
		const rows = [3.011, 3.0149, 3.011, 3.0149, 3.0124, 3.0125].flatMap((g) => [
			{ gre: 240.96, gpa: g, source: 'tiktok', rank: 2 },
			{ gre: 200, gpa: g, source: 'referral', rank: 1 },
		]);
		const batch = scoreLeads(model, rows, { maxReasons: 4 });
		rows.forEach((r, i) => expect(batch[i]).toEqual(scoreLeads(model, [r], { maxReasons: 4 })[0]));
		// The same printed gpa with two printed contributions: both texts appear.
		const gpaReasons = new Set(batch.flatMap((s) => s.reasons.filter((r) => r.endsWith(' gpa'))));
		expect(gpaReasons).toEqual(new Set(['+0.2: 3.01 gpa', '+0.3: 3.01 gpa']));
	});
});

describe('which contributions become reasons', () => {
	// Six numbers, each with coefficient 1 and training mean 0, so a lead's contributions are its
	// values: drawn from a few sizes, they tie often and sit on both sides of the 0.05 floor.
	const fields = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
	let state = 7;
	const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
	const history = Array.from({ length: 200 }, () => ({ ...Object.fromEntries(fields.map((f) => [f, uniform()])), won: uniform() < 0.5 ? 1 : 0 }));
	const model = JSON.parse(JSON.stringify(fitLogisticRegression(history, { target: 'won', features: fields }).model)) as ReturnType<typeof fitLogisticRegression>['model'];
	for (const term of model.numeric) {
		term.coefficient = 1;
		term.mean = 0;
	}

	test('the largest |contribution| of at least 0.05 first, ties in field order, for 1 to 6 reasons (property)', () => {
		const value = fc.constantFrom(0, 0.04, -0.04, 0.0499, 0.05, -0.05, 0.3, -0.3, 0.7);
		fc.assert(
			fc.property(fc.array(fc.tuple(value, value, value, value, value, value), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 6 }), (values, maxReasons) => {
				const rows = values.map((v) => Object.fromEntries(fields.map((f, j) => [f, v[j]])));
				const scored = scoreLeads(model, rows, { maxReasons });
				scored.forEach((s, i) => {
					const expected = values[i]
						.map((c, j) => ({ c, field: fields[j] }))
						.filter((x) => Math.abs(x.c) >= 0.05)
						.sort((a, b) => Math.abs(b.c) - Math.abs(a.c)) // stable: ties keep field order
						.slice(0, maxReasons)
						.map((x) => x.field);
					expect(s.reasons.map((reason) => reason.split(' ').pop())).toEqual(expected);
				});
			}),
			{ numRuns: 300 },
		);
	});
});

