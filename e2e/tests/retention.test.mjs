// Retention in real Chromium: the project's retention set on the settings page, then the runs list,
// dashboard and compare against a store whose oldest raw runs the server has deleted.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { launch, shot, watchedPage } from './lib/browser.mjs';
import { startDemoServer } from './lib/server.mjs';

const T = { timeout: 120_000 };
const DAY = 86_400_000;
const AGENT = 'archive-agent';
let server;
let browser;
let page;
let seen;
const before_ = {};

const iso = (ms) => new Date(ms).toISOString();
const query = (path) => server.api('GET', path);
const number = async (locator) => Number((await locator.innerText()).replace(/,/g, ''));

/** 24 runs of AGENT, 12 per version, ten days ago: older than the retention the test sets. */
function archiveRuns() {
  const start = Math.floor((Date.now() - 10 * DAY) / 3_600_000) * 3_600_000;
  const runs = [];
  const steps = [];
  for (let i = 0; i < 24; i++) {
    const runId = randomUUID();
    const t = start + i * 60_000;
    const failed = i % 6 === 0;
    runs.push({
      run_id: runId, agent_id: AGENT, agent_version: i % 2 ? 'v2' : 'v1', environment: 'production', name: 'archived',
      start_time: iso(t), end_time: iso(t + 1000 + i * 10), status: failed ? 'failure' : 'success',
    });
    steps.push({
      run_id: runId, step_id: `${runId.slice(0, 8)}-1`, seq: 1, type: 'llm', name: 'answer', start_time: iso(t),
      end_time: iso(t + 900), status: failed ? 'error' : 'ok', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 10,
      ...(failed ? { error: { type: 'model', code: 'rate_limited' } } : {}),
    });
  }
  return { runs, steps };
}

