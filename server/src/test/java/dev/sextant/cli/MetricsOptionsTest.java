package dev.sextant.cli;

import static dev.sextant.cli.SecurityOptionsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The flags of the agent metrics, as {@code serve} parses them. */
class MetricsOptionsTest {
  @Test
  void defaults_andValues() {
    assertThat(parse().settings().metricsSeriesLimit()).isEqualTo(Settings.DEFAULT_METRICS_SERIES_LIMIT).isEqualTo(500);
    assertThat(parse().settings().metricsCache()).isEqualTo(Duration.ofSeconds(10));
    Settings s = parse("--metrics-series-limit", "50", "--metrics-cache", "0").settings();
    assertThat(s.metricsSeriesLimit()).isEqualTo(50);
    assertThat(s.metricsCache()).isZero();
    assertThat(parse("--metrics-cache", "2m").settings().metricsCache()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badValues_sayWhatIsWrong() {
    assertThatThrownBy(() -> parse("--metrics-series-limit", "0"))
        .hasMessage("--metrics-series-limit must be 1 or more, got 0");
    assertThatThrownBy(() -> parse("--metrics-cache", "soon"))
        .hasMessage("--metrics-cache must be a duration such as 60s, 2m or 500ms, got \"soon\"");
  }
}
