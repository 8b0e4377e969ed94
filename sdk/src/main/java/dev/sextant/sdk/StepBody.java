package dev.sextant.sdk;

/**
 * Code that runs inside a step. Whatever it throws is recorded on the step and rethrown unchanged.
 *
 * @param <T> the result
 * @param <E> what it may throw; inferred, so lambdas that throw no checked exception need no handling
 */
@FunctionalInterface
public interface StepBody<T, E extends Throwable> {
  T apply(Step step) throws E;
}
