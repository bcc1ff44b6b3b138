/**
 * Repeat purchases of won customers, drawn from the processes the CLV models assume, so a
 * fit on the demo recovers something real:
 * - BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way", section 3):
 *   while active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
 *   purchase she becomes inactive with probability p ~ Beta(a, b).
 * - Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 1–2): each order's value
 *   is Gamma(shape pSpend, rate ν) with ν ~ Gamma(shape q, rate γ) per customer, so the mean
 *   spend is pSpend / ν and independent of how often she buys.
 * The first order is the deal itself: a starter bundle worth the won deal's amount.
 */
import type { Random } from './random';
import { DAY_MS, OBSERVATION_END, toDate } from './time';

/** Purchase process, rate per day. Mean λ = r / α: an order every 8 days while active. */
export const PURCHASE_PARAMS = { r: 2.5, alpha: 20, a: 0.4, b: 16 } as const;
/** Spend per order in EUR: mean pSpend·γ/(q − 1) = 4 · 110 / 3 ≈ 147. */
export const SPEND_PARAMS = { p: 4, q: 4, gamma: 110 } as const;
/** The starter bundle (the deal) is worth a few regular orders. */
const STARTER_MULTIPLE = 3;
const PRODUCTS = ['Espresso beans 1 kg', 'Filter coffee 1 kg', 'Tea assortment', 'Oat milk case', 'Descaling kit', 'Cups and lids'];

export interface Customer {
	email: string;
	campaign: string;
	wonAt: number;
	/** ν: the customer's spend rate (mean order value = SPEND_PARAMS.p / ν). */
	spendRate: number;
}

export interface DraftOrder {
	customerEmail: string;
	time: number;
	amount: number;
	product: string;
	campaign: string;
	notes: string;
}

const cents = (value: number) => Math.round(value * 100) / 100;

export function drawSpendRate(random: Random): number {
	return random.gamma(SPEND_PARAMS.q, 1 / SPEND_PARAMS.gamma);
}

/** The deal amount (the starter bundle) for a customer with spend rate ν. */
export function drawDealAmount(random: Random, spendRate: number): number {
	return Math.max(50, Math.round((STARTER_MULTIPLE * random.gamma(SPEND_PARAMS.p, 1 / spendRate)) / 10) * 10);
}

/** One customer's orders: the starter bundle at `wonAt`, then repeat purchases until she drops out or the data ends. */
export function drawOrders(random: Random, customer: Customer, dealAmount: number): DraftOrder[] {
	const { r, alpha, a, b } = PURCHASE_PARAMS;
	const rate = random.gamma(r, 1 / alpha);
	const dropOut = random.beta(a, b);
	const orders: DraftOrder[] = [
		{ customerEmail: customer.email, time: customer.wonAt, amount: dealAmount, product: 'Starter bundle', campaign: customer.campaign, notes: 'first order (the won deal)' },
	];
	let time = customer.wonAt;
	for (;;) {
		if (random.bernoulli(dropOut)) break;
		time += random.exponential(1 / rate) * DAY_MS;
		if (time >= OBSERVATION_END) break;
		const amount = Math.max(5, cents(random.gamma(SPEND_PARAMS.p, 1 / customer.spendRate)));
		orders.push({ customerEmail: customer.email, time, amount, product: random.pick(PRODUCTS), campaign: customer.campaign, notes: '' });
	}
	return orders;
}

export const orderDate = (order: DraftOrder) => toDate(order.time);
