import { parseTime } from './format';
import type { StepSummary } from './types';

/**
 * One node of the step tree: a step, or a group holding every attempt of one retried action.
 * Attempts are linked by `retry_of`; the group sits where the first attempt sits.
 */
export interface TreeNode {
  key: string;
  kind: 'step' | 'attempts';
  /** The step itself; for a group, its last attempt (whose outcome is the action's outcome). */
  step: StepSummary;
  attempts: StepSummary[] | null;
  children: TreeNode[];
  parent: TreeNode | null;
  /** Start and end in epoch milliseconds; a group spans all its attempts. */
  start: number | null;
  end: number | null;
  seq: number;
}

export interface StepTree {
  roots: TreeNode[];
  /** The node showing each step (for a retried step: its attempt node inside the group). */
  byStepId: Map<string, TreeNode>;
  byKey: Map<string, TreeNode>;
  start: number | null;
  end: number | null;
}

export interface Row {
  node: TreeNode;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
}

export function groupKey(rootStepId: string): string {
  return `attempts:${rootStepId}`;
}

export function buildTree(steps: StepSummary[]): StepTree {
  const ids = new Map<string, StepSummary>();
  for (const s of steps) ids.set(s.step_id, s);

  // Retry chains: every attempt maps to the first attempt of its chain.
  const chainRoot = new Map<string, string>();
  const rootOf = (s: StepSummary): string => {
    const known = chainRoot.get(s.step_id);
    if (known) return known;
    const seen = new Set<string>();
    let current = s;
    while (current.retry_of && ids.has(current.retry_of) && !seen.has(current.step_id)) {
      seen.add(current.step_id);
      current = ids.get(current.retry_of)!;
    }
    for (const id of seen) chainRoot.set(id, current.step_id);
    chainRoot.set(s.step_id, current.step_id);
    return current.step_id;
  };
  const chains = new Map<string, StepSummary[]>();
  for (const s of steps) {
    if (!s.retry_of || !ids.has(s.retry_of)) continue;
    const root = rootOf(s);
    if (!chains.has(root)) chains.set(root, [ids.get(root)!]);
    chains.get(root)!.push(s);
  }

  const byStepId = new Map<string, TreeNode>();
  const byKey = new Map<string, TreeNode>();
  const makeStepNode = (s: StepSummary): TreeNode => {
    const node: TreeNode = {
      key: s.step_id,
      kind: 'step',
      step: s,
      attempts: null,
      children: [],
      parent: null,
      start: parseTime(s.start_time),
      end: endOf(s),
      seq: s.seq,
    };
    byStepId.set(s.step_id, node);
    byKey.set(node.key, node);
    return node;
  };
  for (const s of steps) makeStepNode(s);

  // Group nodes replace the first attempt in its parent; attempts become the group's children.
  const groupOf = new Map<string, TreeNode>();
  for (const [rootId, members] of chains) {
    const attempts = [...members].sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0) || a.seq - b.seq);
    const nodes = attempts.map((a) => byStepId.get(a.step_id)!);
    const starts = nodes.map((n) => n.start).filter((v): v is number => v !== null);
    const ends = nodes.map((n) => n.end).filter((v): v is number => v !== null);
    const group: TreeNode = {
      key: groupKey(rootId),
      kind: 'attempts',
      step: attempts[attempts.length - 1],
      attempts,
      children: nodes,
      parent: null,
      start: starts.length ? Math.min(...starts) : null,
      end: ends.length ? Math.max(...ends) : null,
      seq: ids.get(rootId)!.seq,
    };
    for (const n of nodes) n.parent = group;
    byKey.set(group.key, group);
    for (const a of attempts) groupOf.set(a.step_id, group);
  }

  const roots: TreeNode[] = [];
  const placed = new Set<TreeNode>();
  for (const s of steps) {
    const group = groupOf.get(s.step_id);
    let node: TreeNode;
    if (group) {
      // Only the first attempt places the group; the group takes the first attempt's parent.
      if (group.attempts![0].step_id !== s.step_id) continue;
      node = group;
    } else {
      node = byStepId.get(s.step_id)!;
    }
    const parentId = s.parent_step_id;
    const parent = parentId && parentId !== s.step_id ? byStepId.get(parentId) : undefined;
    if (parent && !isWithin(parent, node)) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
    placed.add(node);
  }
  const bySeq = (a: TreeNode, b: TreeNode) => a.seq - b.seq;
  roots.sort(bySeq);
  for (const node of byKey.values()) if (node.kind === 'step') node.children.sort(bySeq);

  // Steps caught in a parent cycle would never be reached from a root: show them at the top level.
  const reached = new Set<TreeNode>();
  walk(roots, (n) => reached.add(n));
  for (const n of placed) {
    if (!reached.has(n)) {
      if (n.parent) n.parent.children = n.parent.children.filter((c) => c !== n);
      n.parent = null;
      roots.push(n);
      walk([n], (m) => reached.add(m));
    }
  }

  let start: number | null = null;
  let end: number | null = null;
  for (const node of byStepId.values()) {
    if (node.start !== null) start = start === null ? node.start : Math.min(start, node.start);
    const e = node.end ?? node.start;
    if (e !== null) end = end === null ? e : Math.max(end, e);
  }
  return { roots, byStepId, byKey, start, end };
}

/** True when `candidate` is `node` or one of its descendants (a parent link must not make a cycle). */
function isWithin(candidate: TreeNode, node: TreeNode): boolean {
  for (let n: TreeNode | null = candidate; n; n = n.parent) if (n === node) return true;
  return false;
}

function walk(nodes: TreeNode[], visit: (n: TreeNode) => void): void {
  const stack = [...nodes].reverse();
  const seen = new Set<TreeNode>();
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    visit(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

function endOf(s: StepSummary): number | null {
  const end = parseTime(s.end_time);
  if (end !== null) return end;
  const start = parseTime(s.start_time);
  if (start !== null && s.duration_ms !== null && s.duration_ms !== undefined) return start + s.duration_ms;
  return null;
}

/** The visible rows, depth first in seq order, skipping the children of collapsed nodes. */
export function flatten(roots: TreeNode[], collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const stack: { node: TreeNode; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i], depth: 0 });
  const seen = new Set<TreeNode>();
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const hasChildren = node.children.length > 0;
    const expanded = hasChildren && !collapsed.has(node.key);
    rows.push({ node, depth, hasChildren, expanded });
    if (expanded) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], depth: depth + 1 });
  }
  return rows;
}

/** Keys of the collapsed nodes that hide `stepId`, so that expanding them reveals it. */
export function ancestorKeys(tree: StepTree, stepId: string): string[] {
  const keys: string[] = [];
  let n = tree.byStepId.get(stepId)?.parent ?? null;
  while (n) {
    keys.push(n.key);
    n = n.parent;
  }
  return keys;
}
