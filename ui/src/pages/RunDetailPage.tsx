import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CopyId, ErrorBox, FailureTag, SkeletonRows, StatusBadge } from '../components/common';
import { StepPanel } from '../components/StepPanel';
import { StepTree } from '../components/StepTree';
import { useApp } from '../context';
import { formatCost, formatCount, formatDuration, formatTime, formatValue } from '../format';
import { useAsync } from '../hooks';
import { Link, currentWithParams, href, navigate, useLocation } from '../router';
import { ancestorKeys, buildTree, flatten } from '../tree';
import type { RunDetail, Score, StepDetail } from '../types';

export function RunDetailPage({ runId }: { runId: string }) {
  const { api, project } = useApp();
  const { search } = useLocation();
  const run = useAsync<RunDetail>((signal) => api.run(runId, signal), `${project.project_id}:${runId}`);
  const back = href('/runs', { project: project.project_id });

  return (
    <div className="page run-page">
      <nav className="breadcrumbs">
        <Link to={back}>Runs</Link> <span aria-hidden="true">/</span> <span>{run.data?.run.name ?? runId}</span>
      </nav>
      {run.error ? <ErrorBox error={run.error} retry={run.reload} /> : null}
      {!run.data && run.loading ? (
        <div className="run-skeleton" aria-busy="true">
          <div className="skeleton-title" />
          <SkeletonRows rows={14} />
        </div>
      ) : null}
      {run.data ? <RunView key={runId} detail={run.data} search={search} /> : null}
    </div>
  );
}

