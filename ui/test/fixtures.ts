import { vi } from 'vitest';
import type { Me, RunSummary, StepDetail, StepSummary } from '../src/types';

export const ME: Me = {
  username: 'admin',
  projects: [
    { project_id: 'default', name: 'default', content_policy: 'metadata-only' },
    { project_id: 'dev', name: 'Development', content_policy: 'full' },
  ],
};

export function step(id: string, seq: number, extra: Partial<StepSummary> = {}): StepSummary {
  const start = Date.parse('2026-11-22T10:00:00Z') + seq * 100;
  return {
    step_id: id,
    parent_step_id: null,
    seq,
    type: 'tool',
    name: id,
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + 50).toISOString(),
    duration_ms: 50,
    status: 'ok',
    attempt: 1,
    retry_of: null,
    model: null,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    error: null,
    ...extra,
  };
}

export function detail(s: StepSummary, extra: Partial<StepDetail> = {}): StepDetail {
  return { ...s, provider: null, time_to_first_token_ms: null, metadata: {}, events: [], normalization: {}, ...extra };
}

export function run(id: string, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    run_id: id,
    agent_id: 'support-agent',
    agent_version: 'v1.0.0',
    environment: 'production',
    name: 'handle_ticket',
    session_id: null,
    labels: {},
    status: 'success',
    start_time: '2026-11-22T10:00:00Z',
    end_time: '2026-11-22T10:00:02.5Z',
    duration_ms: 2500,
    step_count: 7,
    error_count: 0,
    retry_count: 0,
    input_tokens: 512,
    output_tokens: 128,
    cost_usd: 0.0031,
    failure: null,
    ...extra,
  };
}

type Handler = (url: URL, init: RequestInit | undefined) => { status?: number; body?: unknown } | undefined;

/** Replaces fetch with a router over path names; records every call. */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: { method: string; url: URL; body: unknown }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const key = Object.keys(routes).find((k) => {
      const [m, p] = k.includes(' ') ? k.split(' ') : ['GET', k];
      if (m !== method) return false;
      const re = new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$');
      return re.test(url.pathname);
    });
    const answer = key ? routes[key](url, init) : { status: 404, body: { error: 'not_found', message: `no route ${method} ${url.pathname}` } };
    const status = answer?.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer?.body ?? {}), { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}
