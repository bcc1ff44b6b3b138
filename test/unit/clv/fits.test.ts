// Model fits on CDNOW against the published numbers (Fader, Hardie & Lee 2005; Fader & Hardie
// Gamma-Gamma note) and against an independent scipy L-BFGS-B fit of the same likelihood.
import { fitBgNbd } from '../../../nodes/ClvCalculator/bgNbd';
import { fitGammaGamma } from '../../../nodes/ClvCalculator/gammaGamma';
import { fitMbgNbd } from '../../../nodes/ClvCalculator/mbgNbd';
import { fitParetoNbd } from '../../../nodes/ClvCalculator/paretoNbd';
import { cdnowCalibration, round, runReference } from './helpers';

const customers = cdnowCalibration();
const columns = {
	x: customers.map((c) => c.frequency),
	tx: customers.map((c) => c.recency),
	T: customers.map((c) => c.T),
};
interface ScipyFit {
	params: number[];
	ll: number;
}

describe('CDNOW calibration data', () => {
	test('has the 2357 customers and 946 repeat buyers of the papers', () => {
		expect(customers).toHaveLength(2357);
		expect(customers.filter((c) => c.frequency > 0)).toHaveLength(946);
	});
});

describe('BG/NBD on CDNOW', () => {
	const fit = fitBgNbd(customers);
	test('reproduces FHL 2005 (r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4)', () => {
		expect(fit.converged).toBe(true);
		expect(round(fit.params.r, 3)).toBe(0.243);
		expect(round(fit.params.alpha, 3)).toBe(4.414);
		expect(round(fit.params.a, 3)).toBe(0.793);
		expect(round(fit.params.b, 3)).toBe(2.426);
		expect(round(fit.logLikelihood, 1)).toBe(-9582.4);
	});
	test('matches scipy L-BFGS-B on the same likelihood', () => {
		const ref = runReference<ScipyFit>('clv_fit.py', { model: 'bgnbd', ...columns });
		const ours = [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b];
		ours.forEach((v, i) => expect(Math.abs(v - ref.params[i]) / ref.params[i]).toBeLessThan(1e-4));
		expect(Math.abs(fit.logLikelihood - ref.ll)).toBeLessThan(1e-5);
	});
	test('a penalizer shrinks the parameters and lowers the likelihood', () => {
		const penalized = fitBgNbd(customers, { penalizer: 0.1 });
		expect(penalized.converged).toBe(true);
		expect(penalized.logLikelihood).toBeLessThan(fit.logLikelihood);
		expect(penalized.params.b).toBeLessThan(fit.params.b);
	});
});

describe('MBG/NBD on CDNOW', () => {
	test('matches scipy L-BFGS-B on the Batislam et al. likelihood', () => {
		const fit = fitMbgNbd(customers);
		const ref = runReference<ScipyFit>('clv_fit.py', { model: 'mbgnbd', ...columns });
		const ours = [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b];
		expect(fit.converged).toBe(true);
		ours.forEach((v, i) => expect(Math.abs(v - ref.params[i]) / ref.params[i]).toBeLessThan(1e-4));
		expect(Math.abs(fit.logLikelihood - ref.ll)).toBeLessThan(1e-5);
	});
});

describe('Pareto/NBD on CDNOW', () => {
	const fit = fitParetoNbd(customers);
	test('reproduces FHL 2005 (r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = −9595.0)', () => {
		expect(fit.converged).toBe(true);
		expect(round(fit.params.r, 3)).toBe(0.553);
		expect(round(fit.params.alpha, 3)).toBe(10.578);
		expect(round(fit.params.s, 3)).toBe(0.606);
		expect(round(fit.params.beta, 3)).toBe(11.669);
		expect(round(fit.logLikelihood, 1)).toBe(-9595.0);
	});
	test('matches scipy L-BFGS-B (with scipy.special.hyp2f1) on the same likelihood', () => {
		const ref = runReference<ScipyFit>('clv_fit.py', { model: 'paretonbd', ...columns });
		const ours = [fit.params.r, fit.params.alpha, fit.params.s, fit.params.beta];
		// β is weakly identified (s.e. ≈ 6), so both optimizers stop within 1e-3 of each other there.
		ours.forEach((v, i) => expect(Math.abs(v - ref.params[i]) / ref.params[i]).toBeLessThan(1e-3));
		expect(Math.abs(fit.logLikelihood - ref.ll)).toBeLessThan(1e-4);
	});
});

describe('Gamma-Gamma on CDNOW', () => {
	const fit = fitGammaGamma(customers);
	test('reproduces Fader & Hardie (p = 6.25, q = 3.74, γ = 15.44) on the 946 repeat customers', () => {
		expect(fit.customers).toBe(946);
		expect(fit.converged).toBe(true);
		expect(round(fit.params.p, 2)).toBe(6.25);
		expect(round(fit.params.q, 2)).toBe(3.74);
		expect(round(fit.params.v, 2)).toBe(15.44);
		expect(fit.warnings).toEqual([]);
	});
	test('matches scipy L-BFGS-B on the same likelihood', () => {
		const repeat = customers.filter((c) => c.frequency > 0);
		const ref = runReference<ScipyFit>('clv_fit.py', {
			model: 'gammagamma',
			x: repeat.map((c) => c.frequency),
			m: repeat.map((c) => c.monetaryValue),
		});
		[fit.params.p, fit.params.q, fit.params.v].forEach((v, i) => expect(Math.abs(v - ref.params[i]) / ref.params[i]).toBeLessThan(1e-4));
		expect(Math.abs(fit.logLikelihood - ref.ll)).toBeLessThan(1e-5);
	});
});
