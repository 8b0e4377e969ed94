package dev.sextant.sdk;

import java.util.concurrent.atomic.LongAdder;

/** The self-statistics behind {@link Stats}; adders, because many threads produce at once. */
final class Counters {
  final LongAdder produced = new LongAdder();
  final LongAdder exported = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder eventsDropped = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder internalErrors = new LongAdder();

  long settled() {
    return exported.sum() + dropped.sum() + failed.sum();
  }
}
