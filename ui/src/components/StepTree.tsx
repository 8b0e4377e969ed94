import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatDuration } from '../format';
import type { Row, StepTree as Tree, TreeNode } from '../tree';

export const ROW_HEIGHT = 28;
const OVERSCAN = 12;
/** Used when the viewport cannot be measured (no layout, as in tests). */
const FALLBACK_HEIGHT = 600;

export interface StepTreeProps {
  tree: Tree;
  rows: Row[];
  selectedKey: string | null;
  failingStepId: string | null;
  onSelect: (key: string) => void;
  onToggle: (key: string, expand?: boolean) => void;
  /** Bumped to ask the tree to scroll the selected row into view. */
  revealToken?: number;
}

/**
 * The step tree and the waterfall as one virtualised list: each row is one step (or one group of
 * retry attempts) with its bar on a time axis shared by the whole run. Only the rows in view are
 * in the DOM, so a run with thousands of steps scrolls as smoothly as one with ten.
 */
export function StepTree({ tree, rows, selectedKey, failingStepId, onSelect, onToggle, revealToken }: StepTreeProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return undefined;
    const measure = () => setHeight(el.clientHeight || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((r) => r.node.key === selectedKey);

  // Keep the selected row in view when it changes or when asked to reveal it.
  useEffect(() => {
    const el = viewport.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    const view = el.clientHeight || height;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + view) el.scrollTop = top + ROW_HEIGHT - view;
    setScrollTop(el.scrollTop);
  }, [selectedIndex, revealToken]); // not on resize: that would undo the user's own scrolling

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const t0 = tree.start ?? 0;
  const span = Math.max((tree.end ?? t0) - t0, 0.001);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (rows.length === 0) return;
      const index = selectedIndex < 0 ? 0 : selectedIndex;
      const row = rows[index];
      const page = Math.max(1, Math.floor((viewport.current?.clientHeight || height) / ROW_HEIGHT) - 2);
      const go = (i: number) => onSelect(rows[Math.max(0, Math.min(rows.length - 1, i))].node.key);
      switch (e.key) {
        case 'ArrowDown':
        case 'j':
          go(selectedIndex < 0 ? 0 : index + 1);
          break;
        case 'ArrowUp':
        case 'k':
          go(index - 1);
          break;
        case 'PageDown':
          go(index + page);
          break;
        case 'PageUp':
          go(index - page);
          break;
        case 'Home':
          go(0);
          break;
        case 'End':
          go(rows.length - 1);
          break;
        case 'ArrowRight':
        case 'l':
          if (row.hasChildren && !row.expanded) onToggle(row.node.key, true);
          else if (row.hasChildren) go(index + 1);
          break;
        case 'ArrowLeft':
        case 'h':
          if (row.hasChildren && row.expanded) onToggle(row.node.key, false);
          else if (row.node.parent) onSelect(row.node.parent.key);
          break;
        case 'Enter':
        case ' ':
          if (row.hasChildren) onToggle(row.node.key);
          else onSelect(row.node.key);
          break;
        default:
          return;
      }
      e.preventDefault();
    },
    [rows, selectedIndex, height, onSelect, onToggle],
  );

  const activeId = selectedIndex >= 0 ? rowId(rows[selectedIndex].node.key) : undefined;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="step-tree">
      <div className="tree-header" aria-hidden="true">
        <div className="tree-cell">Step</div>
        <div className="timeline-cell axis">
          {ticks.map((t) => (
            <span key={t} className={`tick${t === 1 ? ' last' : ''}`} style={{ left: `${t * 100}%` }}>
              {formatDuration(t * span)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={viewport}
        className="tree-viewport"
        role="tree"
        aria-label="Steps"
        aria-activedescendant={activeId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-row-count={rows.length}
      >
        <div className="tree-canvas" style={{ height: rows.length * ROW_HEIGHT }}>
          {rows.slice(first, last).map((row, i) => (
            <StepRow
              key={row.node.key}
              row={row}
              index={first + i}
              selected={row.node.key === selectedKey}
              failingStepId={failingStepId}
              t0={t0}
              span={span}
              onSelect={onSelect}
              onToggle={onToggle}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

export function rowId(key: string): string {
  return `step-row-${key}`;
}

function containsFailing(node: TreeNode, failingStepId: string | null): boolean {
  return failingStepId !== null && node.kind === 'attempts' && node.attempts!.some((a) => a.step_id === failingStepId);
}

const StepRow = memo(function StepRow({
  row,
  index,
  selected,
  failingStepId,
  t0,
  span,
  onSelect,
  onToggle,
}: {
  row: Row;
  index: number;
  selected: boolean;
  failingStepId: string | null;
  t0: number;
  span: number;
  onSelect: (key: string) => void;
  onToggle: (key: string, expand?: boolean) => void;
}) {
  const { node, depth, hasChildren, expanded } = row;
  const step = node.step;
  const failing = node.kind === 'step' && step.step_id === failingStepId;
  const errored = step.status !== 'ok' && step.status !== 'running' && Boolean(step.status);
  const classes = ['tree-row', `type-${cssToken(step.type)}`];
  if (selected) classes.push('selected');
  if (failing) classes.push('failing');
  if (containsFailing(node, failingStepId)) classes.push('contains-failing');
  if (errored) classes.push('errored');
  if (node.kind === 'attempts') classes.push('attempts-group');
  const attemptNo = node.kind === 'step' && node.parent?.kind === 'attempts' ? node.parent.attempts!.findIndex((a) => a.step_id === step.step_id) + 1 : 0;
  const duration = node.start !== null && node.end !== null ? node.end - node.start : step.duration_ms;

  return (
    <div
      id={rowId(node.key)}
      className={classes.join(' ')}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? expanded : undefined}
      data-step-id={node.kind === 'step' ? step.step_id : undefined}
      data-key={node.key}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onSelect(node.key)}
    >
      <div className="tree-cell" style={{ paddingLeft: 6 + depth * 16 }}>
        {hasChildren ? (
          <button
            type="button"
            tabIndex={-1}
            className="twisty"
            aria-label={expanded ? 'Collapse' : 'Expand'}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(node.key);
            }}
          >
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty-space" />
        )}
        {node.kind === 'attempts' ? (
          <>
            <span className="retry-mark" title="retried action">
              ↻
            </span>
            <span className="step-name">{step.name || step.type}</span>
            <span className="attempt-count">
              {node.attempts!.length} attempts · {step.status === 'ok' ? 'succeeded' : `final ${step.status}`}
            </span>
          </>
        ) : (
          <>
            <span className={`type-badge type-${cssToken(step.type)}`}>{step.type}</span>
            <span className="step-name">{attemptNo ? `attempt ${attemptNo}` : step.name || '(unnamed)'}</span>
            {attemptNo ? <span className="muted attempt-name">{step.name}</span> : null}
          </>
        )}
        {failing ? (
          <span className="failing-mark" title="this step caused the run's failure">
            ⚠ failure
          </span>
        ) : errored && node.kind === 'step' ? (
          <span className={`status-mark status-${cssToken(step.status)}`}>{step.status}</span>
        ) : null}
        <span className="row-duration">{formatDuration(duration)}</span>
      </div>
      <div className="timeline-cell">
        {node.kind === 'attempts' ? (
          node.children.map((a) => <Bar key={a.key} node={a} t0={t0} span={span} failing={a.step.step_id === failingStepId} />)
        ) : (
          <Bar node={node} t0={t0} span={span} failing={failing} />
        )}
      </div>
    </div>
  );
});

function Bar({ node, t0, span, failing }: { node: TreeNode; t0: number; span: number; failing: boolean }) {
  if (node.start === null) return null;
  const left = ((node.start - t0) / span) * 100;
  const end = node.end ?? node.start;
  const width = ((end - node.start) / span) * 100;
  const s = node.step;
  const classes = ['bar', `type-${cssToken(s.type)}`, `status-${cssToken(s.status)}`];
  if (failing) classes.push('failing');
  if (node.end === null) classes.push('open');
  return (
    <span
      className={classes.join(' ')}
      data-bar-for={s.step_id}
      style={{ left: `${Math.max(0, Math.min(100, left))}%`, width: `${Math.max(0, Math.min(100 - left, width))}%` }}
      title={`${s.name ?? s.type}: ${formatDuration(end - node.start)}`}
    />
  );
}

export function cssToken(value: string | null | undefined): string {
  return (value ?? 'unknown').toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'unknown';
}
