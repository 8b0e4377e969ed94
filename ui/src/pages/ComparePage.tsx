import { useEffect } from 'react';
import { ErrorBox, Field, SkeletonRows } from '../components/common';
import { cssToken } from '../components/StepTree';
import { TimeRangePicker, rangeFromSearch } from '../components/TimeRangePicker';
import { change, formatInterval, formatP, verdict, type Verdict } from '../compare';
import { useApp } from '../context';
import { formatCost, formatCount, formatDuration, formatPercent } from '../format';
import { useAsync } from '../hooks';
import { Link, href, navigate, useLocation, currentWithParams } from '../router';
import { resolveRange } from '../timerange';
import type { Compare, CompareSide, LatencyTest, ProportionTest, SignificanceVerdict, Stats, StepTypeStats } from '../types';

export function ComparePage() {
  const { api, project } = useApp();
  const { search } = useLocation();
  const set = (changes: Record<string, string | null>, replace = false) => navigate(currentWithParams(changes), { replace });
  const agents = useAsync((signal) => api.agents(signal), `agents:${project.project_id}`);
  const list = agents.data?.agents ?? [];
  const agentId = search.get('agent') ?? '';
  const agent = list.find((x) => x.agent_id === agentId);
  const a = search.get('a') ?? '';
  const b = search.get('b') ?? '';

  // Start from something useful: the first agent with two versions, its two last versions.
  useEffect(() => {
    if (!agents.data || list.length === 0) return;
    const pick = list.find((x) => x.agent_id === agentId) ?? list.find((x) => x.versions.length >= 2) ?? list[0];
    const vs = pick.versions;
    const nextA = a && vs.includes(a) ? a : vs.length >= 2 ? vs[vs.length - 2] : (vs[0] ?? '');
    const nextB = b && vs.includes(b) ? b : (vs[vs.length - 1] ?? '');
    if (pick.agent_id !== agentId || nextA !== a || nextB !== b) set({ agent: pick.agent_id, a: nextA || null, b: nextB || null }, true);
  }, [agents.data, agentId, a, b]); // `set` is rebuilt each render from the same URL

  const ready = Boolean(agent && a && b);
  const range = () => resolveRange(search);
  const compare = useAsync<Compare>(
    (signal) => {
      const r = range();
      return api.compare({ agent: agentId, a, b, environment: search.get('environment'), from: r.from, to: r.to }, signal);
    },
    `${project.project_id}|${search.toString()}`,
    ready,
  );

  const versionSelect = (name: 'a' | 'b', value: string) => (
    <select aria-label={`version ${name.toUpperCase()}`} value={value} onChange={(e) => set({ [name]: e.target.value || null })}>
      {(agent?.versions ?? []).map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );

  return (
    <div className="page compare-page">
      <div className="page-head">
        <h1>Compare versions</h1>
      </div>
      <div className="filters" role="group" aria-label="Comparison">
        <Field label="Agent">
          <select aria-label="agent" value={agentId} onChange={(e) => set({ agent: e.target.value || null, a: null, b: null })}>
            {list.map((x) => (
              <option key={x.agent_id} value={x.agent_id}>
                {x.agent_id}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Version A (baseline)">{versionSelect('a', a)}</Field>
        <button type="button" className="swap" onClick={() => set({ a: b, b: a })} aria-label="Swap versions" title="Swap A and B">
          ⇄
        </button>
        <Field label="Version B">{versionSelect('b', b)}</Field>
        <Field label="Environment">
          <select aria-label="environment" value={search.get('environment') ?? ''} onChange={(e) => set({ environment: e.target.value || null })}>
            <option value="">All environments</option>
            {(agent?.environments ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <TimeRangePicker value={rangeFromSearch(search)} onChange={(r) => set({ range: r.range, from: r.from, to: r.to })} />
      </div>
      {agents.error ? <ErrorBox error={agents.error} retry={agents.reload} /> : null}
      {agents.data && list.length === 0 ? <p className="empty-state">No agents have sent runs to this project yet.</p> : null}
      {agent && agent.versions.length < 2 ? (
        <p className="empty-state">
          Agent <strong>{agent.agent_id}</strong> has only one version so far ({agent.versions[0] ?? 'none'}). Send runs with another <code>agent_version</code> to compare.
        </p>
      ) : null}
      {compare.error ? <ErrorBox error={compare.error} retry={compare.reload} /> : null}
      {ready && !compare.data && compare.loading ? <SkeletonRows rows={8} /> : null}
      {compare.data ? <CompareView data={compare.data} project={project.project_id} environment={search.get('environment')} /> : null}
    </div>
  );
}

function perRun(total: number, stats: Stats): number | null {
  return stats.runs.total > 0 ? total / stats.runs.total : null;
}

// The server's per-run figures when it sends them, else derived from the totals.
function retriesPerRun(side: CompareSide): number | null {
  return side.per_run?.retries ?? perRun(side.retries, side);
}

function tokensPerRun(side: CompareSide): number | null {
  const p = side.per_run;
  if (p && p.input_tokens !== null && p.output_tokens !== null) return p.input_tokens + p.output_tokens;
  return perRun(side.tokens.input + side.tokens.output, side);
}

function costPerRun(side: CompareSide): number | null {
  return side.per_run?.cost_usd ?? perRun(side.cost_usd, side);
}

function Mark({ v, delta }: { v: Verdict; delta: number | null }) {
  if (v === 'n/a') return <span className="mark na">–</span>;
  const text = delta === null || Math.abs(delta) < 0.005 ? '' : `${delta > 0 ? '+' : ''}${formatPercent(delta, 0)}`;
  const label = v === 'better' ? 'better' : v === 'worse' ? 'worse' : 'same';
  const icon = v === 'better' ? '▼' : v === 'worse' ? '▲' : '≈';
  return (
    <span className={`mark ${v}`} title={`B is ${label} than A`}>
      <span aria-hidden="true">{icon}</span> {text} {label}
    </span>
  );
}

const TESTED_LABEL: Record<SignificanceVerdict, string> = {
  better: 'better',
  worse: 'worse',
  no_difference: 'no significant difference',
  not_enough_data: 'not enough data',
};

/** A verdict from the server's test: coloured only when the difference is significant. */
function TestMark({ v, delta, test, title, interval: intervalOf = formatInterval }: { v: SignificanceVerdict; delta: number | null; test?: ProportionTest; title?: string; interval?: IntervalFormat }) {
  const cls = v === 'better' ? 'better' : v === 'worse' ? 'worse' : v === 'no_difference' ? 'same' : 'na';
  const icon = v === 'better' ? '▼' : v === 'worse' ? '▲' : v === 'no_difference' ? '≈' : '?';
  const text = delta === null || Math.abs(delta) < 0.005 ? '' : `${delta > 0 ? '+' : ''}${formatPercent(delta, 0)}`;
  const interval = test ? intervalOf(test.ci_low, test.ci_high) : null;
  const detail = test && test.p_value !== null ? [formatP(test.p_value), interval].filter(Boolean).join(' · ') : null;
  return (
    <span className="test-verdict">
      <span className={`mark ${cls}`} data-verdict={v} title={title ?? (v === 'not_enough_data' ? 'Fewer than 30 runs on a side: not judged' : `B vs A: ${TESTED_LABEL[v]}`)}>
        <span aria-hidden="true">{icon}</span> {text} {TESTED_LABEL[v]}
      </span>
      {detail ? <span className="sig-detail muted"> {detail}</span> : null}
    </span>
  );
}

/** A change with no statistical test behind it: shown, never coloured. */
function Untested({ delta }: { delta: number | null }) {
  return (
    <span className="mark untested" title="No statistical test for this metric: the change is not judged">
      {formatSigned(delta)}
    </span>
  );
}

type IntervalFormat = (low: number | null | undefined, high: number | null | undefined) => string | null;
type Judge = { test: ProportionTest; interval?: IntervalFormat; title?: string } | { verdict: SignificanceVerdict; title?: string };

/** The 95 % interval of a difference of durations, e.g. "95% CI +120ms to +450ms". */
function durationInterval(low: number | null | undefined, high: number | null | undefined): string | null {
  if (low === null || low === undefined || high === null || high === undefined) return null;
  const signed = (v: number) => `${v < 0 ? '−' : '+'}${formatDuration(Math.abs(v))}`;
  return `95% CI ${signed(low)} to ${signed(high)}`;
}

function latencyJudge(t: LatencyTest | undefined, name: string): Judge | undefined {
  if (!t) return undefined;
  const title = t.verdict === 'not_enough_data'
    ? `Fewer than ${t.min_runs} timed runs on a side: ${name} not judged`
    : `z-test of the ${name} difference, each side's standard error from its 95% interval (A ${formatDuration(t.a_ci_low)}–${formatDuration(t.a_ci_high)}, B ${formatDuration(t.b_ci_low)}–${formatDuration(t.b_ci_high)})`;
  return { test: t, interval: durationInterval, title };
}

function CompareView({ data, project, environment }: { data: Compare; project: string; environment: string | null }) {
  const A = data.a;
  const B = data.b;
  const sig = data.significance;
  const rows: { label: string; a: number | null; b: number | null; fmt: (v: number | null) => string; neutral?: boolean; higherIsBetter?: boolean; judge?: Judge }[] = [
    { label: 'Runs', a: A.runs.total, b: B.runs.total, fmt: formatCount, neutral: true },
    { label: 'Success rate', a: rate(A.runs.success, A.runs.total), b: rate(B.runs.success, B.runs.total), fmt: (v) => formatPercent(v), higherIsBetter: true },
    { label: 'Error rate', a: A.error_rate, b: B.error_rate, fmt: (v) => formatPercent(v), judge: sig ? { test: sig.error_rate } : undefined },
    { label: 'Latency p50', a: A.latency_ms.p50, b: B.latency_ms.p50, fmt: formatDuration, judge: latencyJudge(sig?.latency_p50_ms, 'median') },
    {
      label: 'Latency p95',
      a: A.latency_ms.p95,
      b: B.latency_ms.p95,
      fmt: formatDuration,
      judge: latencyJudge(sig?.latency_p95_ms, 'p95'),
    },
    { label: 'Latency p99', a: A.latency_ms.p99, b: B.latency_ms.p99, fmt: formatDuration },
    { label: 'Retries per run', a: retriesPerRun(data.a), b: retriesPerRun(data.b), fmt: (v) => (v === null ? '–' : v.toFixed(2)) },
    { label: 'Tokens per run', a: tokensPerRun(data.a), b: tokensPerRun(data.b), fmt: formatCount },
    {
      label: 'Cost per run',
      a: costPerRun(data.a),
      b: costPerRun(data.b),
      fmt: formatCost,
      judge: sig ? { verdict: sig.cost_per_run_usd.verdict, title: sig.cost_per_run_usd.p_value != null ? `Welch's test on the mean cost per run: p = ${sig.cost_per_run_usd.p_value.toPrecision(2)}` : (sig.cost_per_run_usd.reason ?? 'Fewer than 30 runs on a side') } : undefined,
    },
  ];
  const runsLink = (version: string, extra: Record<string, string | null> = {}) =>
    href('/runs', { project, agent: data.agent, version, environment, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v ?? undefined])) });
  return (
    <div className="compare">
      <section className="card">
        <h2>
          {data.agent}: <Link to={runsLink(data.a.version)}>{data.a.version}</Link> (A) vs <Link to={runsLink(data.b.version)}>{data.b.version}</Link> (B)
        </h2>
        <table className="compare-table">
          <thead>
            <tr>
              <th>Metric</th>
              <th className="num version">A · {data.a.version}</th>
              <th className="num version">B · {data.b.version}</th>
              <th>B vs A</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <td>{r.label}</td>
                <td className="num">{r.fmt(r.a)}</td>
                <td className="num">{r.fmt(r.b)}</td>
                <td>{judgement(r, sig !== undefined)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card">
        <h2>Latency per step type</h2>
        <table className="compare-table">
          <thead>
            <tr>
              <th>Type</th>
              <th className="num">Steps A / B</th>
              <th className="num">p50 A</th>
              <th className="num">p50 B</th>
              <th>p50</th>
              <th className="num">p95 A</th>
              <th className="num">p95 B</th>
              <th>p95</th>
              <th className="num">Error rate A / B</th>
              <th>Errors</th>
            </tr>
          </thead>
          <tbody>
            {data.by_step_type.map((row) => (
              <tr key={row.type}>
                <td>
                  <span className={`type-badge type-${cssToken(row.type)}`}>{row.type}</span>
                </td>
                <td className="num">
                  {formatCount(row.a?.count)} / {formatCount(row.b?.count)}
                </td>
                <td className="num">{formatDuration(row.a?.p50_ms)}</td>
                <td className="num">{formatDuration(row.b?.p50_ms)}</td>
                <td>{sig ? <Untested delta={change(row.a?.p50_ms, row.b?.p50_ms)} /> : <Mark v={verdict(row.a?.p50_ms, row.b?.p50_ms)} delta={change(row.a?.p50_ms, row.b?.p50_ms)} />}</td>
                <td className="num">{formatDuration(row.a?.p95_ms)}</td>
                <td className="num">{formatDuration(row.b?.p95_ms)}</td>
                <td>{sig ? <Untested delta={change(row.a?.p95_ms, row.b?.p95_ms)} /> : <Mark v={verdict(row.a?.p95_ms, row.b?.p95_ms)} delta={change(row.a?.p95_ms, row.b?.p95_ms)} />}</td>
                <td className="num">
                  {formatPercent(stepErrorRate(row.a))} / {formatPercent(stepErrorRate(row.b))}
                </td>
                <td>{sig ? <Untested delta={change(stepErrorRate(row.a), stepErrorRate(row.b))} /> : <Mark v={verdict(stepErrorRate(row.a), stepErrorRate(row.b))} delta={null} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card">
        <h2>Failure mix</h2>
        {data.failures.length === 0 ? (
          <p className="muted">Neither version failed in this range.</p>
        ) : (
          <table className="compare-table">
            <thead>
              <tr>
                <th>Failure</th>
                <th className="num">A runs</th>
                <th className="num">A share</th>
                <th className="num">B runs</th>
                <th className="num">B share</th>
                <th>B vs A</th>
              </tr>
            </thead>
            <tbody>
              {data.failures.map((f) => {
                const shareA = rate(f.a, A.runs.total);
                const shareB = rate(f.b, B.runs.total);
                const test = sig?.failures.find((t) => t.type === f.type && (t.code ?? null) === (f.code ?? null));
                return (
                  <tr key={`${f.type}/${f.code ?? ''}`}>
                    <td>
                      {f.type}
                      {f.code ? `/${f.code}` : ''}
                    </td>
                    <td className="num">
                      <Link to={runsLink(data.a.version, { failure_type: f.type, failure_code: f.code })}>{formatCount(f.a)}</Link>
                    </td>
                    <td className="num">{formatPercent(shareA)}</td>
                    <td className="num">
                      <Link to={runsLink(data.b.version, { failure_type: f.type, failure_code: f.code })}>{formatCount(f.b)}</Link>
                    </td>
                    <td className="num">{formatPercent(shareB)}</td>
                    <td>{test ? <TestMark v={test.verdict} delta={null} test={test} /> : <Mark v={verdict(shareA, shareB)} delta={null} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** The B-vs-A cell of a summary row: the server's test when there is one, else the change alone. */
function judgement(
  r: { a: number | null; b: number | null; neutral?: boolean; higherIsBetter?: boolean; judge?: Judge },
  tested: boolean,
) {
  const delta = change(r.a, r.b);
  if (r.neutral) return <span className="muted">{formatSigned(delta)}</span>;
  if (r.judge && 'test' in r.judge) {
    return <TestMark v={r.judge.test.verdict} delta={delta} test={r.judge.test} interval={r.judge.interval} title={r.judge.title} />;
  }
  if (r.judge) return <TestMark v={r.judge.verdict} delta={delta} title={r.judge.title} />;
  // A server that tests some metrics leaves the others untested: no colour without a test.
  if (tested) return <Untested delta={delta} />;
  return <Mark v={verdict(r.a, r.b, !r.higherIsBetter)} delta={delta} />;
}

function rate(n: number, total: number): number | null {
  return total > 0 ? n / total : null;
}

function stepErrorRate(s: StepTypeStats | null | undefined): number | null {
  return s && s.count > 0 ? s.error_count / s.count : null;
}

function formatSigned(v: number | null): string {
  return v === null ? '–' : `${v > 0 ? '+' : ''}${formatPercent(v, 0)}`;
}