before(async () => {
  server = await startDemoServer();
  const accepted = await server.api('POST', '/v1/ingest', archiveRuns());
  assert.deepEqual(accepted.accepted, { runs: 24, steps: 24 });
  before_.all = await query('/v1/stats');
  before_.archive = await query(`/v1/stats?agent=${AGENT}`);
  before_.compare = await query(`/v1/compare?agent=${AGENT}&a=v1&b=v2`);
  browser = await launch();
  ({ page, seen } = await watchedPage(browser));
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('retention', () => {
  it('sets the raw and rollup retention on the settings page', T, async () => {
    await page.goto(server.url + '/settings');
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const raw = page.getByLabel('Raw runs and steps (days)');
    const rollup = page.getByLabel('Rollups (days)');
    await raw.waitFor();
    assert.equal(await raw.inputValue(), '', "the server's default to begin with");
    assert.equal(await rollup.getAttribute('placeholder'), 'server default');

    await raw.fill('two');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByRole('alert').getByText('Raw runs and steps: enter whole days').waitFor();
    await raw.fill('40000');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByRole('alert').getByText('raw_retention_days must be a whole number of days from 0 (keep forever) to 36500').waitFor();
    let project = (await query('/v1/projects')).projects.find((p) => p.project_id === 'default');
    assert.equal(project.raw_retention_days, null, 'a refused value changes nothing');

    await raw.fill('3');
    await rollup.fill('400');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByRole('status').getByText('Saved: raw runs and steps are kept 3 days, rollups 400 days.').waitFor();
    project = (await query('/v1/projects')).projects.find((p) => p.project_id === 'default');
    assert.equal(project.raw_retention_days, 3);
    assert.equal(project.rollup_retention_days, 400);
    // shown again after a reload, from the server
    await page.reload();
    await raw.waitFor();
    assert.equal(await raw.inputValue(), '3');
    assert.equal(await rollup.inputValue(), '400');
    await shot(page, 'settings-retention.png');
  });

  it('deletes the expired raw runs in the background', { timeout: 150_000 }, async () => {
    // a pass runs once a minute
    const deadline = Date.now() + 140_000;
    let page_;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      page_ = await query(`/v1/runs?agent=${AGENT}`);
    } while ((page_.runs.length > 0 || !page_.raw_data_from) && Date.now() < deadline);
    assert.equal(page_.runs.length, 0, 'the archived runs are gone');
    const from = Date.parse(page_.raw_data_from);
    assert.ok(Math.abs(from - (Date.now() - 3 * DAY)) < 10 * 60_000, `raw data from ${page_.raw_data_from}, about 3 days ago`);
    let kept = 0;
    let cursor = null;
    do {
      const listed = await query(`/v1/runs?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      kept += listed.runs.length;
      cursor = listed.next_cursor;
    } while (cursor);
    assert.equal(kept, server.demoRuns, "the demo's runs of the last day are kept");
  });

  it('says on the runs page where raw data ends', T, async () => {
    const { raw_data_from: from } = await query('/v1/runs');
    await page.goto(`${server.url}/runs`);
    const note = page.getByRole('note');
    await note.waitFor();
    assert.equal(await note.getAttribute('data-raw-data-from'), from);
    assert.match(await note.innerText(), /Raw data from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: runs that started earlier were deleted by this project's retention/);
    await page.locator('.runs-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.runs-table tbody tr').count(), 50);
    await shot(page, 'runs-retention.png');

    // the deleted agent's runs: an empty list that says why, not the getting-started page
    await page.goto(`${server.url}/runs?agent=${AGENT}`);
    await page.getByText('No runs match these filters.').waitFor();
    await note.waitFor();
    await note.getByRole('link', { name: 'Retention settings' }).waitFor();
  });

  it('still shows the deleted runs on the dashboard, from rollups', T, async () => {
    await page.goto(`${server.url}/dashboard?agent=${AGENT}`);
    const runsCard = page.locator('.stat').filter({ hasText: 'Runs' }).first();
    await runsCard.waitFor();
    await page.waitForFunction(() => document.querySelector('.stat .stat-value')?.textContent?.trim() === '24');
    assert.equal(await number(runsCard.locator('.stat-value')), before_.archive.runs.total);
    const tokens = page.locator('.stat').filter({ hasText: 'Tokens in / out' }).first();
    assert.equal((await tokens.locator('.stat-value').innerText()).replace(/,/g, ''), `${before_.archive.tokens.input} / ${before_.archive.tokens.output}`);
    const errorRate = page.locator('.stat').filter({ hasText: 'Error rate' }).first();
    assert.equal(await errorRate.locator('.stat-value').innerText(), `${Number((before_.archive.error_rate * 100).toFixed(1))}%`);

    await page.goto(`${server.url}/dashboard`);
    await page.waitForFunction((n) => document.querySelector('.stat .stat-value')?.textContent?.replace(/,/g, '').trim() === String(n), before_.all.runs.total);
    await shot(page, 'dashboard-retention.png', { fullPage: true });
  });

  it('still compares the deleted versions, from rollups', T, async () => {
    await page.goto(`${server.url}/compare?agent=${AGENT}&a=v1&b=v2`);
    await page.locator('.compare-table').first().waitFor();
    const runsRow = page.locator('.compare-table tr').filter({ hasText: 'Runs' }).first();
    const cells = await runsRow.locator('td').allInnerTexts();
    assert.equal(Number(cells[1].replace(/,/g, '')), before_.compare.a.runs.total);
    assert.equal(Number(cells[2].replace(/,/g, '')), before_.compare.b.runs.total);
    assert.equal(before_.compare.a.runs.total + before_.compare.b.runs.total, 24);
    const after = await query(`/v1/compare?agent=${AGENT}&a=v1&b=v2`);
    assert.deepEqual(after.a.runs, before_.compare.a.runs);
    assert.deepEqual(after.b.runs, before_.compare.b.runs);
    assert.deepEqual(seen.pageErrors, []);
  });

  it('prices an unknown model on the settings page, and later steps get its cost', T, async () => {
    const t = Date.now() - 60_000;
    const step = (runId) => ({
      runs: [{ run_id: runId, agent_id: 'priced-agent', start_time: iso(t), end_time: iso(t + 1000), status: 'success' }],
      steps: [{ run_id: runId, step_id: 's1', seq: 1, type: 'llm', name: 'answer', start_time: iso(t), end_time: iso(t + 900),
        status: 'ok', model: 'acme-e2e-7b', input_tokens: 1_000_000, output_tokens: 500_000 }],
    });
    await server.api('POST', '/v1/ingest', step('priced-before'));
    // last: its two runs would change the counts the retention checks compare
    await page.goto(server.url + '/settings');
    const unknown = page.getByRole('button', { name: 'acme-e2e-7b' });
    await unknown.waitFor();
    await unknown.click();
    assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), 'acme-e2e-7b');
    await page.getByLabel('Input', { exact: true }).fill('2');
    await page.getByLabel('Output', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Save price' }).click();
    await page.getByRole('status').getByText(/Saved: acme-e2e-7b from/).waitFor();
    const prices = await query('/v1/prices');
    const row = prices.prices.find((p) => p.model === 'acme-e2e-7b');
    assert.equal(row.source, 'project');
    assert.equal(row.input, 2);
    await page.getByRole('button', { name: 'acme-e2e-7b' }).waitFor({ state: 'detached' });

    await server.api('POST', '/v1/ingest', step('priced-after'));
    const after_ = await query('/v1/runs/priced-after/steps/s1');
    assert.equal(after_.cost_source, 'computed');
    assert.ok(Math.abs(after_.cost_usd - (2 + 0.5 * 4)) < 1e-9, `cost ${after_.cost_usd}`);
    const before = await query('/v1/runs/priced-before/steps/s1');
    assert.equal(before.cost_usd, null, 'a price applies to steps written after it');
    await shot(page, 'settings-prices.png');
  });
});
