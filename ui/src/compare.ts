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
