import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { CopyId, ErrorBox, FailureTag, Field, SkeletonRows, StatusBadge } from '../components/common';
import { TimeRangePicker, rangeFromSearch, type RangeValue } from '../components/TimeRangePicker';
import { useApp } from '../context';
import { formatCost, formatCount, formatDuration, formatRelative, formatTime, formatTokens } from '../format';
import { useAsync, useInterval } from '../hooks';
import { Link, navigate, useLocation, currentWithParams, href } from '../router';
import { resolveRange } from '../timerange';
import type { Agent, RunPage } from '../types';
import { GettingStarted } from './GettingStarted';

export const FAILURE_TYPES = ['tool', 'model', 'retrieval', 'orchestration', 'guardrail', 'unknown'];
export const FAILURE_CODES = [
  'timeout',
  'schema_invalid',
  'rate_limited',
  'empty_result',
  'auth_failed',
  'malformed_output',
  'context_overflow',
  'tool_not_found',
  'max_iterations',
  'cancelled',
  'internal',
];
const STATUSES = ['success', 'failure', 'partial', 'running'];

/** URL parameters that filter the runs list (besides the time range). */
const FILTER_KEYS = ['agent', 'version', 'environment', 'status', 'failure_type', 'failure_code', 'session', 'q', 'min_duration_ms', 'max_duration_ms'];
const LIVE_INTERVAL_MS = 3000;
const PAGE_SIZE = 50;

