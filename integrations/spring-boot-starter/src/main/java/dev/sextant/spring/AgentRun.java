package dev.sextant.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes each call of a Spring bean's method a Sextant run, named {@link #value()} (default: the
 * method's name). Called while a run is already current on the thread, it becomes an {@code agent}
 * step of that run instead. An exception the method throws fails the run and is rethrown unchanged;
 * Spring AI calls and {@link Step} methods inside it nest under it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AgentRun {

  /** The run's name; empty for the method's name. */
  String value() default "";
}
