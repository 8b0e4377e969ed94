package dev.sextant.sdk;

/**
 * The current run and step of each thread. Entries that ended on another thread are skipped lazily,
 * so a step closed elsewhere never stays current, and the chain is shortened whenever the top entry
 * closes.
 */
final class Contexts {

  private static final ThreadLocal<ScopeNode> CURRENT = new ThreadLocal<>();
  private static final int MAX_HOPS = 256;

  private Contexts() {}

  static ScopeNode top() {
    return live(CURRENT.get());
  }

  static void push(ScopeNode node) {
    node.previous = CURRENT.get();
    CURRENT.set(node);
  }

  /** Like {@link #push}, when the caller has just read the current entry. */
  static void push(ScopeNode node, ScopeNode current) {
    node.previous = current;
    CURRENT.set(node);
  }

  static ScopeNode raw() {
    return CURRENT.get();
  }

  /** Makes the live entry below {@code node} current, if {@code node} is current on this thread. */
  static void pop(ScopeNode node) {
    if (CURRENT.get() == node) {
      // set(null) rather than remove(): a removed entry is re-allocated on the next push
      CURRENT.set(live(node.previous));
    }
  }

  /** The innermost live step of {@code run} on this thread, or {@code null}. */
  static SpanStep currentStepOf(SpanRun run) {
    return stepOf(run, CURRENT.get());
  }

  /** The innermost live step of {@code run} in the chain starting at {@code node}, or {@code null}. */
  static SpanStep stepOf(SpanRun run, ScopeNode node) {
    for (int hops = 0; node != null && hops < MAX_HOPS; hops++) {
      if (node == run) {
        return null;
      }
      if (node instanceof SpanStep step && step.run == run && !step.isEnded()) {
        return step;
      }
      node = node.previous;
    }
    return null;
  }

  private static ScopeNode live(ScopeNode node) {
    for (int hops = 0; node != null && hops < MAX_HOPS; hops++) {
      if (!node.isEnded()) {
        return node;
      }
      node = node.previous;
    }
    return null;
  }
}
