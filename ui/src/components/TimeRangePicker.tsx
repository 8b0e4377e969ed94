import { useState } from 'react';
import { PRESETS, fromLocalInput, toLocalInput } from '../timerange';

export interface RangeValue {
  range: string | null;
  from: string | null;
  to: string | null;
}

/** Preset windows relative to now, or a custom absolute window. */
export function TimeRangePicker({ value, onChange }: { value: RangeValue; onChange: (v: RangeValue) => void }) {
  const custom = Boolean(value.from || value.to);
  const [editing, setEditing] = useState(custom);
  const selected = custom || editing ? 'custom' : (value.range ?? 'all');
  return (
    <div className="time-range">
      <label className="field">
        <span className="field-label">Time range</span>
        <select
          aria-label="Time range"
          value={selected}
          onChange={(e) => {
            if (e.target.value === 'custom') {
              setEditing(true);
              const now = Date.now();
              const preset = PRESETS.find((p) => p.value === value.range);
              onChange({ range: null, from: new Date(now - (preset?.ms ?? 86_400_000)).toISOString(), to: new Date(now).toISOString() });
            } else {
              setEditing(false);
              onChange({ range: e.target.value === 'all' ? null : e.target.value, from: null, to: null });
            }
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {selected === 'custom' ? (
        <>
          <label className="field">
            <span className="field-label">From</span>
            <input
              type="datetime-local"
              aria-label="From"
              value={toLocalInput(value.from ?? undefined)}
              onChange={(e) => onChange({ range: null, from: fromLocalInput(e.target.value) ?? null, to: value.to })}
            />
          </label>
          <label className="field">
            <span className="field-label">To</span>
            <input
              type="datetime-local"
              aria-label="To"
              value={toLocalInput(value.to ?? undefined)}
              onChange={(e) => onChange({ range: null, from: value.from, to: fromLocalInput(e.target.value) ?? null })}
            />
          </label>
        </>
      ) : null}
    </div>
  );
}

export function rangeFromSearch(search: URLSearchParams): RangeValue {
  return { range: search.get('range'), from: search.get('from'), to: search.get('to') };
}
