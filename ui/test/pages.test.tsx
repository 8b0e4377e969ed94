import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { CompareSide, SignificanceVerdict, Stats } from '../src/types';
import { ME, mockFetch } from './fixtures';

afterEach(() => vi.unstubAllGlobals());

const agents = {
  agents: [
    { agent_id: 'billing-agent', versions: ['v0.9.0'], environments: ['production'], run_count: 5, last_seen: null },
    { agent_id: 'support-agent', versions: ['v1.0.0', 'v1.1.0'], environments: ['production', 'staging'], run_count: 20, last_seen: null },
  ],
};

function stats(total: number, failures: number, p95: number, cost: number): Stats {
  return {
    runs: { total, success: total - failures, failure: failures, partial: 0, running: 0 },
    error_rate: failures / total,
    latency_ms: { avg: p95 / 2, p50: p95 / 3, p95, p99: p95 * 1.5 },
    by_step_type: [{ type: 'llm', count: total * 2, error_count: failures, avg_ms: p95 / 4, p50_ms: p95 / 5, p95_ms: p95 / 2, p99_ms: p95 }],
    failures: failures ? [{ type: 'tool', code: 'timeout', count: failures }] : [],
    retries: failures * 2,
    tokens: { input: total * 1000, output: total * 200 },
    cost_usd: cost,
    by_model: [{ model: 'gpt-4o', steps: total + 7, input_tokens: total * 1000 + 7, output_tokens: total * 200 + 7, cost_usd: cost }],
  };
}

describe('dashboard', () => {
  it('shows totals, percentiles, charts and breakdowns, filtered by agent', async () => {
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/stats': () => ({ body: stats(1000, 60, 2100, 12.34) }),
      '/v1/timeseries': () => ({
        body: {
          bucket_ms: 3600_000,
          points: [0, 1, 2].map((i) => ({
            start_time: new Date(Date.parse('2026-11-22T00:00:00Z') + i * 3600_000).toISOString(),
            runs: { total: 10, success: 8, failure: 2, partial: 0, running: 0 },
            error_rate: 0.2,
            latency_ms: { p50: 700, p95: 2100, p99: 4000 },
            retries: 1,
            tokens: { input: 100, output: 20 },
            cost_usd: 0.1,
          })),
        },
      }),
    });
    window.history.replaceState(null, '', '/dashboard');
    render(<App />);
    expect(await screen.findByText('1,000')).toBeTruthy();
    const text = () => document.body.textContent!;
    expect(text()).toContain('6%');
    expect(text()).toContain('2.1 s');
    expect(text()).toContain('$12.34');
    for (const title of ['Runs over time by status', 'Error rate', 'Run latency', 'Retries', 'Tokens', 'Cost']) expect(screen.getByRole('img', { name: title })).toBeTruthy();
    expect(document.querySelectorAll('svg[aria-label="Runs over time by status"] rect.series-success')).toHaveLength(3);
    expect(screen.getByRole('link', { name: 'tool/timeout' }).getAttribute('href')).toContain('failure_type=tool');
    const costs = screen.getByRole('region', { name: 'Cost by model' });
    expect(costs.textContent).toContain('gpt-4o');
    expect(screen.getByRole('link', { name: 'Most expensive runs' }).getAttribute('href')).toContain('sort=cost');
    fireEvent.change(screen.getByLabelText('agent'), { target: { value: 'support-agent' } });
    await waitFor(() => expect(calls.filter((c) => c.url.pathname === '/v1/timeseries').at(-1)!.url.searchParams.get('agent')).toBe('support-agent'));
    expect(calls.filter((c) => c.url.pathname === '/v1/stats').at(-1)!.url.searchParams.get('agent')).toBe('support-agent');
  });
});

// One side of /v1/compare as the server sends it: the /v1/stats body plus version and per_run.
function side(version: string | null, s: Stats): CompareSide {
  const n = s.runs.total;
  return {
    ...s,
    version: version ?? '',
    per_run: { retries: s.retries / n, input_tokens: s.tokens.input / n, output_tokens: s.tokens.output / n, cost_usd: s.cost_usd / n },
  };
}