function RunView({ detail, search }: { detail: RunDetail; search: URLSearchParams }) {
  const { api, project } = useApp();
  const r = detail.run;
  const failure = detail.failure ?? r.failure ?? null;
  const failingStepId = failure?.step_id && detail.steps.some((s) => s.step_id === failure.step_id) ? failure.step_id : null;
  const tree = useMemo(() => buildTree(detail.steps), [detail.steps]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const rows = useMemo(() => flatten(tree.roots, collapsed), [tree, collapsed]);
  const [revealToken, setRevealToken] = useState(0);
  const selectedKey = search.get('step');
  const selectedNode = selectedKey ? (tree.byKey.get(selectedKey) ?? null) : null;

  // Reads the live URL so the callback stays the same across renders (rows are memoised on it).
  const select = useCallback((key: string | null) => navigate(currentWithParams({ step: key }), { replace: true }), []);
  const toggle = useCallback((key: string, expand?: boolean) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      const isCollapsed = next.has(key);
      if (expand === true || (expand === undefined && isCollapsed)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const reveal = useCallback(
    (stepId: string) => {
      const hidden = ancestorKeys(tree, stepId);
      setCollapsed((prev) => {
        if (!hidden.some((k) => prev.has(k))) return prev;
        const next = new Set(prev);
        hidden.forEach((k) => next.delete(k));
        return next;
      });
      select(stepId);
      setRevealToken((t) => t + 1);
    },
    [tree, select],
  );

  // A shared link to a step scrolls to it when the run first shows.
  const initialKey = useRef(selectedKey);
  useEffect(() => {
    if (initialKey.current && tree.byStepId.has(initialKey.current)) reveal(initialKey.current);
  }, [tree, reveal]);

  // Esc closes the panel, `f` jumps to the failing step.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      if (e.key === 'Escape' && selectedKey) select(null);
      else if ((e.key === 'f' || e.key === 'F') && failingStepId && !e.metaKey && !e.ctrlKey && !e.altKey) reveal(failingStepId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedKey, failingStepId, select, reveal]);

  // Step details load on demand and stay cached while the run is open.
  const cache = useRef(new Map<string, StepDetail>());
  const detailStep = selectedNode ? selectedNode.step : null;
  const stepDetail = useAsync<StepDetail>(
    async (signal) => {
      const id = detailStep!.step_id;
      const hit = cache.current.get(id);
      if (hit) return hit;
      const d = await api.step(r.run_id, id, signal);
      cache.current.set(id, d);
      return d;
    },
    `${r.run_id}:${detailStep?.step_id ?? ''}`,
    detailStep !== null,
  );

  const attemptsOf = selectedNode?.kind === 'attempts' ? selectedNode.attempts : selectedNode?.parent?.kind === 'attempts' ? selectedNode.parent.attempts : null;

  return (
    <>
      <header className="run-header">
        <div className="run-title">
          <StatusBadge status={r.status} />
          <h1>{r.name || '(unnamed run)'}</h1>
          <CopyId value={r.run_id} label="run id" full />
          <a className="button-link" href={api.exportUrl({ run_id: r.run_id }, 'jsonl')} download title="This run and its steps as JSON Lines that sextant import reads back">
            Download run
          </a>
        </div>
        <div className="run-facts">
          <Fact label="Agent" value={r.agent_id} />
          <Fact label="Version" value={r.agent_version} />
          <Fact label="Environment" value={r.environment} />
          <Fact label="Started" value={formatTime(r.start_time, true)} />
          <Fact label="Duration" value={formatDuration(r.duration_ms)} />
          <Fact label="Steps" value={formatCount(r.step_count ?? detail.steps.length)} />
          <Fact label="Errors" value={formatCount(r.error_count)} />
          <Fact label="Retries" value={formatCount(r.retry_count)} />
          <Fact label="Tokens in / out" value={`${formatCount(r.input_tokens)} / ${formatCount(r.output_tokens)}`} />
          <Fact label="Cost" value={formatCost(r.cost_usd)} />
          {r.session_id ? (
            <div className="fact">
              <span className="fact-label">Session</span>
              <Link to={href('/runs', { project: project.project_id, session: r.session_id })}>{r.session_id}</Link>
            </div>
          ) : null}
        </div>
        {r.labels && Object.keys(r.labels).length ? (
          <div className="chips" aria-label="Labels">
            {Object.entries(r.labels).map(([k, v]) => (
              <Link key={k} className="chip" to={href('/runs', { project: project.project_id, label: `${k}:${v}` })}>
                {k}: {v}
              </Link>
            ))}
          </div>
        ) : null}
        <RunScores runId={r.run_id} />
      </header>

      {failure && (r.status === 'failure' || r.status === 'partial' || failure.type) ? (
        <div className="failure-banner" role="alert">
          <div>
            <strong>Run failed:</strong> <FailureTag type={failure.type} code={failure.code} />
            {failure.message ? <span className="failure-message"> — {failure.message}</span> : null}
          </div>
          {failingStepId ? (
            <button type="button" className="failure-link" onClick={() => reveal(failingStepId)}>
              Go to failing step: {tree.byStepId.get(failingStepId)?.step.name ?? failingStepId} <kbd>f</kbd>
            </button>
          ) : (
            <span className="muted">No step is linked to this failure.</span>
          )}
        </div>
      ) : null}

      <div className={`run-body${selectedNode ? ' with-panel' : ''}`}>
        {detail.steps.length === 0 ? (
          <div className="empty-state">This run has no steps yet.</div>
        ) : (
          <StepTree
            tree={tree}
            rows={rows}
            selectedKey={selectedNode ? selectedNode.key : null}
            failingStepId={failingStepId}
            onSelect={select}
            onToggle={toggle}
            revealToken={revealToken}
          />
        )}
        {selectedNode && detailStep ? (
          <StepPanel
            summary={detailStep}
            detail={stepDetail.data}
            loading={stepDetail.loading}
            error={stepDetail.error}
            retry={stepDetail.reload}
            contentPolicy={project.content_policy}
            runFailure={failure}
            runStart={tree.start}
            attempts={attemptsOf}
            onSelectStep={reveal}
            onClose={() => select(null)}
          />
        ) : null}
      </div>

      {r.metadata || r.input || r.output ? (
        <details className="run-extra">
          <summary>Run metadata and content</summary>
          {r.metadata ? <pre className="content">{formatValue(r.metadata)}</pre> : null}
          {r.input ? <pre className="content">{formatValue(r.input)}</pre> : null}
          {r.output ? <pre className="content">{formatValue(r.output)}</pre> : null}
        </details>
      ) : null}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div className="fact">
      <span className="fact-label">{label}</span>
      <span className="fact-value">{value ?? '–'}</span>
    </div>
  );
}

/** The run's scores and feedback as chips: each links to the runs with that score; a step's names the step. */
function RunScores({ runId }: { runId: string }) {
  const { api, project } = useApp();
  const scores = useAsync((signal) => api.scores(runId, signal), `${project.project_id}:${runId}:scores`);
  const list: Score[] = scores.data?.scores ?? [];
  if (!list.length) return null;
  return (
    <div className="chips" aria-label="Scores">
      {list.map((s) => (
        <Link
          key={s.score_id}
          className="chip score-chip"
          to={href('/runs', { project: project.project_id, score: s.name })}
          title={[s.step_id ? `step ${s.step_id}` : 'whole run', `source ${s.source}`, s.comment].filter(Boolean).join(' · ')}
        >
          {s.name}: {scoreValue(s)}
        </Link>
      ))}
    </div>
  );
}

export function scoreValue(s: Pick<Score, 'value' | 'string_value'>): string {
  if (s.string_value !== null && s.string_value !== undefined) return s.string_value;
  if (s.value === null || s.value === undefined) return '–';
  return Number.isInteger(s.value) ? String(s.value) : s.value.toFixed(3).replace(/0+$/, '');
}

