import fc from 'fast-check';
import { InputError } from '../../../nodes/shared/errors';
import {
	DEFAULT_SALES_PIPELINE,
	defineSalesPipeline,
	decideStageMove,
	type SalesPipelineDefinition,
	type PipelineStageDefinition,
} from '../../../nodes/StageMover';

/**
 * An independent statement of the transition rules (see transitions.ts' header): the set of
 * allowed (from, to) pairs listed one by one from the stage order, and the required fields of a
 * target computed from positions. decideStageMove must agree with it on every random case.
 */
function referenceDecision(
	definition: SalesPipelineDefinition,
	record: Record<string, unknown>,
	stageField: string,
	target: unknown,
	reason: string | undefined,
): { outcome: string; reason?: string; to?: string } {
	const names = definition.stages.map((s) => s.name);
	const canonical = (v: unknown) =>
		typeof v === 'string' ? names.find((n) => n.toLowerCase() === v.trim().toLowerCase()) : undefined;
	const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
	const won = canonical(definition.wonStage) as string;
	const lost = canonical(definition.lostStage) as string;
	const open = names.filter((n) => n !== won && n !== lost);
	const path = [...open, won];
	const allowed = new Set<string>();
	const add = (a: string | null, b: string) => allowed.add(`${a}→${b}`);
	open.forEach((from, i) => {
		add(from, path[i + 1]);
		add(from, lost);
		if (definition.allowSkipping) for (let j = i + 2; j < path.length; j++) add(from, path[j]);
		if (definition.allowMovingBack) for (let j = 0; j < i; j++) add(from, open[j]);
	});
	if (definition.allowMovingBack) for (const closed of [won, lost]) for (const o of open) add(closed, o);
	add(null, open[0]);
	if (definition.allowSkipping) for (const o of open) add(null, o);

	const fromRaw = record[stageField];
	const from = blank(fromRaw) ? null : canonical(fromRaw);
	const to = blank(target) ? undefined : canonical(target);
	if (from === undefined || to === undefined) return { outcome: 'rejected', reason: 'unknown stage' };
	if (from === to) return { outcome: 'unchanged' };
	if (!allowed.has(`${from}→${to}`)) return { outcome: 'rejected', reason: 'transition not allowed' };
	const needed = new Set<string>();
	const stageOf = (n: string) => definition.stages.find((s) => s.name === n) as PipelineStageDefinition;
	if (to === lost) stageOf(lost).requiredFields?.forEach((f) => needed.add(f));
	else path.slice(0, path.indexOf(to) + 1).forEach((n) => stageOf(n).requiredFields?.forEach((f) => needed.add(f)));
	if ([...needed].some((f) => blank(record[f]))) return { outcome: 'rejected', reason: 'missing required field' };
	const closing = to === won || to === lost;
	if ((definition.reasonRequiredOnClose ?? true) && closing && blank(reason)) {
		return { outcome: 'rejected', reason: 'missing required field' };
	}
	return { outcome: 'moved', to };
}

const FIELDS = ['amount', 'email', 'owner'];
const NAME_POOL = ['New', 'MQL', 'SQL', 'Demo', 'Proposal', 'Negotiation', 'Trial'];

const pipelineArb = fc
	.record({
		open: fc.uniqueArray(fc.constantFrom(...NAME_POOL), { minLength: 1, maxLength: 6 }),
		required: fc.array(fc.subarray(FIELDS), { minLength: 9, maxLength: 9 }),
		allowSkipping: fc.boolean(),
		allowMovingBack: fc.boolean(),
		reasonRequiredOnClose: fc.boolean(),
		terminalsFirst: fc.boolean(),
	})
	.map(({ open, required, allowSkipping, allowMovingBack, reasonRequiredOnClose, terminalsFirst }): SalesPipelineDefinition => {
		const openStages = open.map((name, i) => ({ name, probability: (i + 1) / (open.length + 2), requiredFields: required[i] }));
		const closed = [
			{ name: 'Won', probability: 1, requiredFields: required[7] },
			{ name: 'Lost', probability: 0, requiredFields: required[8] },
		];
		// Where the won/lost rows sit in the list must not matter.
		const stages = terminalsFirst ? [...closed, ...openStages] : [...openStages, ...closed];
		return { stages, wonStage: 'Won', lostStage: 'Lost', allowSkipping, allowMovingBack, reasonRequiredOnClose };
	});

const stageValueArb = fc.oneof(
	fc.constantFrom(...NAME_POOL, 'Won', 'Lost', 'won', ' mql ', 'Bogus', ''),
	fc.constant(null),
);

