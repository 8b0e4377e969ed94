import { fireEvent, render, screen } from '@testing-library/react';
import { useMemo, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { StepTree } from '../src/components/StepTree';
import { buildTree, flatten } from '../src/tree';
import type { StepSummary } from '../src/types';
import { step } from './fixtures';

function Harness({ steps, failing = null, onSelect }: { steps: StepSummary[]; failing?: string | null; onSelect?: (k: string) => void }) {
  const tree = useMemo(() => buildTree(steps), [steps]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const rows = useMemo(() => flatten(tree.roots, collapsed), [tree, collapsed]);
  return (
    <StepTree
      tree={tree}
      rows={rows}
      selectedKey={selected}
      failingStepId={failing}
      onSelect={(k) => {
        setSelected(k);
        onSelect?.(k);
      }}
      onToggle={(k, expand) =>
        setCollapsed((prev) => {
          const next = new Set(prev);
          if (expand === true || (expand === undefined && next.has(k))) next.delete(k);
          else next.add(k);
          return next;
        })
      }
    />
  );
}

const small = [
  step('root', 1, { type: 'agent', name: 'handle_request' }),
  step('plan', 2, { parent_step_id: 'root', type: 'plan', name: 'analyze_query' }),
  step('t1', 3, { parent_step_id: 'root', name: 'billing_api', status: 'timeout', attempt: 1 }),
  step('t2', 4, { parent_step_id: 'root', name: 'billing_api', status: 'timeout', attempt: 2, retry_of: 't1' }),
  step('answer', 5, { parent_step_id: 'root', type: 'llm', name: 'draft_answer' }),
];

describe('StepTree', () => {
  it('renders steps in seq order with nesting levels and a bar each on the shared axis', () => {
    render(<Harness steps={small} />);
    const items = screen.getAllByRole('treeitem');
    expect(items.map((i) => i.getAttribute('data-key'))).toEqual(['root', 'plan', 'attempts:t1', 't1', 't2', 'answer']);
    expect(items.map((i) => i.getAttribute('aria-level'))).toEqual(['1', '2', '2', '3', '3', '2']);
    const rootBar = items[0].querySelector('.bar') as HTMLElement;
    expect(rootBar.style.left).toBe('0%');
    const answerBar = items[5].querySelector('.bar') as HTMLElement;
    expect(parseFloat(answerBar.style.left)).toBeGreaterThan(50);
  });

  it('groups retries and marks the attempts', () => {
    render(<Harness steps={small} />);
    expect(screen.getByText('2 attempts · final timeout')).toBeTruthy();
    expect(screen.getByText('attempt 1')).toBeTruthy();
    expect(screen.getByText('attempt 2')).toBeTruthy();
  });

  it('highlights the failing step in the tree and in the timeline', () => {
    render(<Harness steps={small} failing="t2" />);
    const row = document.querySelector('[data-key="t2"]')!;
    expect(row.classList.contains('failing')).toBe(true);
    expect(row.querySelector('.bar')!.classList.contains('failing')).toBe(true);
    expect(document.querySelector('[data-key="attempts:t1"]')!.classList.contains('contains-failing')).toBe(true);
    // the failing row, its bar, and its segment in the attempts group's bar; nothing else
    expect([...document.querySelectorAll('.failing')].map((e) => e.getAttribute('data-key') ?? e.getAttribute('data-bar-for'))).toEqual(['t2', 't2', 't2']);
  });

  it('moves with the keyboard: down, right/left to collapse and expand, End/Home', () => {
    const onSelect = vi.fn();
    render(<Harness steps={small} onSelect={onSelect} />);
    const tree = screen.getByRole('tree');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('root');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith('plan');
    expect(tree.getAttribute('aria-activedescendant')).toBe('step-row-plan');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(onSelect).toHaveBeenLastCalledWith('root');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(1);
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(6);
    fireEvent.keyDown(tree, { key: 'End' });
    expect(onSelect).toHaveBeenLastCalledWith('answer');
    fireEvent.keyDown(tree, { key: 'Home' });
    expect(onSelect).toHaveBeenLastCalledWith('root');
  });

  it('renders only the rows in view of a 5,000-step run, and the rows further down after scrolling', () => {
    const steps = [step('root', 0, { type: 'agent' })];
    for (let i = 1; i < 5000; i++) steps.push(step(`s${i}`, i, { parent_step_id: 'root' }));
    render(<Harness steps={steps} />);
    const tree = screen.getByRole('tree');
    expect(tree.getAttribute('data-row-count')).toBe('5000');
    const rendered = screen.getAllByRole('treeitem').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);
    tree.scrollTop = 4990 * 28;
    fireEvent.scroll(tree);
    expect(document.querySelector('[data-key="s4999"]')).not.toBeNull();
    expect(document.querySelector('[data-key="s1"]')).toBeNull();
  });
});
