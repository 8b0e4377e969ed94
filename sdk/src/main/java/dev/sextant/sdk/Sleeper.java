package dev.sextant.sdk;

/** How the SDK waits between export attempts and retries; tests record the waits instead. */
interface Sleeper {

  void sleep(long nanos) throws InterruptedException;

  Sleeper SYSTEM = nanos -> {
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }
  };
}
