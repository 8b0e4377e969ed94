package dev.sextant.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes each call of a Spring bean's method a step of the run current on the thread, of type
 * {@link #type()} and named {@link #name()} (default: the method's name). An exception the method
 * throws fails the step, with a failure type from the step type, and is rethrown unchanged. Called
 * outside any run, the method runs untraced.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {

  /** The step type: {@code tool}, {@code retrieval}, {@code plan}, {@code llm}, {@code chain}, … */
  String type() default "custom";

  /** The step's name; empty for the method's name. */
  String name() default "";
}
