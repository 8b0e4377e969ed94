// Whether version B is better or worse than version A on one metric.

export type Verdict = 'better' | 'worse' | 'same' | 'n/a';

/** Differences smaller than this share of A's value read as the same. */
export const SAME_THRESHOLD = 0.05;

export function verdict(a: number | null | undefined, b: number | null | undefined, lowerIsBetter = true, threshold = SAME_THRESHOLD): Verdict {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return 'n/a';
  if (a === b) return 'same';
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale === 0 || Math.abs(b - a) / scale < threshold) return 'same';
  return (b < a) === lowerIsBetter ? 'better' : 'worse';
}

/** Relative change from A to B, or null when A is zero or missing. */
export function change(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || a === 0) return null;
  return (b - a) / Math.abs(a);
}

/** A p-value as people read it: two significant places, and no false precision near zero. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** A difference of two shares in percentage points, signed, without the unit. */
function points(d: number): string {
  const pts = d * 100;
  if (Math.abs(pts) < 0.05) return '0.0';
  return `${pts > 0 ? '+' : ''}${pts.toFixed(1)}`;
}

/** A difference of two shares in percentage points, signed. */
export function formatPoints(d: number): string {
  return `${points(d)} pts`;
}

/** "95% CI −1.2 to +5.0 pts" for an interval of a difference of shares, or null without one. */
export function formatInterval(low: number | null | undefined, high: number | null | undefined): string | null {
  if (low === null || low === undefined || high === null || high === undefined) return null;
  return `95% CI ${points(low)} to ${points(high)} pts`;
}