describe('compare', () => {
  it('picks an agent with two versions and marks B better or worse than A', async () => {
    const A = stats(100, 10, 2000, 1.0);
    const B = stats(120, 24, 1000, 1.2);
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/compare': (url) => ({
        body: {
          agent: url.searchParams.get('agent'),
          a: side(url.searchParams.get('a'), A),
          b: side(url.searchParams.get('b'), B),
          by_step_type: [{ type: 'llm', a: A.by_step_type[0], b: B.by_step_type[0] }],
          failures: [{ type: 'tool', code: 'timeout', a: 10, b: 24 }],
        },
      }),
    });
    window.history.replaceState(null, '', '/compare');
    render(<App />);
    await screen.findByText('Latency per step type');
    const call = calls.find((c) => c.url.pathname === '/v1/compare')!.url.searchParams;
    expect([call.get('agent'), call.get('a'), call.get('b')]).toEqual(['support-agent', 'v1.0.0', 'v1.1.0']);
    const row = (label: string) => screen.getByText(label, { selector: 'td' }).closest('tr')!;
    const cells = (label: string) => [...row(label).querySelectorAll('td.num')].map((td) => td.textContent);
    expect(cells('Runs')).toEqual(['100', '120']);
    expect(cells('Error rate')).toEqual(['10%', '20%']);
    expect(cells('Latency p95')).toEqual(['2 s', '1 s']);
    expect(cells('Tokens per run')).toEqual(['1,200', '1,200']);
    expect(row('Error rate').querySelector('.mark')!.className).toContain('worse');
    expect(row('Latency p95').querySelector('.mark')!.className).toContain('better');
    expect(row('Cost per run').querySelector('.mark')!.className).toContain('same');
    expect(row('tool/timeout').querySelector('.mark')!.className).toContain('worse');
    expect(cells('tool/timeout')).toEqual(['10', '10%', '24', '20%']);
    fireEvent.click(screen.getByRole('button', { name: 'Swap versions' }));
    await waitFor(() => expect(calls.filter((c) => c.url.pathname === '/v1/compare').at(-1)!.url.searchParams.get('a')).toBe('v1.1.0'));
  });

  it('colours only the differences the server found significant, with p-value and interval', async () => {
    // 45 vs 63 failures in 500 runs each: 40 % more, yet within chance.
    const A = stats(500, 45, 2000, 1.0);
    const B = stats(500, 63, 1800, 1.0);
    const test = (a: number, b: number, p: number | null, verdict: SignificanceVerdict, ci: [number, number] | null = null) => ({
      a, b, diff: b - a, ci_low: ci?.[0] ?? null, ci_high: ci?.[1] ?? null, p_value: p, verdict, method: 'two_proportion_z_test',
    });
    mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/compare': (url) => ({
        body: {
          agent: url.searchParams.get('agent'),
          a: side(url.searchParams.get('a'), A),
          b: side(url.searchParams.get('b'), B),
          by_step_type: [{ type: 'llm', a: A.by_step_type[0], b: B.by_step_type[0] }],
          failures: [
            { type: 'tool', code: 'timeout', a: 45, b: 63 },
            { type: 'model', code: null, a: 0, b: 40 },
          ],
          significance: {
            alpha: 0.05,
            min_runs: 30,
            error_rate: test(0.09, 0.126, 0.0651, 'no_difference', [-0.0021, 0.0741]),
            failures: [
              { type: 'tool', code: 'timeout', ...test(0.09, 0.126, 0.0651, 'no_difference', [-0.0021, 0.0741]) },
              { type: 'model', code: null, ...test(0, 0.08, 0.00002, 'worse', [0.0562, 0.1038]) },
            ],
            latency_p50_ms: {
              a: 667, b: 900, diff: 233, ci_low: 120, ci_high: 346, p_value: 0.0001, verdict: 'worse', method: 'quantile_difference_z_test',
              a_ci_low: 600, a_ci_high: 720, b_ci_low: 820, b_ci_high: 990, a_runs: 100, b_runs: 100, min_runs: 30, tolerance: 0.01,
            },
            latency_p95_ms: {
              a: 2000, b: 1800, diff: -200, ci_low: null, ci_high: null, p_value: null, verdict: 'not_enough_data', method: 'quantile_difference_z_test',
              a_ci_low: 1500, a_ci_high: 2600, b_ci_low: 1400, b_ci_high: 2500, a_runs: 100, b_runs: 99, min_runs: 100, tolerance: 0.01,
              a_p50: 667, b_p50: 900,
            },
            cost_per_run_usd: { a: 0.002, b: 0.002, verdict: 'not_enough_data', method: 'none', reason: 'only the total cost of each version is stored' },
          },
        },
      }),
    });
    window.history.replaceState(null, '', '/compare');
    render(<App />);
    await screen.findByText('Latency per step type');
    const row = (label: string) => screen.getByText(label, { selector: 'td' }).closest('tr')!;
    const mark = (label: string) => row(label).querySelector('.mark')!;
    expect(mark('Error rate').className).not.toMatch(/better|worse/);
    expect(mark('Error rate').getAttribute('data-verdict')).toBe('no_difference');
    expect(row('Error rate').textContent).toContain('no significant difference');
    expect(row('Error rate').textContent).toContain('p = 0.07 · 95% CI -0.2 to +7.4 pts');
    expect(mark('Latency p95').className).not.toMatch(/better|worse/);
    expect(mark('Latency p95').getAttribute('title')).toContain('Fewer than 100 timed runs');
    expect(row('Cost per run').textContent).toContain('not enough data');
    expect(mark('Latency p50').className).toContain('worse');
    expect(row('Latency p50').textContent).toContain('p < 0.001 · 95% CI +120 ms to +346 ms');
    expect(mark('Latency p99').className).toContain('untested');
    expect(mark('tool/timeout').className).not.toMatch(/better|worse/);
    expect(mark('model').className).toContain('worse');
    expect(row('model').textContent).toContain('p < 0.001');
    const llm = screen.getByText('llm', { selector: '.type-badge' }).closest('tr')!;
    expect(llm.querySelectorAll('.mark.better, .mark.worse')).toHaveLength(0);
  });

  it('derives per-run figures from the stats when per_run is absent', async () => {
    const A = stats(100, 10, 2000, 1.0);
    const B = stats(50, 5, 2000, 2.0);
    mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/compare': (url) => ({
        body: {
          agent: url.searchParams.get('agent'),
          a: { ...A, version: url.searchParams.get('a') },
          b: { ...B, version: url.searchParams.get('b') },
          by_step_type: [],
          failures: [],
        },
      }),
    });
    window.history.replaceState(null, '', '/compare');
    render(<App />);
    await screen.findByText('Latency per step type');
    const row = (label: string) => screen.getByText(label, { selector: 'td' }).closest('tr')!;
    const cells = (label: string) => [...row(label).querySelectorAll('td.num')].map((td) => td.textContent);
    expect(cells('Runs')).toEqual(['100', '50']);
    expect(cells('Retries per run')).toEqual(['0.20', '0.20']);
    expect(row('Cost per run').querySelector('.mark')!.className).toContain('worse');
    expect(screen.getByText('Neither version failed in this range.')).toBeTruthy();
  });
});

describe('shell', () => {
  it('switches project, theme and shows keyboard help', async () => {
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/runs': () => ({ body: { runs: [], next_cursor: null } }),
    });
    window.history.replaceState(null, '', '/runs');
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Project'), { target: { value: 'dev' } });
    await waitFor(() => expect(calls.filter((c) => c.url.pathname === '/v1/runs').at(-1)!.url.searchParams.get('project')).toBe('dev'));
    expect(new URL(window.location.href).searchParams.get('project')).toBe('dev');

    const toggle = screen.getByRole('button', { name: /Theme/ });
    fireEvent.click(toggle); // system → light
    fireEvent.click(toggle); // light → dark
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem('sextant.theme')).toBe('dark');

    fireEvent.keyDown(window, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
  });
});
