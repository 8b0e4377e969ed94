package dev.sextant.sdk;

/**
 * The current run and step of each thread. Entries that ended on another thread are skipped lazily,
 * so a step closed elsewhere never stays current, and the chain is shortened whenever the top entry
 * closes.
 *
 * <p>Each thread has one {@link Slot}, looked up once when an entry is pushed; the entry remembers
 * it, so popping on the same thread costs no thread-local lookup at all, and a pop on any other thread
 * is recognised by the slot's owner and leaves the chain alone.
 */
final class Contexts {

  private static final ThreadLocal<Slot> CURRENT = ThreadLocal.withInitial(Slot::new);
  private static final int MAX_HOPS = 256;

  private Contexts() {}

  /** A thread's current entry. Only the owning thread reads or writes {@link #top}. */
  static final class Slot {
    final Thread owner = Thread.currentThread();
    ScopeNode top;

    /** Makes {@code node} current; {@code current} is what {@link #top} holds now. */
    void push(ScopeNode node, ScopeNode current) {
      node.previous = current;
      node.slot = this;
      top = node;
      LogCorrelation.show(node);
    }
  }

  /** The calling thread's slot. */
  static Slot slot() {
    return CURRENT.get();
  }

  static ScopeNode top() {
    return live(CURRENT.get().top);
  }

  static void push(ScopeNode node) {
    Slot slot = CURRENT.get();
    slot.push(node, slot.top);
  }

  /** Makes the live entry below {@code node} current, if {@code node} is current on this thread. */
  static void pop(ScopeNode node) {
    Slot slot = node.slot;
    if (slot != null && slot.owner == Thread.currentThread() && slot.top == node) {
      slot.top = live(node.previous);
      LogCorrelation.show(slot.top);
    }
  }

  /** The innermost live step of {@code run} on this thread, or {@code null}. */
  static SpanStep currentStepOf(SpanRun run) {
    return stepOf(run, CURRENT.get().top);
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
