import { fitLogisticRegression } from '../../../nodes/LeadScorer';
import { normalDraw, seeded } from './helpers';

describe('simulated history from known coefficients (n = 100,000)', () => {
	// Truth: logit P(won) = -1 + 0.8·inquiries − 0.5·daysSinceContact + 0.3·pageViews
	//        + source effects (baseline "ad"): email −0.4, referral +1.1, webinar +0.6.
	const truth: Record<string, number> = {
		'(Intercept)': -1,
		inquiries: 0.8,
		daysSinceContact: -0.5,
		pageViews: 0.3,
		'source=email': -0.4,
		'source=referral': 1.1,
		'source=webinar': 0.6,
	};
	const sources = ['ad', 'email', 'referral', 'webinar'];
	const random = seeded(20240601);
	const rows = Array.from({ length: 100_000 }, () => {
		const inquiries = Math.floor(random() * 6);
		const daysSinceContact = normalDraw(random) * 2 + 3;
		const pageViews = Math.exp(normalDraw(random) * 0.5);
		const source = sources[Math.floor(random() * sources.length)];
		const eta =
			truth['(Intercept)'] + truth.inquiries * inquiries + truth.daysSinceContact * daysSinceContact + truth.pageViews * pageViews + (truth[`source=${source}`] ?? 0);
		const won = random() < 1 / (1 + Math.exp(-eta)) ? 'won' : 'lost';
		return { inquiries, daysSinceContact, pageViews, source, won };
	});

	test('every fitted coefficient is within 3 standard errors of the truth', () => {
		const fit = fitLogisticRegression(rows, { target: 'won', features: ['inquiries', 'daysSinceContact', 'pageViews', 'source'], categorical: ['source'] });
		expect(fit.converged).toBe(true);
		expect(fit.coefficients.map((c) => c.name).sort()).toEqual(Object.keys(truth).sort());
		for (const c of fit.coefficients) {
			const distance = Math.abs(c.estimate! - truth[c.name]) / c.stdError!;
			expect(distance).toBeLessThan(3);
		}
		// Standard errors shrink like 1/√n: at n = 100,000 they are small.
		for (const c of fit.coefficients) expect(c.stdError!).toBeLessThan(0.05);
	});
});
