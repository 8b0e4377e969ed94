package dev.sextant.sdk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the waits it is asked for and returns at once. */
final class RecordingSleeper implements Sleeper {

  final List<Duration> waits = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(long nanos) {
    waits.add(Duration.ofNanos(nanos));
  }
}
