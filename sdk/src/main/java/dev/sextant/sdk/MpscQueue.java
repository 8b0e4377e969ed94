package dev.sextant.sdk;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free queue for many producers and one consumer at a time. A producer claims a slot
 * with one CAS on the producer index and then publishes the element into it; {@code offer} fails
 * instead of waiting when the queue is full. The consumer frees a slot before advancing its index, so
 * a producer that sees the index advanced also sees the slot empty. Consumers must be serialised by
 * the caller.
 */
final class MpscQueue<E> {

  private final AtomicReferenceArray<E> slots;
  private final int mask;
  private final int capacity;
  private final AtomicLong producerIndex = new PaddedAtomicLong();
  private final AtomicLong consumerIndex = new PaddedAtomicLong();
  /** A producers' cache of {@code consumerIndex + capacity}; stale values are only ever too small. */
  private volatile long producerLimit;

  MpscQueue(int requestedCapacity) {
    int capacity = 1;
    while (capacity < requestedCapacity && capacity < (1 << 30)) {
      capacity <<= 1;
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.slots = new AtomicReferenceArray<>(capacity);
    this.producerLimit = capacity;
  }

  int capacity() {
    return capacity;
  }

  boolean offer(E element) {
    long limit = producerLimit;
    while (true) {
      long p = producerIndex.get();
      if (p >= limit) {
        limit = consumerIndex.get() + capacity;
        if (p >= limit) {
          return false;
        }
        producerLimit = limit;
      }
      if (producerIndex.compareAndSet(p, p + 1)) {
        slots.lazySet((int) p & mask, element);
        return true;
      }
    }
  }

  /** The next element, or {@code null} when the queue is empty. Single consumer only. */
  E poll() {
    long c = consumerIndex.get();
    int index = (int) c & mask;
    E element = slots.get(index);
    if (element == null) {
      if (c == producerIndex.get()) {
        return null;
      }
      // a producer claimed the slot and is about to publish into it
      do {
        Thread.onSpinWait();
        element = slots.get(index);
      } while (element == null);
    }
    slots.lazySet(index, null);
    consumerIndex.lazySet(c + 1);
    return element;
  }

  /**
   * The newest queued element that {@code match} accepts, looking from the newest to the oldest, or
   * {@code null}. Consumer side only: the caller must exclude {@link #poll()} meanwhile. Elements
   * still being published by their producer are skipped.
   */
  E findNewest(java.util.function.Predicate<? super E> match) {
    long c = consumerIndex.get();
    for (long i = producerIndex.get() - 1; i >= c; i--) {
      E element = slots.get((int) i & mask);
      if (element != null && match.test(element)) {
        return element;
      }
    }
    return null;
  }

  /** Elements ever accepted. */
  long offered() {
    return producerIndex.get();
  }

  int size() {
    long c = consumerIndex.get();
    long p = producerIndex.get();
    long size = p - c;
    return (int) Math.max(0, Math.min(capacity, size));
  }

  /** Keeps the two indices on different cache lines, so producers and the consumer do not contend. */
  @SuppressWarnings("unused")
  private static final class PaddedAtomicLong extends AtomicLong {
    long p1, p2, p3, p4, p5, p6, p7;
  }
}
