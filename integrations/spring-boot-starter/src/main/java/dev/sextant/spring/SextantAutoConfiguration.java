package dev.sextant.spring;

import dev.sextant.sdk.Sextant;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of the Sextant starter: the SDK as a {@link Sextant} bean built from the
 * {@code sextant.*} properties, Spring AI's observations traced as runs and steps, and the {@link
 * AgentRun} and {@link Step} annotations.
 *
 * <p>Spring AI reports its calls through a Micrometer {@link ObservationRegistry}. When the
 * application has one (Spring Boot's, with or without Actuator, or its own), the Sextant handler is
 * added to it next to whatever handlers it already has; when it has none, this configuration
 * provides one holding only the Sextant handler, which turns Spring AI's observations on for Sextant
 * alone.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@EnableConfigurationProperties(SextantProperties.class)
public class SextantAutoConfiguration {

  private static final String PREFIX = "org.springframework.ai.";

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Sextant sextant(SextantProperties properties, Environment environment) {
    Sextant.Builder builder = Sextant.builder().shutdownHook(false);
    String agent = properties.agent() != null ? properties.agent() : environment.getProperty("spring.application.name");
    if (agent != null) {
      builder.agent(agent);
    }
    if (properties.version() != null) {
      builder.agentVersion(properties.version());
    }
    if (properties.environment() != null) {
      builder.environment(properties.environment());
    }
    if (properties.endpoint() != null) {
      builder.endpoint(properties.endpoint());
    }
    if (properties.apiKey() != null) {
      builder.apiKey(properties.apiKey());
    }
    if (properties.mode() != null) {
      builder.mode(mode(properties.mode()));
    }
    if (properties.captureContent() != null) {
      builder.captureContent(properties.captureContent());
    }
    if (properties.enabled() != null) {
      builder.disabled(!properties.enabled());
    }
    return builder.build();
  }

  static Sextant.Mode mode(String mode) {
    try {
      return Sextant.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sextant.mode must be 'async' or 'inline', got '" + mode + "'");
    }
  }

  /** Adds the Sextant handler to every observation registry of the context, Spring AI's included. */
  @Bean
  static BeanPostProcessor sextantObservationRegistryPostProcessor(ObjectProvider<Sextant> sextant) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ObservationRegistry registry && registry != ObservationRegistry.NOOP) {
          registry.observationConfig().observationHandler(new SextantObservationHandler(sextant.getObject(), kinds()));
        }
        return bean;
      }
    };
  }

  /** The observation kinds of the Spring AI modules on the class path. */
  static Map<String, StepKind> kinds() {
    ClassLoader loader = SextantAutoConfiguration.class.getClassLoader();
    Map<String, StepKind> kinds = new HashMap<>();
    if (ClassUtils.isPresent(PREFIX + "chat.observation.ChatModelObservationContext", loader)) {
      kinds.putAll(ModelKinds.all());
    }
    if (ClassUtils.isPresent(PREFIX + "chat.client.observation.ChatClientObservationContext", loader)) {
      kinds.putAll(ClientKinds.all());
    }
    if (ClassUtils.isPresent(PREFIX + "vectorstore.observation.VectorStoreObservationContext", loader)) {
      kinds.putAll(VectorStoreKind.all());
    }
    return Map.copyOf(kinds);
  }

  /** An observation registry for Spring AI when the application has none. */
  @Bean
  @ConditionalOnMissingBean
  ObservationRegistry sextantObservationRegistry() {
    return ObservationRegistry.create();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = PREFIX + "tool.execution.ToolExecutionExceptionProcessor")
  static class ToolErrors {

    @Bean
    static BeanPostProcessor sextantToolErrorRecorder(ObjectProvider<ObservationRegistry> registry) {
      return new ToolErrorRecorder(registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.aspectj.lang.annotation.Aspect")
  static class Annotations {

    @Bean
    SextantAspect sextantAspect(Sextant sextant) {
      return new SextantAspect(sextant);
    }
  }
}
