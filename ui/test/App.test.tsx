import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { ME, detail, mockFetch, run, step } from './fixtures';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.localStorage.clear();
});

function go(path: string) {
  window.history.replaceState(null, '', path);
}

const agents = { agents: [{ agent_id: 'support-agent', versions: ['v1.0.0', 'v1.1.0'], environments: ['production'], run_count: 2, last_seen: null }] };

describe('login', () => {
  it('asks for the password, signs in with a session, then shows the runs of the default project', async () => {
    let signedIn = false;
    const calls = mockFetch({
      '/v1/auth/me': () => (signedIn ? { body: ME } : { status: 401, body: { error: 'unauthorized', message: 'sign in' } }),
      'POST /v1/auth/login': (_u, init) => {
        const body = JSON.parse(String(init!.body));
        if (body.password !== 'secret') return { status: 401, body: { error: 'unauthorized', message: 'wrong password' } };
        signedIn = true;
        return { body: ME };
      },
      '/v1/agents': () => ({ body: agents }),
      '/v1/runs': () => ({ body: { runs: [run('r1', { name: 'handle_ticket' })], next_cursor: null } }),
    });
    go('/');
    render(<App />);
    const password = await screen.findByLabelText('Password');
    fireEvent.change(password, { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong user name or password.')).toBeTruthy();
    fireEvent.change(password, { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('link', { name: 'handle_ticket' })).toBeTruthy();
    const login = calls.filter((c) => c.method === 'POST').at(-1)!;
    expect(login.body).toEqual({ username: 'admin', password: 'secret' });
    const runs = calls.find((c) => c.url.pathname === '/v1/runs')!;
    expect(runs.url.searchParams.get('project')).toBe('default');
  });

  it('signs out', async () => {
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      'POST /v1/auth/logout': () => ({ status: 204 }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/runs': () => ({ body: { runs: [run('r1')], next_cursor: null } }),
    });
    go('/runs');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Password')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/v1/auth/logout')).toBe(true);
  });
});

describe('runs page', () => {
  function setup(runs = [run('r1', { status: 'failure', failure: { type: 'tool', code: 'timeout', step_id: 's' } })], next: string | null = 'c2') {
    return mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/runs': (url) => ({ body: { runs: url.searchParams.get('cursor') ? [run('r-page2')] : runs, next_cursor: url.searchParams.get('cursor') ? null : next } }),
    });
  }
  const lastRuns = (calls: ReturnType<typeof setup>) => calls.filter((c) => c.url.pathname === '/v1/runs').at(-1)!.url.searchParams;

  it('puts every filter in the URL and in the API call', async () => {
    const calls = setup();
    go('/runs?project=dev');
    render(<App />);
    await screen.findByText('tool');
    // the agents come in their own call: a select without the option keeps its value
    await screen.findByRole('option', { name: 'support-agent' });
    fireEvent.change(screen.getByLabelText('failure_type'), { target: { value: 'tool' } });
    fireEvent.change(screen.getByLabelText('status'), { target: { value: 'failure' } });
    fireEvent.change(screen.getByLabelText('agent'), { target: { value: 'support-agent' } });
    fireEvent.change(screen.getByLabelText('sort'), { target: { value: 'duration' } });
    const q = screen.getByPlaceholderText('run or step name');
    fireEvent.change(q, { target: { value: 'billing' } });
    fireEvent.blur(q);
    const label = screen.getByLabelText('Add label filter');
    fireEvent.change(label, { target: { value: 'team:billing' } });
    fireEvent.keyDown(label, { key: 'Enter' });
    fireEvent.change(label, { target: { value: 'region:eu' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.change(screen.getByLabelText('Time range'), { target: { value: '24h' } });
    await waitFor(() => expect(lastRuns(calls).get('range') ?? lastRuns(calls).get('from')).toBeTruthy());

    const url = new URL(window.location.href);
    expect(url.searchParams.get('failure_type')).toBe('tool');
    expect(url.searchParams.get('status')).toBe('failure');
    expect(url.searchParams.get('sort')).toBe('duration');
    expect(url.searchParams.get('q')).toBe('billing');
    expect(url.searchParams.getAll('label')).toEqual(['team:billing', 'region:eu']);
    expect(url.searchParams.get('range')).toBe('24h');

    const api = lastRuns(calls);
    expect(api.get('project')).toBe('dev');
    expect(api.get('failure_type')).toBe('tool');
    expect(api.get('agent')).toBe('support-agent');
    expect(api.get('sort')).toBe('duration');
    expect(api.get('q')).toBe('billing');
    expect(api.getAll('label')).toEqual(['team:billing', 'region:eu']);
    const from = Date.parse(api.get('from')!);
    expect(Math.abs(Date.now() - 24 * 3600_000 - from)).toBeLessThan(60_000);

    for (const [name, format] of [['Download JSONL', 'jsonl'], ['Download CSV', 'csv']]) {
      const link = new URL(screen.getByRole('link', { name }).getAttribute('href')!, window.location.origin);
      expect(link.pathname).toBe('/v1/export');
      expect(link.searchParams.get('format')).toBe(format);
      expect(link.searchParams.get('project')).toBe('dev');
      expect(link.searchParams.get('failure_type')).toBe('tool');
      expect(link.searchParams.getAll('label')).toEqual(['team:billing', 'region:eu']);
      expect(Math.abs(Date.parse(link.searchParams.get('from')!) - from)).toBeLessThan(60_000);
      expect(link.searchParams.has('limit') || link.searchParams.has('cursor')).toBe(false);
    }
  });

  it('rejects a malformed label with a message', async () => {
    setup();
    go('/runs');
    render(<App />);
    const label = await screen.findByLabelText('Add label filter');
    fireEvent.change(label, { target: { value: 'Team=billing' } });
    fireEvent.keyDown(label, { key: 'Enter' });
    expect(screen.getByText(/Write a label as key:value/)).toBeTruthy();
  });

  it('pages with the cursor and back', async () => {
    const calls = setup();
    go('/runs');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Next →' }));
    await screen.findByText((_, el) => el?.getAttribute('data-run-id') === 'r-page2');
    expect(lastRuns(calls).get('cursor')).toBe('c2');
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await waitFor(() => expect(document.querySelector('[data-run-id="r1"]')).not.toBeNull());
  });

  it('shows how to send the first run when the project is empty', async () => {
    setup([], null);
    go('/runs');
    render(<App />);
    expect(await screen.findByText(/No runs in project/)).toBeTruthy();
    const text = document.body.textContent!;
    for (const s of ['Sextant.builder()', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'LANGSMITH_ENDPOINT', 'LANGFUSE_PUBLIC_KEY', './sextant demo']) expect(text).toContain(s);
  });

  it('in live mode polls and marks runs that arrived', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let list = [run('old')];
    mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/agents': () => ({ body: agents }),
      '/v1/runs': () => ({ body: { runs: list, next_cursor: null } }),
    });
    go('/runs?live=1');
    render(<App />);
    await screen.findByText((_, el) => el?.getAttribute('data-run-id') === 'old');
    list = [run('new'), run('old')];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3100);
    });
    await waitFor(() => expect(document.querySelector('[data-run-id="new"]')?.classList.contains('fresh')).toBe(true));
    expect(document.querySelector('[data-run-id="old"]')!.classList.contains('fresh')).toBe(false);
  });
});

