package dev.sextant.spring;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import java.util.Optional;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/** Runs {@link AgentRun} and {@link Step} methods inside a Sextant run or step. */
@Aspect
final class SextantAspect {

  private final Sextant sextant;

  SextantAspect(Sextant sextant) {
    this.sextant = sextant;
  }

  @Around("@annotation(agentRun)")
  Object agentRun(ProceedingJoinPoint call, AgentRun agentRun) throws Throwable {
    String name = agentRun.value().isEmpty() ? call.getSignature().getName() : agentRun.value();
    Optional<Run> current = Sextant.current().run();
    if (current.isPresent()) {
      return current.get().step("agent", name, step -> call.proceed());
    }
    return sextant.run(name, run -> call.proceed());
  }

  @Around("@annotation(step)")
  Object step(ProceedingJoinPoint call, Step step) throws Throwable {
    Optional<Run> current = Sextant.current().run();
    if (current.isEmpty()) {
      return call.proceed();
    }
    String name = step.name().isEmpty() ? call.getSignature().getName() : step.name();
    return current.get().step(step.type(), name, s -> call.proceed());
  }
}
