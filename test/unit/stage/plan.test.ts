import fc from 'fast-check';
import {
	DEFAULT_SALES_PIPELINE,
	applyStageMoves,
	decideStageMove,
	defineSalesPipeline,
	defineStageRules,
	planStageMoves,
	type StageMove,
} from '../../../nodes/StageMover';

const NOW = new Date('2024-06-15T12:00:00Z');

describe('planStageMoves', () => {
	const rules = [
		{ name: 'Hot lead', conditions: 'score >= 70 and stage = New', moveTo: 'MQL' },
		{ name: 'Sales accepted', conditions: 'stage = MQL and meetingBooked = yes', moveTo: 'SQL' },
		{ name: 'Gone quiet', conditions: 'stage != Won and lastActivityAt older than 60 days', moveTo: 'Lost' },
	];

	it('applies the first matching rule to each record and reports every record once', () => {
		const records = [
			{ id: 'a', stage: 'New', score: 85 },
			{ id: 'b', stage: 'New', score: 40 },
			{ id: 'c', stage: 'MQL', meetingBooked: 'Yes' },
			{ id: 'd', stage: 'New', score: 90, lastActivityAt: '2024-01-01' },
			{ id: 'e', stage: 'SQL', lastActivityAt: '2024-01-01' },
			{ id: 'f', stage: 'Pending', score: 99 },
			{ id: 7, stage: 'Won', lastActivityAt: '2023-01-01' },
		];
		const moves = planStageMoves(records, DEFAULT_SALES_PIPELINE, rules, { now: NOW });
		expect(moves).toEqual([
			{ outcome: 'moved', key: 'a', from: 'New', to: 'MQL', reason: 'Hot lead', probability: 0.1 },
			{ outcome: 'unchanged', key: 'b', stage: 'New', reason: 'no rule matched' },
			{ outcome: 'moved', key: 'c', from: 'MQL', to: 'SQL', reason: 'Sales accepted', probability: 0.2 },
			// "Hot lead" comes first, so it wins over "Gone quiet".
			{ outcome: 'moved', key: 'd', from: 'New', to: 'MQL', reason: 'Hot lead', probability: 0.1 },
			{ outcome: 'moved', key: 'e', from: 'SQL', to: 'Lost', reason: 'Gone quiet', probability: 0 },
			// No rule matches "Pending" records, so it is unchanged (its stage is reported as null: not a stage).
			{ outcome: 'unchanged', key: 'f', stage: null, reason: 'no rule matched' },
			{ outcome: 'unchanged', key: '7', stage: 'Won', reason: 'no rule matched' },
		]);
	});

	it('reports a rule aimed at an unknown stage, and duplicate or empty keys, as clear errors', () => {
		expect(() => planStageMoves([], DEFAULT_SALES_PIPELINE, [{ name: 'x', conditions: '', moveTo: 'Closed' }])).toThrow(
			'Rule 1 ("x"): move to "Closed" is not a stage of the pipeline (New, MQL, SQL, Proposal, Negotiation, Won, Lost)',
		);
		expect(() => planStageMoves([{ id: 'a' }, { id: 'b' }, { id: ' a' }], DEFAULT_SALES_PIPELINE, rules)).toThrow(
			'Items 0 and 2: the key "id" "a" appears twice',
		);
		expect(() => planStageMoves([{ id: '' }], DEFAULT_SALES_PIPELINE, rules)).toThrow('Item 0: the key field "id" is empty');
	});

	it('follows the brute-force "first rule that holds" on random scores and stages', () => {
		const thresholds = [90, 70, 50, 30];
		const targets = ['SQL', 'MQL', 'Lost', 'MQL'];
		const stageRules = thresholds.map((t, i) => ({ name: `r${i}`, conditions: `score >= ${t} and stage = New`, moveTo: targets[i] }));
		fc.assert(
			fc.property(
				fc.array(fc.record({ score: fc.integer({ min: 0, max: 100 }), stage: fc.constantFrom('New', 'MQL') }), { maxLength: 30 }),
				(rows) => {
					const records = rows.map((r, i) => ({ id: `k${i}`, ...r }));
					const pipeline = { ...DEFAULT_SALES_PIPELINE, allowSkipping: true, reasonRequiredOnClose: false };
					const moves = planStageMoves(records, pipeline, stageRules, { now: NOW });
					moves.forEach((move, i) => {
						const { score, stage } = rows[i];
						let expected = -1;
						for (let r = 0; r < thresholds.length && expected < 0; r++) if (stage === 'New' && score >= thresholds[r]) expected = r;
						if (expected < 0) expect(move).toMatchObject({ outcome: 'unchanged', reason: 'no rule matched' });
						else expect(move).toMatchObject({ outcome: 'moved', to: targets[expected], reason: `r${expected}` });
					});
				},
			),
		);
	});
});

