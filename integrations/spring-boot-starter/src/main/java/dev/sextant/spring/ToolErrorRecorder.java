package dev.sextant.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Spring AI hands a tool's exception to the {@link ToolExecutionExceptionProcessor} inside the tool's
 * observation, which itself never sees it. This wraps the processor bean so the exception fails the
 * tool's step first; what the processor then does (return the message to the model, or rethrow) is
 * unchanged.
 */
final class ToolErrorRecorder implements BeanPostProcessor {

  private final ObjectProvider<ObservationRegistry> registry;

  ToolErrorRecorder(ObjectProvider<ObservationRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ToolExecutionExceptionProcessor processor && !(bean instanceof Recording)) {
      return new Recording(processor, registry);
    }
    return bean;
  }

  private record Recording(ToolExecutionExceptionProcessor delegate, ObjectProvider<ObservationRegistry> registry)
      implements ToolExecutionExceptionProcessor {

    @Override
    public String process(ToolExecutionException exception) {
      try {
        ObservationRegistry r = registry.getIfUnique();
        Observation current = r == null ? null : r.getCurrentObservation();
        Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
        SextantObservationHandler.toolFailed(current == null ? null : current.getContext(), cause);
      } catch (RuntimeException e) {
        // never fail the tool call
      }
      return delegate.process(exception);
    }
  }
}
