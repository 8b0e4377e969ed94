package dev.sextant.sdk;

/**
 * A run or step as an entry of a thread's current-context chain. Each entry is pushed once, on the
 * thread that started it, and remembers what was current there before, so the chain is a stack per
 * thread without any extra allocation.
 */
abstract class ScopeNode {

  /** What was current on the starting thread before this entry; only that thread reads it. */
  ScopeNode previous;

  /** The starting thread's context slot; set once, when the entry is pushed. */
  Contexts.Slot slot;

  /** True once this entry no longer counts as current: it ended, or its run did. */
  abstract boolean isEnded();
}
