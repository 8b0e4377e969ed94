import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatTime } from '../format';

// Charts are plain SVG. Colours come from CSS classes (series-*), so they follow the theme.

const DEFAULT_W = 640;
const H = 200;
const M = { top: 10, right: 10, bottom: 24, left: 56 };

export interface Series {
  key: string;
  label: string;
  values: (number | null)[];
}

export interface TimeChartProps {
  title: string;
  times: number[];
  bucketMs: number;
  series: Series[];
  kind: 'line' | 'stacked';
  format: (v: number) => string;
  /** Fixed top of the y axis (e.g. 1 for ratios); otherwise from the data. */
  yMax?: number;
}

/** A time series chart: stacked bars per bucket, or one line per series. */
export function TimeChart({ title, times, bucketMs, series, kind, format, yMax }: TimeChartProps) {
  const ref = useRef<HTMLElement>(null);
  const W = useWidth(ref, DEFAULT_W);
  const n = times.length;
  const innerW = W - M.left - M.right;
  const innerH = H - M.top - M.bottom;
  let max = yMax ?? 0;
  if (yMax === undefined) {
    for (let i = 0; i < n; i++) {
      if (kind === 'stacked') max = Math.max(max, series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
      else for (const s of series) max = Math.max(max, s.values[i] ?? 0);
    }
    max = niceCeil(max);
  }
  const slot = n > 0 ? innerW / n : innerW;
  const x = (i: number) => M.left + i * slot;
  const y = (v: number) => M.top + innerH - (max > 0 ? (v / max) * innerH : 0);
  const empty = n === 0 || series.every((s) => s.values.every((v) => v === null || v === 0));
  const spanMs = n > 0 ? times[n - 1] + bucketMs - times[0] : 0;
  const label = (t: number) => (spanMs > 36 * 3_600_000 ? formatTime(t).slice(5, 16) : formatTime(t).slice(11, 16));
  const xTicks = n > 1 ? [0, Math.floor((n - 1) / 2), n - 1] : n === 1 ? [0] : [];

  return (
    <figure className="chart" ref={ref}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className={`chart-svg chart-${kind}`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f} className="grid">
            <line x1={M.left} x2={W - M.right} y1={y(max * f)} y2={y(max * f)} />
            <text x={M.left - 6} y={y(max * f) + 4} textAnchor="end">
              {format(max * f)}
            </text>
          </g>
        ))}
        {xTicks.map((i) => (
          <text key={i} className="x-label" x={x(i) + slot / 2} y={H - 6} textAnchor={i === 0 && n > 1 ? 'start' : i === n - 1 && n > 1 ? 'end' : 'middle'}>
            {label(times[i])}
          </text>
        ))}
        {kind === 'stacked'
          ? times.map((_, i) => {
              let acc = 0;
              return (
                <g key={i}>
                  {series.map((s) => {
                    const v = s.values[i] ?? 0;
                    if (v <= 0) return null;
                    const top = y(acc + v);
                    const h = y(acc) - top;
                    acc += v;
                    return <rect key={s.key} className={`series-${s.key}`} x={x(i) + slot * 0.1} width={Math.max(1, slot * 0.8)} y={top} height={Math.max(0.5, h)} />;
                  })}
                </g>
              );
            })
          : series.map((s) => {
              const d = linePath(s.values, (i) => x(i) + slot / 2, y);
              return d ? <path key={s.key} className={`line series-${s.key}`} d={d} /> : null;
            })}
        {kind === 'line'
          ? series.map((s) =>
              s.values.map((v, i) => (v !== null && n <= 120 ? <circle key={`${s.key}-${i}`} className={`dot series-${s.key}`} cx={x(i) + slot / 2} cy={y(v)} r={2} /> : null)),
            )
          : null}
        {times.map((t, i) => (
          <rect key={`hover-${i}`} className="hover-target" x={x(i)} y={M.top} width={slot} height={innerH}>
            <title>
              {`${formatTime(t)}\n` + series.map((s) => `${s.label}: ${s.values[i] === null ? '–' : format(s.values[i]!)}`).join('\n')}
            </title>
          </rect>
        ))}
        {empty ? (
          <text className="chart-empty" x={W / 2} y={H / 2} textAnchor="middle">
            no data in this range
          </text>
        ) : null}
      </svg>
      <Legend items={series.map((s) => ({ key: s.key, label: s.label }))} />
    </figure>
  );
}

/** The element's content width, so the SVG draws in real pixels and its text keeps its size. */
function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => {
      const w = Math.floor(el.clientWidth - 24);
      if (w > 100) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function linePath(values: (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

export function Legend({ items }: { items: { key: string; label: string }[] }) {
  return (
    <div className="legend">
      {items.map((i) => (
        <span key={i.key} className="legend-item">
          <span className={`swatch series-${i.key}`} aria-hidden="true" />
          {i.label}
        </span>
      ))}
    </div>
  );
}

/** Horizontal bars in HTML: one row per item, bar length relative to the largest value. */
export function BarList({ items, format, empty = 'none' }: { items: { key: string; label: ReactNode; value: number; cls?: string; extra?: ReactNode }[]; format: (v: number) => string; empty?: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  const max = Math.max(...items.map((i) => i.value), 0);
  return (
    <ul className="bar-list">
      {items.map((i) => (
        <li key={i.key}>
          <span className="bar-label">{i.label}</span>
          <span className="bar-track">
            <span className={`bar-fill ${i.cls ?? ''}`} style={{ width: `${max > 0 ? (i.value / max) * 100 : 0}%` }} />
          </span>
          <span className="bar-value">{format(i.value)}</span>
          {i.extra ? <span className="bar-extra">{i.extra}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** 1, 2, 2.5, 5 × 10^k at or above `v`. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) if (m * base >= v - 1e-12) return m * base;
  return 10 * base;
}