export function RunsPage() {
  const { api, project } = useApp();
  const { pathname, search } = useLocation();
  const live = search.get('live') === '1';
  const cursor = search.get('cursor');
  const sort = sortOf(search.get('sort'));
  const labels = search.getAll('label');
  const scores = search.getAll('score');
  const set = (changes: Record<string, string | string[] | null>, replace = false) =>
    navigate(currentWithParams({ cursor: null, ...changes }), { replace });

  const agents = useAsync((signal) => api.agents(signal), `agents:${project.project_id}`);
  const queryKey = search.toString() + '|' + project.project_id;
  const filterParams = () => {
    const params: Record<string, string | string[] | null> = { label: labels, score: scores };
    for (const k of FILTER_KEYS) params[k] = search.get(k);
    const range = resolveRange(search);
    return { ...params, from: range.from, to: range.to };
  };
  const runs = useAsync<RunPage>(
    (signal) => api.runs({ ...filterParams(), sort, limit: String(PAGE_SIZE), cursor }, signal),
    queryKey,
  );
  useInterval(runs.reload, LIVE_INTERVAL_MS, live && !cursor);

  // Remember what was on screen before each live refresh so new runs can be marked.
  const seen = useRef<{ key: string; ids: Set<string> } | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!runs.data) return;
    const ids = new Set(runs.data.runs.map((r) => r.run_id));
    const before = seen.current;
    if (before && before.key === queryKey && live) {
      const added = new Set([...ids].filter((id) => !before.ids.has(id)));
      if (added.size) setFresh(added);
    } else {
      setFresh(new Set());
    }
    seen.current = { key: queryKey, ids };
  }, [runs.data, queryKey, live]);

  const [pageStack, setPageStack] = useState<string[]>([]);
  const filtered = FILTER_KEYS.some((k) => search.get(k)) || labels.length > 0 || scores.length > 0 || Boolean(search.get('range') || search.get('from') || search.get('to'));

  return (
    <div className="page runs-page">
      <div className="page-head">
        <h1>Runs</h1>
        <div className="page-actions">
          <label className={`live-toggle${live ? ' on' : ''}`}>
            <input type="checkbox" checked={live} onChange={(e) => set({ live: e.target.checked ? '1' : null })} />
            Live
            {live ? <span className="live-dot" aria-label="live updates on" /> : null}
          </label>
          <button type="button" onClick={runs.reload} disabled={runs.loading}>
            Refresh
          </button>
          <a className="button-link" href={api.exportUrl(filterParams(), 'jsonl')} download title="Every run matching these filters, with its steps, as JSON Lines that sextant import reads back">
            Download JSONL
          </a>
          <a className="button-link" href={api.exportUrl(filterParams(), 'csv')} download title="The list of runs matching these filters, as CSV">
            Download CSV
          </a>
        </div>
      </div>
      <Filters agents={agents.data?.agents ?? []} search={search} labels={labels} set={set} />
      {runs.error ? <ErrorBox error={runs.error} retry={runs.reload} /> : null}
      {!runs.data && runs.loading ? <SkeletonRows rows={10} /> : null}
      {runs.data?.raw_data_from ? <RawDataNote from={runs.data.raw_data_from} project={project.project_id} /> : null}
      {runs.data && runs.data.runs.length === 0 && !filtered && !cursor && !runs.data.raw_data_from ? <GettingStarted project={project.project_id} empty /> : null}
      {runs.data && runs.data.runs.length === 0 && (filtered || cursor) ? (
        <div className="empty-state">
          <p>No runs match these filters.</p>
          <Link to={href(pathname, { project: project.project_id })}>Clear all filters</Link>
        </div>
      ) : null}
      {runs.data && runs.data.runs.length > 0 ? (
        <>
          <RunsTable page={runs.data} fresh={fresh} sort={sort} onSort={(s) => set({ sort: s === 'start_time' ? null : s })} />
          <div className="pager">
            <span className="muted">
              {runs.data.runs.length} run{runs.data.runs.length === 1 ? '' : 's'} on this page
              {live && cursor ? ' · live updates pause on later pages' : ''}
            </span>
            <button
              type="button"
              disabled={!cursor}
              onClick={() => {
                const previous = pageStack[pageStack.length - 1] ?? null;
                setPageStack(pageStack.slice(0, -1));
                set({ cursor: previous });
              }}
            >
              ← Previous
            </button>
            <button
              type="button"
              disabled={!runs.data.next_cursor}
              onClick={() => {
                setPageStack([...pageStack, cursor ?? '']);
                set({ cursor: runs.data!.next_cursor });
              }}
            >
              Next →
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}

/** Where raw data ends: older runs were deleted by retention but still count in stats. */
function RawDataNote({ from, project }: { from: string; project: string }) {
  return (
    <p className="retention-note" role="note" data-raw-data-from={from}>
      Raw data from <time dateTime={from}>{formatTime(from)}</time>: runs that started earlier were deleted by this
      project&apos;s retention. They still count on the <Link to={href('/dashboard', { project })}>dashboard</Link> and in{' '}
      <Link to={href('/compare', { project })}>compare</Link>. <Link to={href('/settings', { project })}>Retention settings</Link>
    </p>
  );
}

function Filters({
  agents,
  search,
  labels,
  set,
}: {
  agents: Agent[];
  search: URLSearchParams;
  labels: string[];
  set: (changes: Record<string, string | string[] | null>, replace?: boolean) => void;
}) {
  const scores = search.getAll('score');
  const agent = search.get('agent') ?? '';
  const selected = agents.find((a) => a.agent_id === agent);
  const versions = useMemo(() => unique(selected ? selected.versions : agents.flatMap((a) => a.versions)), [agents, selected]);
  const environments = useMemo(() => unique(selected ? selected.environments : agents.flatMap((a) => a.environments)), [agents, selected]);

  // Free-text fields apply on Enter or when they lose focus, not on every keystroke.
  const [text, setText] = useState(() => readText(search));
  const urlText = JSON.stringify(readText(search));
  useEffect(() => setText(JSON.parse(urlText) as Record<string, string>), [urlText]);
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const applyText = (e?: FormEvent) => {
    e?.preventDefault();
    const changes: Record<string, string | null> = {};
    let changed = false;
    for (const k of TEXT_KEYS) {
      const v = text[k].trim();
      if (v !== (search.get(k) ?? '')) changed = true;
      changes[k] = v || null;
    }
    if (changed) set(changes);
  };
  const addLabel = () => {
    const v = label.trim();
    if (!v) return;
    if (!/^[a-z][a-z0-9_]{0,62}:.*$/.test(v)) {
      setLabelError('Write a label as key:value, the key in lower case (team:billing).');
      return;
    }
    setLabelError(null);
    setLabel('');
    if (!labels.includes(v)) set({ label: [...labels, v] });
  };
  const select = (name: string, value: string, options: string[], all: string, extra?: Record<string, string | null>) => (
    <select aria-label={name} value={value} onChange={(e) => set({ [name]: e.target.value || null, ...extra })}>
      <option value="">{all}</option>
      {value && !options.includes(value) ? <option value={value}>{value}</option> : null}
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );

  return (
    <form className="filters" onSubmit={applyText} aria-label="Run filters">
      <Field label="Search">
        <input
          type="search"
          name="q"
          placeholder="run or step name"
          value={text.q}
          onChange={(e) => setText({ ...text, q: e.target.value })}
          onBlur={() => applyText()}
        />
      </Field>
      <Field label="Agent">{select('agent', agent, agents.map((a) => a.agent_id), 'All agents', { version: null })}</Field>
      <Field label="Version">{select('version', search.get('version') ?? '', versions, 'All versions')}</Field>
      <Field label="Environment">{select('environment', search.get('environment') ?? '', environments, 'All environments')}</Field>
      <Field label="Status">{select('status', search.get('status') ?? '', STATUSES, 'Any status')}</Field>
      <Field label="Failure type">{select('failure_type', search.get('failure_type') ?? '', FAILURE_TYPES, 'Any failure type')}</Field>
      <Field label="Failure code">
        <input
          name="failure_code"
          list="failure-codes"
          placeholder="any"
          value={text.failure_code}
          onChange={(e) => setText({ ...text, failure_code: e.target.value })}
          onBlur={() => applyText()}
        />
        <datalist id="failure-codes">
          {FAILURE_CODES.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </Field>
      <Field label="Session">
        <input name="session" placeholder="session id" value={text.session} onChange={(e) => setText({ ...text, session: e.target.value })} onBlur={() => applyText()} />
      </Field>
      <Field label="Min duration (ms)">
        <input
          name="min_duration_ms"
          type="number"
          min="0"
          inputMode="numeric"
          value={text.min_duration_ms}
          onChange={(e) => setText({ ...text, min_duration_ms: e.target.value })}
          onBlur={() => applyText()}
        />
      </Field>
      <Field label="Max duration (ms)">
        <input
          name="max_duration_ms"
          type="number"
          min="0"
          inputMode="numeric"
          value={text.max_duration_ms}
          onChange={(e) => setText({ ...text, max_duration_ms: e.target.value })}
          onBlur={() => applyText()}
        />
      </Field>
      <TimeRangePicker value={rangeFromSearch(search)} onChange={(r: RangeValue) => set({ range: r.range, from: r.from, to: r.to })} />
      <Field label="Sort">
        <select aria-label="sort" value={sortOf(search.get('sort'))} onChange={(e) => set({ sort: e.target.value === 'start_time' ? null : e.target.value })}>
          <option value="start_time">Newest first</option>
          <option value="duration">Longest first</option>
          <option value="cost">Most expensive first</option>
        </select>
      </Field>
      <div className="field label-filter">
        <span className="field-label">Labels</span>
        <div className="label-input">
          <input
            name="label"
            aria-label="Add label filter"
            placeholder="key:value"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addLabel();
              }
            }}
          />
          <button type="button" onClick={addLabel}>
            Add
          </button>
        </div>
        {labelError ? <span className="field-error">{labelError}</span> : null}
      </div>
      <button type="submit" className="visually-hidden">
        Apply
      </button>
      {labels.length ? (
        <div className="chips" aria-label="Label filters">
          {labels.map((l) => (
            <span key={l} className="chip">
              {l}
              <button type="button" aria-label={`Remove label ${l}`} onClick={() => set({ label: labels.filter((x) => x !== l) })}>
                ×
              </button>
            </span>
          ))}
        </div>
      ) : null}
      {scores.length ? (
        <div className="chips" aria-label="Score filters">
          {scores.map((sc) => (
            <span key={sc} className="chip">
              score {sc}
              <button type="button" aria-label={`Remove score filter ${sc}`} onClick={() => set({ score: scores.filter((x) => x !== sc) })}>
                ×
              </button>
            </span>
          ))}
        </div>
      ) : null}
    </form>
  );
}

