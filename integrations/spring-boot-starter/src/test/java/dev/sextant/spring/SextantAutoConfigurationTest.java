package dev.sextant.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.sdk.Sextant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SextantAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SextantAutoConfiguration.class))
      .withPropertyValues("sextant.endpoint=http://127.0.0.1:9", "sextant.api-key=sk-test");

  @Test
  void properties_buildTheSdkBean() {
    runner.withPropertyValues("sextant.agent=support-agent", "sextant.mode=inline").run(context -> {
      Sextant sextant = context.getBean(Sextant.class);
      assertThat(sextant.isEnabled()).isTrue();
      assertThat(sextant.toString()).contains("agent=support-agent", "mode=INLINE", "endpoint=http://127.0.0.1:9");
    });
  }

  @Test
  void agent_defaultsToTheApplicationName() {
    runner.withPropertyValues("spring.application.name=billing-desk")
        .run(context -> assertThat(context.getBean(Sextant.class).toString()).contains("agent=billing-desk"));
  }

  @Test
  void enabledFalse_makesTheSdkANoop() {
    runner.withPropertyValues("sextant.enabled=false")
        .run(context -> assertThat(context.getBean(Sextant.class).isEnabled()).isFalse());
  }

  @Test
  void mode_unknown_failsStartupSayingWhatIsAllowed() {
    runner.withPropertyValues("sextant.mode=fast").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessage("sextant.mode must be 'async' or 'inline', got 'fast'");
    });
  }

  @Test
  void ownSextantBean_replacesTheStartersOne() {
    Sextant own = Sextant.builder().disabled(true).build();
    runner.withBean(Sextant.class, () -> own).run(context -> assertThat(context.getBean(Sextant.class)).isSameAs(own));
  }
}
