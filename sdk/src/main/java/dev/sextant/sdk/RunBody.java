package dev.sextant.sdk;

/**
 * Code that runs inside a run. Whatever it throws marks the run as failed and is rethrown unchanged.
 *
 * @param <T> the result
 * @param <E> what it may throw
 */
@FunctionalInterface
public interface RunBody<T, E extends Throwable> {
  T apply(Run run) throws E;
}