const TEXT_KEYS = ['q', 'failure_code', 'session', 'min_duration_ms', 'max_duration_ms'] as const;

function readText(search: URLSearchParams): Record<(typeof TEXT_KEYS)[number], string> {
  return {
    q: search.get('q') ?? '',
    failure_code: search.get('failure_code') ?? '',
    session: search.get('session') ?? '',
    min_duration_ms: search.get('min_duration_ms') ?? '',
    max_duration_ms: search.get('max_duration_ms') ?? '',
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))].sort();
}

/** The run list's order: newest first unless the address asks for the longest or the most expensive. */
function sortOf(value: string | null): 'start_time' | 'duration' | 'cost' {
  return value === 'duration' || value === 'cost' ? value : 'start_time';
}

function RunsTable({ page, fresh, sort, onSort }: { page: RunPage; fresh: Set<string>; sort: string; onSort: (s: string) => void }) {
  const { project } = useApp();
  const sortHeader = (key: string, label: string) => (
    <th aria-sort={sort === key ? 'descending' : 'none'} className="num">
      <button type="button" className={`sort-button${sort === key ? ' active' : ''}`} onClick={() => onSort(key)} title={`Sort by ${label.toLowerCase()}`}>
        {label}
        {sort === key ? ' ↓' : ''}
      </button>
    </th>
  );
  return (
    <div className="table-wrap">
      <table className="runs-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>Run</th>
            <th>Agent</th>
            <th>Version</th>
            <th>Environment</th>
            <th>Failure</th>
            {sortHeader('duration', 'Duration')}
            <th className="num">Steps</th>
            <th className="num">Retries</th>
            <th className="num" title="input / output tokens">
              Tokens
            </th>
            {sortHeader('cost', 'Cost')}
            {sortHeader('start_time', 'Started')}
          </tr>
        </thead>
        <tbody>
          {page.runs.map((r) => {
            const to = href(`/runs/${encodeURIComponent(r.run_id)}`, { project: project.project_id });
            return (
              <tr
                key={r.run_id}
                className={`run-row${fresh.has(r.run_id) ? ' fresh' : ''}${r.status === 'failure' ? ' failed' : ''}`}
                data-run-id={r.run_id}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a,button')) return;
                  navigate(to);
                }}
              >
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="run-name">
                  <Link to={to}>{r.name || '(unnamed run)'}</Link>
                  <CopyId value={r.run_id} label="run id" />
                </td>
                <td>{r.agent_id ?? '–'}</td>
                <td>{r.agent_version ?? '–'}</td>
                <td>{r.environment ?? '–'}</td>
                <td className="failure-cell">{r.failure ? <FailureTag type={r.failure.type} code={r.failure.code} /> : <span className="muted">–</span>}</td>
                <td className="num">{formatDuration(r.duration_ms)}</td>
                <td className="num">
                  {formatCount(r.step_count)}
                  {r.error_count ? <span className="error-count" title="steps with errors"> · {r.error_count}✕</span> : null}
                </td>
                <td className="num">{r.retry_count ? formatCount(r.retry_count) : <span className="muted">0</span>}</td>
                <td className="num">{formatTokens(r.input_tokens, r.output_tokens)}</td>
                <td className="num">{formatCost(r.cost_usd)}</td>
                <td className="num" title={formatTime(r.start_time, true)}>
                  {formatRelative(r.start_time)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
