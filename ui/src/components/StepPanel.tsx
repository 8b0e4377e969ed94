import { useMemo, useState } from 'react';
import { formatCost, formatCount, formatDuration, formatTime, formatValue, parseTime } from '../format';
import type { FailureRef, StepDetail, StepEvent, StepSummary } from '../types';
import { CopyId, ErrorBox, FailureTag, Loading, StatusBadge } from './common';
import { cssToken } from './StepTree';

const EVENT_LIST_LIMIT = 200;

export interface StepPanelProps {
  summary: StepSummary;
  detail: StepDetail | undefined;
  loading: boolean;
  error: Error | undefined;
  retry: () => void;
  contentPolicy: string;
  runFailure: FailureRef | null;
  runStart: number | null;
  attempts: StepSummary[] | null;
  onSelectStep: (stepId: string) => void;
  onClose: () => void;
}

/** Everything about one step. The skeleton fields show at once; the rest is loaded on demand. */
export function StepPanel(props: StepPanelProps) {
  const { summary, detail, loading, error, retry, contentPolicy, runFailure, runStart, attempts, onSelectStep, onClose } = props;
  const s: StepSummary = detail ?? summary;
  const start = parseTime(s.start_time);
  const causedFailure = runFailure?.step_id === s.step_id;
  return (
    <aside className="step-panel" aria-label="Step details">
      <div className="panel-head">
        <span className={`type-badge type-${cssToken(s.type)}`}>{s.type}</span>
        <h2 className="panel-title">{s.name || '(unnamed step)'}</h2>
        <StatusBadge status={s.status} />
        <button type="button" className="icon-button close" onClick={onClose} aria-label="Close step details" title="Close (Esc)">
          ✕
        </button>
      </div>

      {causedFailure && runFailure ? (
        <div className="failure-banner small" role="note">
          This step caused the run’s failure: <FailureTag type={runFailure.type} code={runFailure.code} />
          {runFailure.message ? <div className="failure-message">{runFailure.message}</div> : null}
        </div>
      ) : null}

      {attempts && attempts.length > 1 ? (
        <section>
          <h3>Attempts</h3>
          <ol className="attempt-list">
            {attempts.map((a, i) => (
              <li key={a.step_id} className={a.step_id === s.step_id ? 'current' : undefined}>
                <button type="button" className="link-button" onClick={() => onSelectStep(a.step_id)}>
                  attempt {a.attempt ?? i + 1}
                </button>{' '}
                <StatusBadge status={a.status} /> <span>{formatDuration(a.duration_ms)}</span>
                {a.error ? <FailureTag type={a.error.type} code={a.error.code} /> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section>
        <h3>Step</h3>
        <dl className="kv">
          <dt>Step id</dt>
          <dd>
            <CopyId value={s.step_id} label="step id" full />
          </dd>
          <dt>Parent</dt>
          <dd>
            {s.parent_step_id ? (
              <button type="button" className="link-button" onClick={() => onSelectStep(s.parent_step_id!)}>
                {s.parent_step_id}
              </button>
            ) : (
              <span className="muted">none (top level)</span>
            )}
          </dd>
          <dt>Seq</dt>
          <dd>{s.seq}</dd>
          <dt>Attempt</dt>
          <dd>
            {s.attempt ?? 1}
            {s.retry_of ? (
              <>
                {' '}
                · retry of{' '}
                <button type="button" className="link-button" onClick={() => onSelectStep(s.retry_of!)}>
                  {s.retry_of}
                </button>
              </>
            ) : null}
          </dd>
        </dl>
      </section>

      <section>
        <h3>Timing</h3>
        <dl className="kv">
          <dt>Duration</dt>
          <dd>{formatDuration(s.duration_ms)}</dd>
          <dt>Start</dt>
          <dd>
            {formatTime(s.start_time, true)}
            {start !== null && runStart !== null ? <span className="muted"> (+{formatDuration(start - runStart)} into the run)</span> : null}
          </dd>
          <dt>End</dt>
          <dd>{s.end_time ? formatTime(s.end_time, true) : <span className="muted">not ended</span>}</dd>
          <dt>Time to first token</dt>
          <dd>{detail ? formatDuration(detail.time_to_first_token_ms) : '…'}</dd>
        </dl>
      </section>

      <section>
        <h3>Model and cost</h3>
        <dl className="kv">
          <dt>Model</dt>
          <dd>{s.model ?? '–'}</dd>
          <dt>Provider</dt>
          <dd>{detail ? (detail.provider ?? '–') : '…'}</dd>
          <dt>Input tokens</dt>
          <dd>{formatCount(s.input_tokens)}</dd>
          <dt>Output tokens</dt>
          <dd>{formatCount(s.output_tokens)}</dd>
          {detail?.cache_read_tokens != null ? (
            <>
              <dt>Cache read tokens</dt>
              <dd>{formatCount(detail.cache_read_tokens)}</dd>
            </>
          ) : null}
          {detail?.reasoning_tokens != null ? (
            <>
              <dt>Reasoning tokens</dt>
              <dd>{formatCount(detail.reasoning_tokens)}</dd>
            </>
          ) : null}
          <dt>Cost</dt>
          <dd>{formatCost(s.cost_usd)}</dd>
        </dl>
      </section>

      {s.error ? (
        <section className="step-error">
          <h3>Error</h3>
          <dl className="kv">
            <dt>Type</dt>
            <dd>{s.error.type ?? '–'}</dd>
            <dt>Code</dt>
            <dd>{s.error.code ?? '–'}</dd>
            {s.error.message ? (
              <>
                <dt>Message</dt>
                <dd className="pre-wrap">{s.error.message}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}

      {loading && !detail ? <Loading label="Loading step details…" /> : null}
      {error ? <ErrorBox error={error} retry={retry} /> : null}
      {detail ? (
        <>
          <section>
            <h3>Metadata</h3>
            <Metadata value={detail.metadata} />
          </section>
          <section>
            <h3>Events</h3>
            <Events events={detail.events ?? []} total={detail.event_count ?? null} stepStart={start} />
          </section>
          <section>
            <h3>Normalization</h3>
            {detail.normalization && Object.keys(detail.normalization).length ? (
              <dl className="kv normalization">
                {Object.entries(detail.normalization).map(([k, v]) => (
                  <div key={k} className="kv-pair">
                    <dt>{k}</dt>
                    <dd>
                      <code>{formatValue(v)}</code>
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">Fields were sent as they are; nothing was derived.</p>
            )}
          </section>
          <section>
            <h3>Content</h3>
            <Content label="Input" value={detail.input} policy={contentPolicy} />
            <Content label="Output" value={detail.output} policy={contentPolicy} />
          </section>
        </>
      ) : null}
    </aside>
  );
}

function Metadata({ value }: { value: unknown }) {
  if (value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0)) {
    return <p className="muted">none</p>;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return <pre className="content">{formatValue(value)}</pre>;
  return (
    <dl className="kv metadata">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k} className="kv-pair">
          <dt>{k}</dt>
          <dd className="pre-wrap">{formatValue(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Stream events as counts per name, then a compact list. */
function Events({ events, total, stepStart }: { events: StepEvent[]; total: number | null; stepStart: number | null }) {
  const [all, setAll] = useState(false);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const e of events) m.set(e.name, (m.get(e.name) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  }, [events]);
  if (events.length === 0) return <p className="muted">none</p>;
  const shown = all ? events : events.slice(0, EVENT_LIST_LIMIT);
  return (
    <div className="events">
      <div className="event-counts">
        <span className="muted">
          {total !== null && total > events.length ? `${formatCount(total)} events, ${formatCount(events.length)} returned:` : `${formatCount(events.length)} events:`}
        </span>
        {counts.map(([name, n]) => (
          <span key={name} className="chip">
            {name} ×{formatCount(n)}
          </span>
        ))}
      </div>
      <ol className="event-list">
        {shown.map((e, i) => {
          const t = parseTime(e.time);
          const attrs = e.attributes && typeof e.attributes === 'object' && Object.keys(e.attributes).length ? JSON.stringify(e.attributes) : '';
          return (
            <li key={i}>
              <span className="event-time">{t !== null && stepStart !== null ? `+${formatDuration(t - stepStart)}` : formatTime(e.time, true)}</span>
              <span className="event-name">{e.name}</span>
              {attrs ? <code className="event-attrs">{attrs}</code> : null}
            </li>
          );
        })}
      </ol>
      {events.length > shown.length ? (
        <button type="button" onClick={() => setAll(true)}>
          Show all {formatCount(events.length)} events
        </button>
      ) : null}
    </div>
  );
}

function Content({ label, value, policy }: { label: string; value: unknown; policy: string }) {
  const present = value !== null && value !== undefined;
  return (
    <div className="content-block">
      <div className="content-label">{label}</div>
      {present ? (
        <pre className="content">{formatValue(value)}</pre>
      ) : policy === 'metadata-only' ? (
        <p className="muted not-stored">not stored: project policy is metadata-only</p>
      ) : (
        <p className="muted not-stored">not recorded for this step</p>
      )}
    </div>
  );
}
