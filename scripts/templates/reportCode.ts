/**
 * JavaScript of the "Compose weekly report" Code node, shared by the weekly-report template
 * and the demo. It only lays out what the package's nodes computed (no statistics here):
 * tables plus the SVG charts the nodes drew, inlined into one HTML document.
 */
export const COMPOSE_REPORT_JS = String.raw`// Lays out what the Funnel Analyzer, Campaign Evaluator and CLV Calculator computed as one HTML page.
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const pct = (v) => (typeof v === 'number' ? (v * 100).toFixed(1) + '%' : 'n/a');
const num = (v, d = 0) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const money = (v) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : 'n/a');
// The charts arrive as binary "chart" on the merged input items (stored by n8n, read back here).
const inputs = $input.all();
const chartOf = async (isIt) => {
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].binary && inputs[i].binary.chart && isIt(inputs[i].json)) {
      return (await this.helpers.getBinaryDataBuffer(i, 'chart')).toString('utf8');
    }
  }
  return '';
};
const table = (headers, rows) => '<table><thead><tr>' + headers.map((h) => '<th>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>' +
  rows.map((r) => '<tr>' + r.map((c) => '<td>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';

const funnel = $('Funnel Analyzer').first().json;
const campaigns = $('Evaluate campaigns').all().map((i) => i.json).filter((j) => j.type === 'campaign');
const campaignSummary = $('Evaluate campaigns').all().map((i) => i.json).find((j) => j.type === 'summary') || {};
const ab = $('Compare variants').first().json;
const attribution = $('Attribute conversions').all().map((i) => i.json).filter((j) => j.channel !== undefined);
const customers = $('CLV Calculator').all().map((i) => i.json).filter((j) => j.customerId !== undefined);

const segments = {};
for (const c of customers) {
  const s = (segments[c.segment] ||= { customers: 0, clv: 0 });
  s.customers += 1;
  s.clv += c.clv;
}
const totalClv = customers.reduce((sum, c) => sum + c.clv, 0);
const channels = [...new Set(attribution.map((a) => a.channel))];
const models = [...new Set(attribution.map((a) => a.model))];
const credit = (channel, model) => attribution.find((a) => a.channel === channel && a.model === model);

const html = '<!doctype html><html><head><meta charset="utf-8"><title>Weekly sales report</title><style>' +
  'body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;max-width:860px;margin:24px auto;padding:0 16px}' +
  'h1{font-size:24px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}' +
  'table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef2f6}' +
  'th{background:#f5f7fa}.lead{font-size:15px;background:#f0f7ff;padding:8px 12px;border-radius:6px}</style></head><body>' +
  '<h1>Weekly sales report</h1>' +
  '<h2>Funnel</h2><p class="lead" id="funnel-sentence">' + esc(funnel.sentence) + '</p>' +
  '<div class="chart" id="funnel-chart">' + (await chartOf((j) => j.mode !== undefined && j.steps !== undefined)) + '</div>' +
  table(['Step', 'Entered', 'Converted', 'Step conversion', 'From first step', 'Median days to next'],
    (funnel.steps || []).map((s) => [esc(s.name), num(s.entered), num(s.converted), pct(s.conversionRate), pct(s.overallConversion), num(s.medianTimeToNext, 1)])) +
  '<h2>Campaigns</h2><p class="lead" id="campaign-sentence">' + esc(campaignSummary.advice || '') + '</p>' +
  '<div class="chart" id="campaign-chart">' + (await chartOf((j) => j.type === 'summary')) + '</div>' +
  table(['Campaign', 'Spend', 'Revenue', 'ROI', 'ROAS', 'Cost per lead', 'Customer acquisition cost', 'Rank'],
    campaigns.map((c) => [esc(c.campaign), money(c.spend), money(c.revenue), pct(c.returnOnInvestment), num(c.returnOnAdSpend, 2), money(c.costPerLead), money(c.costPerAcquisition), num(c.rank)])) +
  '<h2>A/B test</h2><p class="lead" id="ab-verdict">' + esc(ab.verdict) + '</p>' +
  '<h2>Attribution (conversions credited)</h2>' +
  table(['Channel', ...models], channels.map((ch) => [esc(ch), ...models.map((m) => num((credit(ch, m) || {}).conversions, 1))])) +
  '<h2>Customer lifetime value</h2><p class="lead" id="clv-total">Expected value of current customers over the horizon: ' + money(totalClv) + ' from ' + num(customers.length) + ' customers.</p>' +
  '<div class="chart" id="clv-chart">' + (await chartOf((j) => j.modelType === 'clvModel')) + '</div>' +
  table(['Segment', 'Customers', 'Expected value'], Object.entries(segments).sort((a, b) => b[1].clv - a[1].clv).map(([name, s]) => [esc(name), num(s.customers), money(s.clv)])) +
  '</body></html>';

return [{
  json: {
    subject: 'Weekly sales report',
    html,
    funnelSentence: funnel.sentence,
    overallConversion: funnel.overallConversion,
    campaignSentence: campaignSummary.advice || '',
    abVerdict: ab.verdict,
    totalClv,
    customers: customers.length,
  },
  binary: { report: { data: Buffer.from(html).toString('base64'), mimeType: 'text/html', fileName: 'weekly-report.html', fileExtension: 'html' } },
}];`;

/** Code node JS that turns demo files (one CRM tab each, header row + rows) into records tagged with their tab (`sourceTab`). */
export const SHEET_FILES_TO_RECORDS_JS = String.raw`// Each demo file is one CRM tab as the Sheets API returns it: a header row, then one array per row.
const out = [];
const files = $input.all();
for (let i = 0; i < files.length; i++) {
  const tab = files[i].binary.data.fileName.replace(/\.json$/, '');
  const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
  const [header, ...rows] = JSON.parse(buffer.toString('utf8'));
  for (const row of rows) {
    out.push({ json: { ...Object.fromEntries(header.map((name, c) => [name, row[c] ?? ''])), sourceTab: tab } });
  }
}
return out;`;

/** Code node JS: the report's headline figures as rows for the Reports tab (date, report, period, metric, value, details). */
export const REPORT_FIGURES_JS = String.raw`// One row per headline figure, for the Reports tab.
const r = $input.first().json;
const date = new Date().toISOString().slice(0, 10);
const row = (metric, value, details = '') => ({ json: { date, report: 'weekly pipeline', period: 'last 7 days', metric, value, details } });
return [
  row('overall conversion', r.overallConversion, r.funnelSentence),
  row('campaign summary', '', r.campaignSentence),
  row('A/B verdict', '', r.abVerdict),
  row('total expected CLV', r.totalClv, r.customers + ' customers'),
];`;
