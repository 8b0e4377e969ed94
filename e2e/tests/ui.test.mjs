// The web UI in real headless Chromium against the real server filled by `sextant demo`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RESULTS, launch, shot, watchedPage } from './lib/browser.mjs';
import { XSS, hostileRun, largeRun, simpleRun } from './lib/data.mjs';
import { startDemoServer } from './lib/server.mjs';

const T = { timeout: 120_000 };
let server;
let browser;
let page;
let seen;
const results = {};

before(async () => {
  server = await startDemoServer();
  browser = await launch();
  ({ page, seen } = await watchedPage(browser));
  page.setDefaultTimeout(20_000);
});

after(async () => {
  writeFileSync(join(RESULTS, 'e2e-results.json'), JSON.stringify(results, null, 2) + '\n');
  await browser?.close();
  await server?.stop();
});

const cspViolations = () => page.evaluate(() => window.__cspViolations);
const query = (path) => server.api('GET', path);

describe('web UI', () => {
  it('is served with a strict Content-Security-Policy, also for client-side routes', T, async () => {
    for (const path of ['/', '/runs/some-run-id']) {
      // as a browser asks: /runs/{id} without text/html is LangSmith's read API
      const response = await fetch(server.url + path, { headers: { Accept: 'text/html,application/xhtml+xml' } });
      assert.equal(response.status, 200);
      const csp = response.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
        assert.ok(csp.includes(directive), `CSP of ${path} lacks ${directive}: ${csp}`);
      }
      assert.match(await response.text(), /<div id="root">/);
    }
  });

  it('asks to sign in and signs in as admin', T, async () => {
    await page.goto(server.url + '/runs');
    await page.getByLabel('Password').waitFor();
    await shot(page, 'login.png');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong user name or password.').waitFor();
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.runs-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.runs-table tbody tr').count(), 50);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'sextant_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    await shot(page, 'runs.png');
  });

  it('filters runs by failure type, with the filter in the URL', T, async () => {
    const stats = await query('/v1/stats');
    const type = stats.failures.map((f) => f.type).includes('tool') ? 'tool' : stats.failures[0].type;
    await page.getByLabel('failure_type').selectOption(type);
    await page.waitForURL((u) => new URL(u).searchParams.get('failure_type') === type);
    await page.waitForFunction((t) => {
      const cells = [...document.querySelectorAll('.runs-table tbody .failure-cell')];
      return cells.length > 0 && cells.every((c) => c.textContent.startsWith(t));
    }, type);
    const expected = await query(`/v1/runs?failure_type=${type}&limit=50`);
    const shown = await page.locator('.runs-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
    assert.deepEqual(shown, expected.runs.map((r) => r.run_id));
    // The URL alone reproduces the view.
    await page.reload();
    await page.locator('.runs-table tbody tr').first().waitFor();
    assert.equal(await page.getByLabel('failure_type').inputValue(), type);
    await shot(page, 'runs-filtered.png');
  });

  it('opens a failed run with its failing step highlighted in the tree and the timeline', T, async () => {
    const firstRunId = await page.locator('.runs-table tbody tr').first().getAttribute('data-run-id');
    await page.locator('.runs-table tbody tr').first().locator('.run-name a').click();
    await page.waitForURL(`**/runs/${firstRunId}**`);
    const detail = await query(`/v1/runs/${firstRunId}`);
    const failingId = detail.failure.step_id;
    assert.ok(failingId, 'demo failure links a step');
    await page.locator('.failure-banner').waitFor();
    assert.match(await page.locator('.failure-banner').innerText(), new RegExp(`${detail.failure.type}/${detail.failure.code}`));
    const row = page.locator(`.tree-row[data-step-id="${failingId}"]`);
    await row.waitFor();
    assert.ok((await row.getAttribute('class')).includes('failing'), 'failing row highlighted in the tree');
    assert.ok((await row.locator('.bar').getAttribute('class')).includes('failing'), 'failing bar highlighted in the timeline');
    assert.equal(await page.locator('.tree-row.failing').count(), 1);
    // every step of the skeleton is a row, in seq order (retries grouped under one extra row each)
    const keys = await page.locator('.tree-row[data-step-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step-id')));
    assert.equal(new Set(keys).size, detail.steps.length);
    await shot(page, 'run.png');
  });

  it('opens a step and loads its details on demand', T, async () => {
    const before = seen.requests.filter((u) => u.includes('/steps/')).length;
    assert.equal(before, 0, 'no step details before a step is opened');
    await page.getByRole('button', { name: /Go to failing step/ }).click();
    const panel = page.locator('.step-panel');
    await panel.getByRole('heading', { name: 'Metadata' }).waitFor();
    await panel.getByRole('heading', { name: 'Normalization' }).waitFor();
    const text = await panel.innerText();
    assert.match(text, /This step caused the run/);
    assert.match(text, /not stored: project policy is metadata-only/);
    assert.match(text, /Step id/);
    assert.equal(seen.requests.filter((u) => u.includes('/steps/')).length, 1);
    await shot(page, 'step.png');
  });

  it('moves through the tree with the keyboard', T, async () => {
    await page.locator('.tree-viewport').focus();
    const selected = () => page.locator('.tree-viewport').getAttribute('aria-activedescendant');
    await page.keyboard.press('Home');
    const first = await selected();
    await page.keyboard.press('ArrowDown');
    assert.notEqual(await selected(), first);
    await page.keyboard.press('Escape');
    await page.locator('.step-panel').waitFor({ state: 'detached' });
    await page.keyboard.press('f');
    await page.locator('.step-panel').waitFor();
    assert.ok((await selected()).includes(new URL(page.url()).searchParams.get('step')));
  });

  it('shows the dashboard', T, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('svg[aria-label="Runs over time by status"] rect.series-success').first().waitFor();
    const stats = await query('/v1/stats');
    const runsCard = page.locator('.stat').filter({ hasText: 'Runs' }).first();
    assert.equal((await runsCard.locator('.stat-value').innerText()).replace(/,/g, ''), String(stats.runs.total));
    for (const title of ['Error rate', 'Run latency', 'Retries', 'Tokens', 'Cost']) await page.locator(`svg[aria-label="${title}"]`).waitFor();
    assert.ok((await page.locator('.bar-list li').count()) >= 1, 'failures by type and code');
    assert.ok((await page.locator('.compact-table tbody tr').count()) >= 5, 'latency by step type');
    await page.waitForTimeout(300);
    await shot(page, 'dashboard.png', { fullPage: true });
  });

  it('compares two versions with better and worse marks', T, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' }).click();
    await page.locator('.compare-table').first().waitFor();
    const url = new URL(page.url());
    const agent = url.searchParams.get('agent');
    const a = url.searchParams.get('a');
    const b = url.searchParams.get('b');
    assert.ok(agent && a && b && a !== b, `compare picked ${agent} ${a} vs ${b}`);
    const marks = await page.locator('.mark.better, .mark.worse').count();
    assert.ok(marks > 0, 'some differences are marked');
    const compare = await query(`/v1/compare?agent=${agent}&a=${a}&b=${b}`);
    // Each side is the /v1/stats body of its version, plus version and per_run.
    for (const [side, version] of [['a', a], ['b', b]]) {
      const { version: v, per_run: perRun, ...stats } = compare[side];
      assert.equal(v, version);
      assert.equal(typeof perRun.cost_usd, 'number');
      assert.deepEqual(stats, await query(`/v1/stats?agent=${agent}&version=${version}`));
    }
    const runsRow = page.locator('.compare-table tr').filter({ hasText: 'Runs' }).first();
    const cells = await runsRow.locator('td').allInnerTexts();
    assert.equal(cells[1].replace(/,/g, ''), String(compare.a.runs.total));
    assert.equal(cells[2].replace(/,/g, ''), String(compare.b.runs.total));
    await shot(page, 'compare.png', { fullPage: true });
  });

  it('shows new runs as they arrive in live mode', T, async () => {
    await page.goto(`${server.url}/runs?live=1`);
    await page.locator('.runs-table tbody tr').first().waitFor();
    const name = `live_${Date.now()}`;
    const { runId, body } = simpleRun(name);
    await server.api('POST', '/v1/ingest', body);
    const row = page.locator(`.runs-table tr[data-run-id="${runId}"]`);
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await row.locator('.run-name a').innerText(), name);
  });

  it('opens a run with 5,000 steps quickly and scrolls it smoothly', T, async () => {
    const big = largeRun(5000);
    const accepted = await server.api('POST', '/v1/ingest', { runs: [big.run], steps: big.steps });
    assert.deepEqual(accepted.accepted, { runs: 1, steps: 5000 });
    assert.deepEqual(accepted.errors, []);

    // Cold: a fresh page load of the run's URL until its steps show.
    await page.goto(`${server.url}/runs/${big.runId}`);
    await page.locator('.tree-row').first().waitFor({ timeout: 30_000 });
    const cold = await page.evaluate(() => performance.now());
    assert.equal(await page.locator('.tree-viewport').getAttribute('data-row-count'), String(5000 + 50));

    // Warm: from the runs list, click to the run until its steps show.
    await page.goto(`${server.url}/runs?q=large_run_5000`);
    const link = page.locator(`.runs-table tr[data-run-id="${big.runId}"] .run-name a`);
    await link.waitFor();
    await page.evaluate(() => {
      window.__clickAt = performance.now();
    });
    await link.click();
    await page.locator('.tree-row').first().waitFor({ timeout: 30_000 });
    const warm = await page.evaluate(() => performance.now() - window.__clickAt);
    // How much of that was the server answering GET /v1/runs/{id} (1.6 MB of skeleton).
    const api = await page.evaluate((id) => {
      const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes(`/v1/runs/${id}`)).at(-1);
      return entry ? entry.responseEnd - entry.startTime : null;
    }, big.runId);

    const domRows = await page.locator('.tree-row').count();
    assert.ok(domRows < 150, `virtualised: ${domRows} rows in the DOM`);

    // Scroll from top to bottom in 120 animation frames and measure the frames.
    const scroll = await page.evaluate(
      () =>
        new Promise((done) => {
          const el = document.querySelector('.tree-viewport');
          const frames = [];
          const steps = 120;
          let i = 0;
          let last = performance.now();
          const tick = (now) => {
            frames.push(now - last);
            last = now;
            i += 1;
            el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / steps;
            if (i < steps) requestAnimationFrame(tick);
            else setTimeout(() => done({ frames: frames.slice(1), rows: document.querySelectorAll('.tree-row').length }), 100);
          };
          requestAnimationFrame(tick);
        }),
    );
    const sorted = [...scroll.frames].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    const max = sorted[sorted.length - 1];
    const avg = sorted.reduce((s, v) => s + v, 0) / sorted.length;
    await page.locator(`.tree-row[data-step-id="${big.lastStepId}"]`).waitFor();
    assert.ok(scroll.rows < 150, `still virtualised after scrolling: ${scroll.rows} rows`);

    // The failing step sits near the end; jumping to it reveals and highlights it.
    await page.locator('.tree-viewport').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.getByRole('button', { name: /Go to failing step/ }).click();
    await page.locator(`.tree-row.failing[data-step-id="${big.failingStepId}"]`).waitFor();
    // metadata-only keeps the error's type and code, not its message
    await page.locator('.step-panel .step-error').getByText('schema_invalid').waitFor();
    await shot(page, 'large-run.png');

    results.large_run = {
      steps: 5000,
      cold_load_to_rows_ms: Math.round(cold),
      click_to_rows_ms: Math.round(warm),
      of_which_api_ms: api === null ? null : Math.round(api),
      dom_rows: domRows,
      scroll_frames: scroll.frames.length,
      scroll_frame_avg_ms: Number(avg.toFixed(1)),
      scroll_frame_median_ms: Number(median.toFixed(1)),
      scroll_frame_p95_ms: Number(p95.toFixed(1)),
      scroll_frame_max_ms: Number(max.toFixed(1)),
    };
    console.log(`5,000-step run: ${JSON.stringify(results.large_run)}`);
    assert.ok(cold < 10_000, `cold load to rows took ${cold} ms`);
    assert.ok(warm < 5_000, `click to rows took ${warm} ms`);
    // Frame times swing with whatever else the machine runs; a non-virtualised tree fails this by far.
    assert.ok(median < 100, `scroll frames: median ${median} ms, p95 ${p95} ms`);
  });

  it('renders hostile trace content as text: no script, no request', T, async () => {
    await server.api('POST', '/v1/projects', { project_id: 'e2e-full', name: 'E2E full content', content_policy: 'full' });
    const key = await server.api('POST', '/v1/projects/e2e-full/api-keys', { scopes: ['ingest', 'read'], name: 'e2e' });
    const hostile = hostileRun();
    const accepted = await server.api('POST', '/v1/ingest', hostile.body, key.secret);
    assert.deepEqual(accepted.errors, []);
    const stored = await server.api('GET', `/v1/runs/${hostile.runId}/steps/${hostile.stepId}`, undefined, key.secret);
    assert.equal(stored.metadata.note, XSS, 'the full-content project kept the hostile metadata');

    const requestsBefore = seen.requests.length;
    await page.goto(`${server.url}/runs?project=e2e-full`);
    await page.locator(`.runs-table tr[data-run-id="${hostile.runId}"]`).waitFor();
    await page.locator(`.runs-table tr[data-run-id="${hostile.runId}"] .run-name a`).click();
    await page.locator('.tree-row').first().click();
    const panel = page.locator('.step-panel');
    await panel.locator('.metadata dd').first().waitFor();
    assert.equal(await panel.locator('.metadata dd').first().innerText(), XSS);
    assert.match(await page.locator('.run-title h1').innerText(), /<img src=x onerror=alert\(1\)>/);
    assert.match(await panel.innerText(), /<script>alert\(1\)<\/script>/);
    await page.waitForTimeout(500);
    assert.equal(await page.locator('img').count(), 0, 'no <img> element anywhere');
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script element');
    assert.deepEqual(seen.dialogs, [], 'no dialog opened');
    const stray = seen.requests.slice(requestsBefore).filter((u) => {
      const url = new URL(u);
      return url.origin !== server.url || /\/x$/.test(url.pathname) || url.pathname.endsWith('.png');
    });
    assert.deepEqual(stray, [], 'no request made for the hostile content');
    await shot(page, 'hostile-content.png');
  });

  it('shows how to get started in a project without runs', T, async () => {
    await server.api('POST', '/v1/projects', { project_id: 'e2e-empty', name: 'Empty' });
    await page.goto(`${server.url}/runs?project=e2e-empty`);
    await page.getByText('No runs in project “e2e-empty” yet').waitFor();
    const text = await page.locator('.getting-started').innerText();
    for (const s of ['Sextant.builder()', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'LANGSMITH_ENDPOINT', 'LANGFUSE_SECRET_KEY', './sextant demo']) assert.ok(text.includes(s), s);
    await shot(page, 'getting-started.png', { fullPage: true });
  });

  it('has a dark mode', T, async () => {
    await page.goto(`${server.url}/runs?project=default&agent=support-agent&status=failure`);
    await page.locator('.runs-table tbody tr').first().waitFor();
    const toggle = page.getByRole('button', { name: /^Theme/ });
    while ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark') await toggle.click();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(17, 20, 24)');
    await page.locator('.runs-table tbody tr').first().locator('.run-name a').click();
    await page.locator('.tree-row').first().waitFor();
    await page.locator('.tree-row').nth(2).click();
    await page.locator('.step-panel').getByRole('heading', { name: 'Metadata' }).waitFor();
    await shot(page, 'run-dark.png');
    await page.evaluate(() => window.localStorage.removeItem('sextant.theme'));
  });

  it('signs out', T, async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    const status = await page.evaluate(() => fetch('/v1/auth/me').then((r) => r.status));
    assert.equal(status, 401);
  });

  it('kept to the Content-Security-Policy and raised no page errors', T, async () => {
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(seen.dialogs, []);
  });
});
