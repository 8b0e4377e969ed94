// Runs the tests ingest themselves through POST /v1/ingest.
import { randomUUID } from 'node:crypto';

const iso = (ms) => new Date(ms).toISOString();

/**
 * One run with `total` steps: a root agent step, iterations of chain steps and their children
 * (llm, tool, retrieval), a retried tool call in every iteration, and a failing tool step near the
 * end that the run's failure points to.
 */
export function largeRun(total = 5000, { name = 'large_run_5000' } = {}) {
  const runId = randomUUID();
  const start = Date.now() - 120_000;
  const steps = [];
  let seq = 0;
  let t = start;
  const add = (fields) => {
    seq += 1;
    const duration = fields.duration ?? 8;
    const s = {
      run_id: runId,
      step_id: `${runId.slice(0, 8)}-s${seq}`,
      seq,
      start_time: iso(t),
      end_time: iso(t + duration),
      status: 'ok',
      ...fields,
    };
    delete s.duration;
    steps.push(s);
    return s;
  };
  const root = add({ type: 'agent', name: 'long_research_session', duration: 0 });
  const perIteration = 100;
  const iterations = Math.ceil((total - 1) / perIteration);
  let failing = null;
  for (let i = 0; i < iterations && steps.length < total; i++) {
    const it = add({ type: 'chain', name: `iteration_${i + 1}`, parent_step_id: root.step_id, duration: 0 });
    const itStart = t;
    for (let c = 0; c < perIteration - 1 && steps.length < total; c++) {
      t += 10;
      const kind = ['llm', 'tool', 'retrieval'][c % 3];
      const fields = { type: kind, name: kind === 'llm' ? `think_${c}` : kind === 'tool' ? `call_tool_${c}` : `search_${c}`, parent_step_id: it.step_id };
      if (kind === 'llm') Object.assign(fields, { model: 'gpt-4o-mini', input_tokens: 200 + c, output_tokens: 40, cost_usd: 0.00005 });
      if (c === 4) {
        // a retried call: attempt 1 times out, attempt 2 succeeds
        const first = add({ ...fields, name: 'flaky_api', type: 'tool', status: 'timeout', attempt: 1, error: { type: 'tool', code: 'timeout' } });
        t += 10;
        if (steps.length < total) add({ ...fields, name: 'flaky_api', type: 'tool', attempt: 2, retry_of: first.step_id });
        continue;
      }
      add(fields);
    }
    it.end_time = iso(t + 8);
    it.start_time = iso(itStart);
    t += 20;
  }
  root.end_time = iso(t + 10);
  // The failure sits deep in the tree, near the end: a plain tool call a few steps before the last.
  for (let k = steps.length - 5; k > 0 && !failing; k--) {
    const s = steps[k];
    if (s.type === 'tool' && !s.attempt) {
      s.status = 'error';
      s.error = { type: 'tool', code: 'schema_invalid', message: 'response missing field total' };
      failing = s;
    }
  }
  const failure = failing ? { type: 'tool', code: 'schema_invalid', message: 'response missing field total', step_id: failing.step_id } : undefined;
  const run = {
    run_id: runId,
    agent_id: 'e2e-agent',
    agent_version: 'v1.0.0',
    environment: 'test',
    name,
    start_time: iso(start),
    end_time: iso(t + 10),
    status: failing ? 'failure' : 'success',
    ...(failure ? { failure } : {}),
  };
  return { run, steps, runId, failingStepId: failing?.step_id ?? null, lastStepId: steps[steps.length - 1].step_id };
}

export const XSS = '<img src=x onerror=alert(1)>';

/** A run whose every free-text field carries markup that would run script if rendered as HTML. */
export function hostileRun() {
  const runId = randomUUID();
  const now = Date.now() - 5_000;
  const stepId = `${runId.slice(0, 8)}-xss`;
  return {
    runId,
    stepId,
    body: {
      runs: [
        {
          run_id: runId,
          agent_id: 'xss-agent',
          agent_version: 'v1',
          environment: 'test',
          name: `hostile ${XSS}`,
          start_time: iso(now),
          end_time: iso(now + 1200),
          status: 'failure',
          labels: { note: 'x' },
          failure: { type: 'tool', code: 'internal', message: XSS, step_id: stepId },
          metadata: { note: XSS },
        },
      ],
      steps: [
        {
          run_id: runId,
          step_id: stepId,
          seq: 1,
          type: 'tool',
          name: `render ${XSS}`,
          start_time: iso(now),
          end_time: iso(now + 1000),
          status: 'error',
          error: { type: 'tool', code: 'internal', message: XSS },
          metadata: { note: XSS, link: '[click](javascript:alert(1)) ![img](http://127.0.0.1:9/x.png)' },
          input: { prompt: XSS },
          output: { text: `<script>alert(1)</script>${XSS}` },
          events: [{ name: 'chunk', time: iso(now + 10), attributes: { text: XSS } }],
        },
      ],
    },
  };
}

/** A finished successful run, for live mode. */
export function simpleRun(name) {
  const runId = randomUUID();
  const now = Date.now() - 1_000;
  return {
    runId,
    body: {
      runs: [{ run_id: runId, agent_id: 'support-agent', agent_version: 'v1.1.0', environment: 'production', name, start_time: iso(now), end_time: iso(now + 800), status: 'success' }],
      steps: [{ run_id: runId, step_id: `${runId.slice(0, 8)}-1`, seq: 1, type: 'llm', name: 'answer', start_time: iso(now), end_time: iso(now + 800), status: 'ok' }],
    },
  };
}
