// Human-readable numbers. Every function accepts null/undefined and answers an en dash.

const DASH = '–';

/**
 * Parses an RFC 3339 time with up to nanosecond digits into epoch milliseconds (fractional). A double
 * holds today's epoch milliseconds to about a quarter of a microsecond, plenty for a waterfall.
 */
export function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (!m) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  const base = Date.parse(m[1] + (m[3] ?? 'Z'));
  if (Number.isNaN(base)) return null;
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return base + fraction;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${trim(ms.toFixed(2))} ms`;
  if (ms < 1000) return `${trim(ms.toFixed(ms < 100 ? 1 : 0))} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trim(s.toFixed(2))} s`;
  if (s < 60) return `${trim(s.toFixed(1))} s`;
  const totalSeconds = Math.round(s);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  if (h === 0) return `${m}m ${pad(sec)}s`;
  if (h < 24) return `${h}h ${pad(m)}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return DASH;
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  if (abs >= 100) return `$${Math.round(usd).toLocaleString('en-US')}`;
  if (abs >= 1) return `$${usd.toFixed(2)}`;
  if (abs >= 0.01) return `$${trim(usd.toFixed(3))}`;
  if (abs < 0.000001) return usd < 0 ? '>-$0.000001' : '<$0.000001';
  // Tiny per-call costs: keep two significant digits.
  return `$${trim(usd.toPrecision(2))}`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  const abs = Math.abs(n);
  if (abs < 10_000) return Math.round(n).toLocaleString('en-US');
  if (abs < 1_000_000) return `${trim((n / 1000).toFixed(abs < 100_000 ? 1 : 0))}k`;
  if (abs < 1_000_000_000) return `${trim((n / 1_000_000).toFixed(abs < 100_000_000 ? 1 : 0))}M`;
  return `${trim((n / 1_000_000_000).toFixed(1))}B`;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  const pct = ratio * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${pct < 0 ? '-' : ''}<0.1%`;
  return `${trim(pct.toFixed(digits))}%`;
}

export function formatTokens(input: number | null | undefined, output: number | null | undefined): string {
  if ((input ?? null) === null && (output ?? null) === null) return DASH;
  return `${formatCount(input ?? 0)} / ${formatCount(output ?? 0)}`;
}

/** Local wall-clock time, `2026-11-22 10:00:02.123`. */
export function formatTime(value: string | number | null | undefined, withMs = false): string {
  const t = typeof value === 'number' ? value : parseTime(value);
  if (t === null) return DASH;
  const d = new Date(t);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${date} ${time}.${String(d.getMilliseconds()).padStart(3, '0')}` : `${date} ${time}`;
}

/** `3 min ago`, `2 h ago`, `in 5 s`. */
export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  const t = parseTime(value);
  if (t === null) return DASH;
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  let text: string;
  if (abs < 5) return 'just now';
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.floor(abs / 3600)} h`;
  else text = `${Math.floor(abs / 86400)} d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** Shows JSON-ish values as plain text (never markup). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export function shortId(id: string | null | undefined, length = 8): string {
  if (!id) return DASH;
  return id.length > length + 1 ? `${id.slice(0, length)}…` : id;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