describe('run detail', () => {
  it('loads the skeleton, links the failure to its step and loads step details only on demand', async () => {
    const steps = [step('root', 1, { type: 'agent' }), step('bad', 2, { parent_step_id: 'root', status: 'timeout', name: 'billing_api' })];
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/runs/{id}': () => ({
        body: { run: run('r1', { status: 'failure' }), failure: { type: 'tool', code: 'timeout', message: 'billing_api timed out', step_id: 'bad' }, steps },
      }),
      '/v1/runs/{id}/steps/{sid}': (url) => ({ body: detail(steps.find((s) => url.pathname.endsWith(s.step_id))!, { metadata: { http_status: 504 } }) }),
    });
    go('/runs/r1');
    render(<App />);
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('billing_api timed out');
    expect(screen.getByRole('link', { name: 'Download run' }).getAttribute('href')).toBe('/v1/export?run_id=r1&format=jsonl&project=default');
    expect(document.querySelector('[data-key="bad"]')!.classList.contains('failing')).toBe(true);
    expect(calls.some((c) => c.url.pathname.includes('/steps/'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: /Go to failing step/ }));
    expect(await screen.findByText('http_status')).toBeTruthy();
    expect(new URL(window.location.href).searchParams.get('step')).toBe('bad');
    expect(calls.filter((c) => c.url.pathname.includes('/steps/')).map((c) => c.url.pathname)).toEqual(['/v1/runs/r1/steps/bad']);
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(document.querySelector('.step-panel')).toBeNull());
  });

  it('shows the run\'s scores, each linking to the runs with that score', async () => {
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/runs/{id}': () => ({ body: { run: run('r1'), failure: null, steps: [step('root', 1)] } }),
      '/v1/scores': () => ({
        body: {
          scores: [
            { score_id: 's1', run_id: 'r1', step_id: null, name: 'quality', value: 0.75, string_value: null, comment: null, source: 'api', metadata: {}, created_at: '2026-11-22T10:00:00Z' },
            { score_id: 's2', run_id: 'r1', step_id: 'root', name: 'verdict', value: null, string_value: 'correct', comment: 'ok', source: 'human', metadata: {}, created_at: '2026-11-22T10:00:00Z' },
          ],
          next_offset: null,
        },
      }),
    });
    go('/runs/r1');
    render(<App />);
    const quality = (await screen.findByText('quality: 0.75')).closest('a')!;
    expect(quality.getAttribute('href')).toBe('/runs?project=default&score=quality');
    expect(screen.getByText('verdict: correct').closest('a')!.getAttribute('title')).toContain('step root');
    expect(calls.find((c) => c.url.pathname === '/v1/scores')!.url.searchParams.get('run_id')).toBe('r1');
  });

  it('says so when the run does not exist', async () => {
    mockFetch({
      '/v1/auth/me': () => ({ body: ME }),
      '/v1/runs/{id}': () => ({ status: 404, body: { error: 'not_found', message: 'no run nope in project default' } }),
    });
    go('/runs/nope');
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('no run nope in project default');
  });
});
