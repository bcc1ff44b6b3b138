/**
 * Items per second through this package's nodes inside real n8n (the pinned 2.41.1, package
 * installed as a community package, `n8n execute`), each beside the reference a user would
 * otherwise write: a Code node doing the same job in the same workflow and the same run.
 * Times are n8n's own per-node `executionTime` from the run data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeWorkflow, importWorkflow, installCommunityPackage, packPackage } from '../test/e2e/n8nInstance';
import type { BenchCase, BenchResult } from './lib';

let userFolder: string | undefined;
function folder(): string {
	if (!userFolder) {
		userFolder = mkdtempSync(join(tmpdir(), 'solo-sales-bench-n8n-'));
		installCommunityPackage(userFolder, packPackage());
	}
	return userFolder;
}

interface Timed {
	ms: number;
	items: number;
}

function runInN8n(id: string, nodes: object[], connections: object, timed: string[]): Record<string, Timed> {
	const uf = folder();
	importWorkflow(uf, { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections });
	const result = executeWorkflow(uf, id);
	if (result.code !== 0 || result.error || !result.runData) throw new Error(`n8n run failed: ${result.output.slice(-3000)}`);
	const out: Record<string, Timed> = {};
	for (const name of timed) {
		const task = result.runData[name]?.[0] as unknown as { executionTime: number; data: { main: unknown[][] } };
		out[name] = { ms: task.executionTime, items: task.data.main[0].length };
	}
	return out;
}

const node = (name: string, type: string, typeVersion: number, x: number, parameters: object) => ({
	id: name.replace(/\W/g, '-').toLowerCase(),
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
});

/** Code node making n leads with three numeric fields (the same data every run). */
const makeLeads = (n: number) =>
	node('Make leads', 'n8n-nodes-base.code', 2, 200, {
		jsCode: `let a = 12345; const r = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
return Array.from({ length: ${n} }, (_, i) => ({ json: { id: i, pageViews: Math.floor(r() * 20), inquiries: Math.floor(r() * 5), emailOpens: Math.floor(r() * 10) } }));`,
	});

function chain(names: string[]): object {
	const c: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	for (let i = 1; i < names.length; i++) c[names[i - 1]] = { main: [[{ node: names[i], type: 'main', index: 0 }]] };
	return c;
}

function leadScorerCase(n: number): BenchResult {
	const weights = { weight: [{ field: 'pageViews', weight: 0.1 }, { field: 'inquiries', weight: 0.5 }, { field: 'emailOpens', weight: 0.05 }] };
	const code = `const out = [];
for (const item of $input.all()) {
  const z = -3 + 0.1 * item.json.pageViews + 0.5 * item.json.inquiries + 0.05 * item.json.emailOpens;
  const probability = 1 / (1 + Math.exp(-z));
  out.push({ json: { ...item.json, probability, score: Math.round(probability * 100) } });
}
return out;`;
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
		makeLeads(n),
		node('Lead Scorer', 'n8n-nodes-solo-sales.leadScorer', 1, 400, { operation: 'scoreWithWeights', intercept: -3, weights }),
		node('Code node scoring', 'n8n-nodes-base.code', 2, 600, { jsCode: code }),
	];
	const t = runInN8n(`BenchLeadScore${n}`.slice(0, 16).padEnd(16, '0'), nodes, chain(['Start', 'Make leads', 'Lead Scorer', 'Code node scoring']), ['Lead Scorer', 'Code node scoring']);
	return {
		timeMs: t['Lead Scorer'].ms,
		units: t['Lead Scorer'].items,
		unitName: 'items',
		referenceMs: t['Code node scoring'].ms,
		referenceName: 'Code node, same formula (task runner)',
		note: 'real n8n 2.41.1, n8n execute, per-node executionTime; RSS column = bench driver, not n8n',
	};
}

function funnelCase(n: number): BenchResult {
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
		node('Make events', 'n8n-nodes-base.code', 2, 200, {
			jsCode: `let a = 777; const r = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
const steps = ['New', 'MQL', 'SQL', 'Proposal', 'Won']; const out = []; let t0 = Date.UTC(2026, 0, 1);
for (let e = 0; out.length < ${n}; e++) { let t = t0 + Math.floor(r() * 86400000 * 60);
  for (const s of steps) { if (out.length >= ${n}) break; out.push({ json: { key: 'L' + e, to: s, time: new Date(t).toISOString() } }); if (r() < 0.35) break; t += Math.floor(r() * 86400000 * 10); } }
return out;`,
		}),
		node('Funnel Analyzer', 'n8n-nodes-solo-sales.funnelAnalyzer', 1, 400, {
			operation: 'eventLog',
			stages: { stage: ['New', 'MQL', 'SQL', 'Proposal', 'Won'].map((name) => ({ name })) },
			conversionWindow: 90,
			conversionWindowUnit: 'days',
			output: 'summary',
		}),
	];
	const t = runInN8n(`BenchFunnel${n}`.slice(0, 16).padEnd(16, '0'), nodes, chain(['Start', 'Make events', 'Funnel Analyzer']), ['Funnel Analyzer']);
	return { timeMs: t['Funnel Analyzer'].ms, units: n, unitName: 'items', note: 'real n8n 2.41.1; no Code-node reference for a windowed funnel; RSS column = bench driver, not n8n' };
}

export const cases: BenchCase[] = [
	{ operation: 'Lead Scorer in real n8n: score with weights', size: '10,000 items', run: () => leadScorerCase(10_000) },
	{ operation: 'Funnel Analyzer in real n8n: event log', size: '100,000 items', run: () => funnelCase(100_000) },
];
