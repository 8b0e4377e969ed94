import { useEffect, useState } from 'react';
import type { accessApi } from '../api';
import type { AuditEvent } from '../types';

interface Filter {
  actor: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { actor: '', action: '', from: '', to: '' };

/** A `datetime-local` value (local time) as ISO 8601 UTC, or undefined when empty. */
function iso(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** The project's audit log with filters by actor, action and time range (GET /v1/audit). */
export function AuditLog({ api, onError }: { api: ReturnType<typeof accessApi>; onError: (e: unknown) => void }) {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);

  useEffect(() => {
    api
      .audit({ limit: 100, actor: filter.actor || undefined, action: filter.action || undefined, from: iso(filter.from), to: iso(filter.to) })
      .then((r) => setEvents(r.events), onError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, filter]);

  const field = (key: keyof Filter, label: string, type = 'text') => (
    <label>
      <span className="muted">{label}</span>
      <input type={type} aria-label={`Audit ${label}`} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );

  return (
    <section aria-label="Audit log">
      <h2>Audit log</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        {field('actor', 'actor')}
        {field('action', 'action')}
        {field('from', 'from', 'datetime-local')}
        {field('to', 'to', 'datetime-local')}
        <button type="submit">Filter</button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY);
            setFilter(EMPTY);
          }}
        >
          Clear
        </button>
      </form>
      {events !== null && events.length === 0 ? <p className="muted">No audit events match.</p> : null}
      <table className="table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Who</th>
            <th>What</th>
            <th>Target</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {(events ?? []).map((e) => (
            <tr key={e.id}>
              <td>{e.time}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.target ?? ''}</td>
              <td>{e.address ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
