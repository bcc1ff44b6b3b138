/**
 * The demo CRM: about 500 leads with stage history, their touchpoint journeys, about 2,000
 * orders from the won customers, five campaigns and one A/B test. Deterministic: the same
 * seed gives the same records, and `serializeDemoData` the same bytes.
 */
import { buildCampaigns, buildVariants } from './campaigns';
import { drawLead, type DraftLead } from './leads';
import { drawOrders, type DraftOrder } from './orders';
import { createRandom } from './random';
import { toDate, toTimestamp } from './time';
import type { DemoData, Lead, Order, StageMove, Touchpoint } from './types';

export * from './types';
export { DEMO_TABS, recordsToRows, rowsToRecords, serializeDemoData, serializeRows } from './columns';
export type { Cell } from './columns';
export { OBSERVATION_END, PERIOD_START } from './time';
export { PURCHASE_PARAMS, SPEND_PARAMS } from './orders';

export const DEMO_SEED = 20261101;
export const LEAD_COUNT = 500;
const EXECUTION_ID = 'demo';

function toLead(draft: DraftLead, index: number): Lead {
	const { path } = draft;
	const lastMove = path.moves[path.moves.length - 1];
	const lastTouch = draft.touches.reduce((latest, touch) => Math.max(latest, touch.time), draft.createdAt);
	const reachedSql = path.furthest >= 2;
	return {
		id: `L${String(index + 1).padStart(4, '0')}`,
		email: draft.email,
		name: draft.name,
		company: draft.company,
		phone: draft.phone,
		source: draft.source,
		campaign: draft.campaign,
		stage: path.stage,
		score: '',
		owner: 'founder',
		createdAt: toTimestamp(draft.createdAt),
		updatedAt: toTimestamp(Math.max(lastMove.time, lastTouch)),
		lastActivityAt: toTimestamp(lastTouch),
		stageChangedAt: toTimestamp(lastMove.time),
		lostReason: path.lostReason,
		notes: '',
		pageViews: draft.pageViews,
		inquiries: draft.inquiries,
		emailOpens: draft.emailOpens,
		companySize: draft.companySize,
		industry: draft.industry,
		amount: reachedSql ? draft.dealAmount : '',
		currency: 'EUR',
		outcome: path.outcome,
		closedAt: path.closedAt === undefined ? '' : toTimestamp(path.closedAt),
		wonReason: path.wonReason,
	};
}

const byTimeThenKey = <T>(time: (x: T) => number, key: (x: T) => string) => (x: T, y: T) => time(x) - time(y) || key(x).localeCompare(key(y));

export function generateDemoData(seed: number = DEMO_SEED): DemoData {
	const random = createRandom(seed);
	const usedEmails = new Set<string>();
	const drafts = Array.from({ length: LEAD_COUNT }, () => drawLead(random, usedEmails)).sort(
		byTimeThenKey((d) => d.createdAt, (d) => d.email),
	);
	const leads = drafts.map(toLead);

	const stageHistory: StageMove[] = drafts
		.flatMap((draft) => draft.path.moves.map((move) => ({ draft, move })))
		.sort(byTimeThenKey(({ move }) => move.time, ({ draft }) => draft.email))
		.map(({ draft, move }) => ({ time: toTimestamp(move.time), tab: 'Leads', key: draft.email, from: move.from, to: move.to, reason: move.reason, executionId: EXECUTION_ID }));

	const draftOrders: DraftOrder[] = drafts
		.filter((draft) => draft.path.outcome === 'won')
		.flatMap((draft) =>
			drawOrders(random, { email: draft.email, campaign: draft.campaign, wonAt: draft.path.closedAt as number, spendRate: draft.spendRate }, draft.dealAmount),
		)
		.sort(byTimeThenKey((o) => o.time, (o) => o.customerEmail));
	const orders: Order[] = draftOrders.map((order, index) => ({
		id: `O${String(index + 1).padStart(5, '0')}`,
		customerEmail: order.customerEmail,
		date: toDate(order.time),
		amount: order.amount,
		currency: 'EUR',
		product: order.product,
		campaign: order.campaign,
		notes: order.notes,
	}));

	const touchpoints: Touchpoint[] = drafts
		.flatMap((draft) => draft.touches.map((touch) => ({ draft, touch })))
		.sort(byTimeThenKey(({ touch }) => touch.time, ({ draft }) => draft.email))
		.map(({ draft, touch }, index) => ({
			id: `T${String(index + 1).padStart(5, '0')}`,
			time: toTimestamp(touch.time),
			email: draft.email,
			type: touch.type,
			channel: touch.channel,
			campaign: touch.campaign,
			subject: touch.subject,
			details: '',
			executionId: EXECUTION_ID,
			converted: touch.converted,
			value: touch.value,
		}));

	const campaigns = buildCampaigns(random, leads, orders);
	const variants = buildVariants(random);
	return { leads, stageHistory, orders, campaigns, variants, touchpoints };
}
