// Time ranges as they appear in the URL: `range=24h` (relative to now) or `from=…&to=…` (absolute).

export const PRESETS: { value: string; label: string; ms: number | null }[] = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time', ms: null },
];

export interface ResolvedRange {
  from: string | undefined;
  to: string | undefined;
}

/** The `from`/`to` query parameters for the API, computed against `now`. */
export function resolveRange(search: URLSearchParams, now = Date.now()): ResolvedRange {
  const from = search.get('from') ?? undefined;
  const to = search.get('to') ?? undefined;
  if (from || to) return { from, to };
  const preset = PRESETS.find((p) => p.value === search.get('range'));
  if (!preset || preset.ms === null) return { from: undefined, to: undefined };
  return { from: new Date(now - preset.ms).toISOString(), to: undefined };
}

/** `2026-11-22T10:00` for a datetime-local input, in local time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
