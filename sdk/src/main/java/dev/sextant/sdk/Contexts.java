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

  /** Makes the live entry below {@code node} current, if {@code node} is current on this thread. */
  static void pop(ScopeNode node) {
    if (CURRENT.get() == node) {
      ScopeNode below = live(node.previous);
      if (below == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(below);
      }
    }
  }

  /** The innermost live step of {@code run} on this thread, or {@code null}. */
  static SpanStep currentStepOf(SpanRun run) {
    ScopeNode node = CURRENT.get();
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
