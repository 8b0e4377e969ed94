import { useMemo } from 'react';
import { BarList, TimeChart } from '../components/charts';
import { ErrorBox, Field, SkeletonRows, Stat } from '../components/common';
import { TimeRangePicker, rangeFromSearch } from '../components/TimeRangePicker';
import { cssToken } from '../components/StepTree';
import { useApp } from '../context';
import { formatCost, formatCount, formatDuration, formatPercent, parseTime } from '../format';
import { useAsync } from '../hooks';
import { Link, href, navigate, useLocation, currentWithParams } from '../router';
import { resolveRange } from '../timerange';
import type { Agent, Stats, Timeseries } from '../types';
import { GettingStarted } from './GettingStarted';

const BUCKETS = 60;

export function DashboardPage() {
  const { api, project } = useApp();
  const { search } = useLocation();
  const set = (changes: Record<string, string | null>) => navigate(currentWithParams(changes));
  const agents = useAsync((signal) => api.agents(signal), `agents:${project.project_id}`);
  const filters = () => {
    const range = resolveRange(search);
    return { agent: search.get('agent'), version: search.get('version'), environment: search.get('environment'), from: range.from, to: range.to };
  };
  const key = `${project.project_id}|${search.toString()}`;
  const stats = useAsync<Stats>((signal) => api.stats(filters(), signal), key);
  const series = useAsync<Timeseries>((signal) => api.timeseries({ ...filters(), buckets: BUCKETS }, signal), key);
  const runsLink = (extra: Record<string, string | null>) =>
    href('/runs', {
      project: project.project_id,
      agent: search.get('agent'),
      version: search.get('version'),
      environment: search.get('environment'),
      range: search.get('range'),
      from: search.get('from'),
      to: search.get('to'),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v ?? undefined])),
    });

  const noRunsAtAll = stats.data && stats.data.runs.total === 0 && !search.get('agent') && !search.get('range') && !search.get('from') && !search.get('environment');
  return (
    <div className="page dashboard-page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <button type="button" onClick={() => (stats.reload(), series.reload())}>
          Refresh
        </button>
      </div>
      <ScopeFilters agents={agents.data?.agents ?? []} search={search} set={set} />
      {stats.error ? <ErrorBox error={stats.error} retry={stats.reload} /> : null}
      {noRunsAtAll ? <GettingStarted project={project.project_id} empty /> : null}
      {!stats.data && stats.loading ? <SkeletonRows rows={6} /> : null}
      {stats.data && !noRunsAtAll ? <Summary stats={stats.data} runsLink={runsLink} /> : null}
      {series.error ? <ErrorBox error={series.error} retry={series.reload} /> : null}
      {series.data && !noRunsAtAll ? <Charts data={series.data} /> : null}
      {stats.data && !noRunsAtAll ? <Breakdowns stats={stats.data} runsLink={runsLink} /> : null}
    </div>
  );
}