describe('properties of planning moves', () => {
	const STAGES = ['', 'New', 'MQL', 'SQL', 'Proposal', 'Negotiation', 'Won', 'Lost', 'Bogus'];
	const recordsArb = fc.uniqueArray(
		fc.record({
			id: fc.string({ minLength: 1, maxLength: 4 }).filter((s) => s.trim() !== ''),
			stage: fc.constantFrom(...STAGES),
			amount: fc.constantFrom('', 1000),
			target: fc.constantFrom(...STAGES),
			reason: fc.constantFrom('', 'budget'),
		}),
		{ selector: (r) => r.id.trim(), maxLength: 40 },
	);
	const flagsArb = fc.record({ allowSkipping: fc.boolean(), allowMovingBack: fc.boolean() });

	const plan = (pipeline: ReturnType<typeof defineSalesPipeline>, records: Record<string, unknown>[]): StageMove[] =>
		records.map((r) => decideStageMove(pipeline, r, String(r.id), 'stage', r.target, r.reason as string));

	it('every record ends in exactly one of moved / unchanged / rejected, in input order', () => {
		fc.assert(
			fc.property(recordsArb, flagsArb, (records, flags) => {
				const pipeline = defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, ...flags });
				const moves = plan(pipeline, records);
				expect(moves.map((m) => m.key)).toEqual(records.map((r) => r.id));
				for (const m of moves) expect(['moved', 'unchanged', 'rejected']).toContain(m.outcome);
				for (const m of moves) expect('rejected' in m).toBe(m.outcome === 'rejected');
			}),
		);
	});

	it('applying the same moves twice changes nothing the second time (idempotent)', () => {
		fc.assert(
			fc.property(recordsArb, flagsArb, (records, flags) => {
				const pipeline = defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, ...flags });
				const first = plan(pipeline, records);
				const once = applyStageMoves(records, first, { changedAt: '2024-06-15T12:00:00.000Z' });
				const second = plan(pipeline, once);
				const twice = applyStageMoves(once, second, { changedAt: '2024-06-16T12:00:00.000Z' });
				expect(twice).toEqual(once);
				second.forEach((m, i) => {
					if (first[i].outcome === 'moved') expect(m).toMatchObject({ outcome: 'unchanged', stage: (first[i] as { to: string }).to });
					else expect(m).toEqual(first[i]);
				});
			}),
		);
	});

	it('rules are compiled once and checked: a structured condition needs a number for >=', () => {
		const pipeline = defineSalesPipeline(DEFAULT_SALES_PIPELINE);
		expect(() => defineStageRules([{ name: 'n', conditions: [{ field: 'score', operator: 'greaterThanOrEqual', value: 'high' }], moveTo: 'MQL' }], pipeline)).toThrow(
			'Rule 1 ("n"): "score" greaterThanOrEqual needs a number, not "high"',
		);
		expect(defineStageRules([{ name: '', conditions: [{ field: 'score', operator: 'greaterThan', value: '5' }], moveTo: 'mql' }], pipeline)).toEqual([
			{ name: 'Rule 1', conditions: [{ field: 'score', operator: 'greaterThan', value: 5 }], moveTo: 'MQL' },
		]);
	});
});
