package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MpscQueueTest {

  @Test
  void capacity_isRoundedUpToAPowerOfTwo_andOfferFailsWhenFull() {
    MpscQueue<Integer> queue = new MpscQueue<>(5);
    assertThat(queue.capacity()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(queue.offer(i)).isTrue();
    }
    assertThat(queue.offer(8)).isFalse();
    assertThat(queue.size()).isEqualTo(8);
    assertThat(queue.poll()).isEqualTo(0);
    assertThat(queue.offer(8)).isTrue();
    for (int i = 1; i <= 8; i++) {
      assertThat(queue.poll()).isEqualTo(i);
    }
    assertThat(queue.poll()).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void concurrentProducers_everyAcceptedElementIsPolledOnce_inPerProducerOrder() throws Exception {
    MpscQueue<long[]> queue = new MpscQueue<>(1024);
    int producers = 4;
    int perProducer = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    long[] accepted = new long[producers];
    Thread[] threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads[p] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          if (queue.offer(new long[] {id, i})) {
            accepted[id]++;
          }
        }
      });
      threads[p].start();
    }
    start.countDown();
    long[] lastSeen = {-1, -1, -1, -1};
    long polled = 0;
    Set<Long> duplicates = new HashSet<>();
    boolean running = true;
    while (running) {
      running = false;
      for (Thread t : threads) {
        running |= t.isAlive();
      }
      long[] e;
      while ((e = queue.poll()) != null) {
        polled++;
        assertThat(e[1]).isGreaterThan(lastSeen[(int) e[0]]);
        lastSeen[(int) e[0]] = e[1];
      }
    }
    long total = 0;
    for (long a : accepted) {
      total += a;
    }
    assertThat(polled).isEqualTo(total);
    assertThat(duplicates).isEmpty();
  }
}