export function ScopeFilters({ agents, search, set, versions = true }: { agents: Agent[]; search: URLSearchParams; set: (c: Record<string, string | null>) => void; versions?: boolean }) {
  const agent = search.get('agent') ?? '';
  const selected = agents.find((a) => a.agent_id === agent);
  const allVersions = [...new Set(selected ? selected.versions : agents.flatMap((a) => a.versions))].sort();
  const envs = [...new Set(selected ? selected.environments : agents.flatMap((a) => a.environments))].sort();
  return (
    <div className="filters" role="group" aria-label="Filters">
      <Field label="Agent">
        <select aria-label="agent" value={agent} onChange={(e) => set({ agent: e.target.value || null, version: null })}>
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.agent_id} value={a.agent_id}>
              {a.agent_id}
            </option>
          ))}
        </select>
      </Field>
      {versions ? (
        <Field label="Version">
          <select aria-label="version" value={search.get('version') ?? ''} onChange={(e) => set({ version: e.target.value || null })}>
            <option value="">All versions</option>
            {allVersions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <Field label="Environment">
        <select aria-label="environment" value={search.get('environment') ?? ''} onChange={(e) => set({ environment: e.target.value || null })}>
          <option value="">All environments</option>
          {envs.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      <TimeRangePicker value={rangeFromSearch(search)} onChange={(r) => set({ range: r.range, from: r.from, to: r.to })} />
    </div>
  );
}

function Summary({ stats, runsLink }: { stats: Stats; runsLink: (e: Record<string, string | null>) => string }) {
  const r = stats.runs;
  return (
    <div className="stats-grid">
      <Stat
        label="Runs"
        value={formatCount(r.total)}
        hint={
          <>
            <Link to={runsLink({ status: 'success' })}>{formatCount(r.success)} ok</Link> · <Link to={runsLink({ status: 'failure' })}>{formatCount(r.failure)} failed</Link> ·{' '}
            {formatCount(r.partial)} partial · {formatCount(r.running)} running
          </>
        }
      />
      <Stat label="Error rate" value={formatPercent(stats.error_rate)} />
      <Stat label="Latency p50" value={formatDuration(stats.latency_ms.p50)} hint={`avg ${formatDuration(stats.latency_ms.avg)}`} />
      <Stat label="Latency p95" value={formatDuration(stats.latency_ms.p95)} />
      <Stat label="Latency p99" value={formatDuration(stats.latency_ms.p99)} />
      <Stat label="Retries" value={formatCount(stats.retries)} hint={r.total ? `${(stats.retries / r.total).toFixed(2)} per run` : undefined} />
      <Stat label="Tokens in / out" value={`${formatCount(stats.tokens.input)} / ${formatCount(stats.tokens.output)}`} />
      <Stat label="Cost" value={formatCost(stats.cost_usd)} hint={r.total ? `${formatCost(stats.cost_usd / r.total)} per run` : undefined} />
    </div>
  );
}

function Charts({ data }: { data: Timeseries }) {
  const times = useMemo(() => data.points.map((p) => parseTime(p.start_time) ?? 0), [data]);
  const pts = data.points;
  const hasRuns = (i: number) => pts[i].runs.total > 0;
  return (
    <div className="charts-grid">
      <TimeChart
        title="Runs over time by status"
        times={times}
        bucketMs={data.bucket_ms}
        kind="stacked"
        format={(v) => formatCount(v)}
        series={[
          { key: 'success', label: 'success', values: pts.map((p) => p.runs.success) },
          { key: 'failure', label: 'failure', values: pts.map((p) => p.runs.failure) },
          { key: 'partial', label: 'partial', values: pts.map((p) => p.runs.partial) },
          { key: 'running', label: 'running', values: pts.map((p) => p.runs.running) },
        ]}
      />
      <TimeChart
        title="Error rate"
        times={times}
        bucketMs={data.bucket_ms}
        kind="line"
        format={(v) => formatPercent(v, 0)}
        yMax={Math.min(1, Math.max(0.1, ...pts.map((p) => p.error_rate ?? 0)) * 1.1)}
        series={[{ key: 'failure', label: 'error rate', values: pts.map((p, i) => (hasRuns(i) ? p.error_rate : null)) }]}
      />
      <TimeChart
        title="Run latency"
        times={times}
        bucketMs={data.bucket_ms}
        kind="line"
        format={(v) => formatDuration(v)}
        series={[
          { key: 'p50', label: 'p50', values: pts.map((p) => p.latency_ms?.p50 ?? null) },
          { key: 'p95', label: 'p95', values: pts.map((p) => p.latency_ms?.p95 ?? null) },
          { key: 'p99', label: 'p99', values: pts.map((p) => p.latency_ms?.p99 ?? null) },
        ]}
      />
      <TimeChart
        title="Retries"
        times={times}
        bucketMs={data.bucket_ms}
        kind="stacked"
        format={(v) => formatCount(v)}
        series={[{ key: 'retries', label: 'retries', values: pts.map((p) => p.retries) }]}
      />
      <TimeChart
        title="Tokens"
        times={times}
        bucketMs={data.bucket_ms}
        kind="stacked"
        format={(v) => formatCount(v)}
        series={[
          { key: 'input', label: 'input', values: pts.map((p) => p.tokens.input) },
          { key: 'output', label: 'output', values: pts.map((p) => p.tokens.output) },
        ]}
      />
      <TimeChart
        title="Cost"
        times={times}
        bucketMs={data.bucket_ms}
        kind="stacked"
        format={(v) => formatCost(v)}
        series={[{ key: 'cost', label: 'cost (USD)', values: pts.map((p) => p.cost_usd) }]}
      />
    </div>
  );
}

/** Cost per model with its calls and cost per call, and a link to the most expensive runs. */
function CostByModel({ stats, runsLink }: { stats: Stats; runsLink: (e: Record<string, string | null>) => string }) {
  const models = stats.by_model ?? [];
  return (
    <section className="card" aria-label="Cost by model">
      <h2>Cost by model</h2>
      {models.length === 0 ? (
        <p className="muted">no model calls</p>
      ) : (
        <table className="compact-table">
          <thead>
            <tr>
              <th>Model</th>
              <th className="num">Calls</th>
              <th className="num">Tokens in / out</th>
              <th className="num">Cost</th>
              <th className="num">Per call</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.model}>
                <td>{m.model}</td>
                <td className="num">{formatCount(m.steps)}</td>
                <td className="num">
                  {formatCount(m.input_tokens)} / {formatCount(m.output_tokens)}
                </td>
                <td className="num">{formatCost(m.cost_usd)}</td>
                <td className="num">{formatCost(m.steps ? m.cost_usd / m.steps : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to={runsLink({ sort: 'cost' })}>Most expensive runs</Link>
      </p>
    </section>
  );
}

function Breakdowns({ stats, runsLink }: { stats: Stats; runsLink: (e: Record<string, string | null>) => string }) {
  const types = [...stats.by_step_type].sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0));
  return (
    <div className="breakdowns">
      <section className="card">
        <h2>Latency by step type</h2>
        {types.length === 0 ? (
          <p className="muted">no steps</p>
        ) : (
          <table className="compact-table">
            <thead>
              <tr>
                <th>Type</th>
                <th className="num">Steps</th>
                <th className="num">Errors</th>
                <th className="num">avg</th>
                <th className="num">p50</th>
                <th className="num">p95</th>
                <th className="num">p99</th>
              </tr>
            </thead>
            <tbody>
              {types.map((t) => (
                <tr key={t.type}>
                  <td>
                    <span className={`type-badge type-${cssToken(t.type)}`}>{t.type}</span>
                  </td>
                  <td className="num">{formatCount(t.count)}</td>
                  <td className="num">
                    {formatCount(t.error_count)}
                    {t.count ? <span className="muted"> ({formatPercent(t.error_count / t.count)})</span> : null}
                  </td>
                  <td className="num">{formatDuration(t.avg_ms)}</td>
                  <td className="num">{formatDuration(t.p50_ms)}</td>
                  <td className="num">{formatDuration(t.p95_ms)}</td>
                  <td className="num">{formatDuration(t.p99_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CostByModel stats={stats} runsLink={runsLink} />
      <section className="card">
        <h2>Failures by type and code</h2>
        <BarList
          empty="no failures in this range"
          format={(v) => formatCount(v)}
          items={[...stats.failures]
            .sort((a, b) => b.count - a.count)
            .map((f) => ({
              key: `${f.type}/${f.code ?? ''}`,
              cls: 'series-failure',
              value: f.count,
              label: (
                <Link to={runsLink({ failure_type: f.type, failure_code: f.code })} title="Show these runs">
                  {f.type}
                  {f.code ? `/${f.code}` : ''}
                </Link>
              ),
            }))}
        />
      </section>
    </div>
  );
}