describe('defineSalesPipeline', () => {
	it('accepts the default pipeline and orders the open stages', () => {
		const pipeline = defineSalesPipeline(DEFAULT_SALES_PIPELINE);
		expect(pipeline.openStages).toEqual(['New', 'MQL', 'SQL', 'Proposal', 'Negotiation']);
		expect(pipeline.wonStage).toBe('Won');
		expect(pipeline.lostStage).toBe('Lost');
	});

	it('rejects a duplicate stage name, case-insensitively, naming both', () => {
		const stages = [...DEFAULT_SALES_PIPELINE.stages, { name: 'mql', probability: 0.3 }];
		expect(() => defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, stages })).toThrow(/Pipeline stage 8: the name "mql" is used twice \(also by "MQL"\)/);
	});

	it('rejects won/lost stages that are not stages, listing the known ones', () => {
		expect(() => defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, wonStage: 'Closed Won' })).toThrow(
			'The won stage "Closed Won" is not one of the pipeline\'s stages (New, MQL, SQL, Proposal, Negotiation, Won, Lost)',
		);
		expect(() => defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, lostStage: 'Won' })).toThrow(/must differ/);
	});

	it('rejects bad probabilities, empty names and bad stale days with InputError', () => {
		const withStage = (stage: PipelineStageDefinition) => ({ ...DEFAULT_SALES_PIPELINE, stages: [stage, ...DEFAULT_SALES_PIPELINE.stages.slice(1)] });
		expect(() => defineSalesPipeline(withStage({ name: 'New', probability: 1.5 }))).toThrow(/win probability 1.5 is not between 0 and 1/);
		expect(() => defineSalesPipeline(withStage({ name: 'New', probability: NaN }))).toThrow(InputError);
		expect(() => defineSalesPipeline(withStage({ name: ' ', probability: 0.1 }))).toThrow(/Pipeline stage 1: the name is empty/);
		expect(() => defineSalesPipeline(withStage({ name: 'New', probability: 0.1, staleAfterDays: -2 }))).toThrow(/stale after -2 days/);
		expect(() => defineSalesPipeline({ ...DEFAULT_SALES_PIPELINE, stages: [] })).toThrow(/no stages/);
		expect(() =>
			defineSalesPipeline({ stages: [{ name: 'Won', probability: 1 }, { name: 'Lost', probability: 0 }], wonStage: 'Won', lostStage: 'Lost' }),
		).toThrow(/no open stages/);
	});
});

describe('decideStageMove against the reference transition table', () => {
	it('examples on the default pipeline', () => {
		const pipeline = defineSalesPipeline(DEFAULT_SALES_PIPELINE);
		const move = (record: Record<string, unknown>, to: string, reason?: string) =>
			decideStageMove(pipeline, record, 'k', 'stage', to, reason);
		expect(move({ stage: 'New' }, 'MQL')).toMatchObject({ outcome: 'moved', from: 'New', to: 'MQL', probability: 0.1 });
		expect(move({ stage: 'new' }, 'sql')).toMatchObject({ outcome: 'rejected', reason: 'transition not allowed' });
		expect(move({ stage: 'SQL' }, 'Proposal')).toMatchObject({ outcome: 'rejected', reason: 'missing required field' });
		expect(move({ stage: 'SQL', amount: 0 }, 'Proposal')).toMatchObject({ outcome: 'moved', to: 'Proposal' });
		expect(move({ stage: 'SQL' }, 'Lost')).toMatchObject({ outcome: 'rejected', reason: 'missing required field', detail: 'Closing as "Lost" needs a reason' });
		expect(move({ stage: 'SQL' }, 'Lost', 'budget')).toMatchObject({ outcome: 'moved', to: 'Lost', reason: 'budget' });
		expect(move({ stage: 'Won' }, 'Negotiation')).toMatchObject({ outcome: 'rejected', reason: 'transition not allowed' });
		expect(move({ stage: 'Closed' }, 'MQL')).toMatchObject({ outcome: 'rejected', reason: 'unknown stage' });
		expect(move({ stage: 'MQL' }, 'Demo')).toMatchObject({ outcome: 'rejected', reason: 'unknown stage' });
		expect(move({ stage: '' }, 'New')).toMatchObject({ outcome: 'moved', from: null, to: 'New' });
		expect(move({ stage: 'MQL' }, 'mql')).toMatchObject({ outcome: 'unchanged', stage: 'MQL' });
	});

	it('agrees with the reference on random pipelines, records and targets (no move breaks a rule)', () => {
		fc.assert(
			fc.property(
				pipelineArb,
				stageValueArb,
				stageValueArb,
				fc.array(fc.oneof(fc.constant(''), fc.constant(null), fc.constant(0), fc.constant('x')), { minLength: 3, maxLength: 3 }),
				fc.oneof(fc.constant(undefined), fc.constant(''), fc.constant('price')),
				(definition, stage, target, values, reason) => {
					const pipeline = defineSalesPipeline(definition);
					const record: Record<string, unknown> = { stage };
					FIELDS.forEach((f, i) => (record[f] = values[i]));
					const actual = decideStageMove(pipeline, record, 'k', 'stage', target, reason);
					const expected = referenceDecision(definition, record, 'stage', target, reason);
					expect(actual.outcome).toBe(expected.outcome);
					if (actual.outcome === 'rejected') expect(actual.reason).toBe(expected.reason);
					if (actual.outcome === 'moved') expect(actual.to).toBe(expected.to);
				},
			),
			{ numRuns: 3000 },
		);
	});
});
