import { describe, expect, it } from 'vitest';
import { ancestorKeys, buildTree, flatten, groupKey } from '../src/tree';
import { step } from './fixtures';

const names = (rows: ReturnType<typeof flatten>) => rows.map((r) => `${'  '.repeat(r.depth)}${r.node.kind === 'attempts' ? '↻' : ''}${r.node.key}`);

describe('buildTree', () => {
  it('nests children under parents and orders siblings by seq, whatever the input order', () => {
    const tree = buildTree([
      step('c', 3, { parent_step_id: 'a' }),
      step('a', 1),
      step('b', 2, { parent_step_id: 'a' }),
      step('d', 4),
    ]);
    expect(names(flatten(tree.roots, new Set()))).toEqual(['a', '  b', '  c', 'd']);
  });

  it('groups retries as attempts of one action where the first attempt was', () => {
    const tree = buildTree([
      step('root', 1, { type: 'agent' }),
      step('t1', 2, { parent_step_id: 'root', status: 'timeout', attempt: 1 }),
      step('t2', 3, { parent_step_id: 'root', status: 'timeout', attempt: 2, retry_of: 't1' }),
      step('t3', 4, { parent_step_id: 'root', status: 'ok', attempt: 3, retry_of: 't2' }),
      step('t3child', 5, { parent_step_id: 't3' }),
      step('after', 6, { parent_step_id: 'root' }),
    ]);
    expect(names(flatten(tree.roots, new Set()))).toEqual(['root', '  ↻attempts:t1', '    t1', '    t2', '    t3', '      t3child', '  after']);
    const group = tree.byKey.get(groupKey('t1'))!;
    expect(group.step.step_id).toBe('t3');
    expect(group.attempts!.map((a) => a.step_id)).toEqual(['t1', 't2', 't3']);
    expect(group.start).toBe(tree.byStepId.get('t1')!.start);
    expect(group.end).toBe(tree.byStepId.get('t3')!.end);
  });

  it('collapsing hides descendants; ancestors of a hidden step can be found to reveal it', () => {
    const tree = buildTree([step('a', 1), step('b', 2, { parent_step_id: 'a' }), step('c', 3, { parent_step_id: 'b' })]);
    expect(names(flatten(tree.roots, new Set(['a'])))).toEqual(['a']);
    expect(ancestorKeys(tree, 'c')).toEqual(['b', 'a']);
    const rows = flatten(tree.roots, new Set(['b']));
    expect(rows.find((r) => r.node.key === 'b')).toMatchObject({ hasChildren: true, expanded: false });
  });

  it('survives orphans, self-parents and parent cycles without losing a step', () => {
    const tree = buildTree([
      step('orphan', 1, { parent_step_id: 'missing' }),
      step('self', 2, { parent_step_id: 'self' }),
      step('x', 3, { parent_step_id: 'y' }),
      step('y', 4, { parent_step_id: 'x' }),
    ]);
    const keys = flatten(tree.roots, new Set()).map((r) => r.node.key);
    expect([...keys].sort()).toEqual(['orphan', 'self', 'x', 'y']);
  });

  it('spans the run from the first start to the last end', () => {
    const tree = buildTree([step('a', 1), step('b', 10)]);
    expect(tree.end! - tree.start!).toBe(950);
  });

  it('builds and flattens 5,000 steps quickly', () => {
    const steps = [step('root', 0, { type: 'agent' })];
    for (let i = 1; i < 5000; i++) steps.push(step(`s${i}`, i, { parent_step_id: i % 10 === 1 ? 'root' : `s${i - (i % 10) + 1}` }));
    const t = performance.now();
    const tree = buildTree(steps);
    const rows = flatten(tree.roots, new Set());
    expect(rows).toHaveLength(5000);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
