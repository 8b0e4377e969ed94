package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void parse_keepsNanosecondsAndOffsets() {
    long t = Times.parse("2026-11-22T03:19:41.866001123Z");
    assertThat(Times.format(t)).isEqualTo("2026-11-22T03:19:41.866001123Z");
    assertThat(Times.parse("2026-11-22T04:19:41.866001123+01:00")).isEqualTo(t);
    assertThat(Times.format(Times.parse("2026-11-22T03:19:41Z"))).isEqualTo("2026-11-22T03:19:41Z");
    assertThat(Times.parse("1969-12-31T23:59:59.5Z")).isEqualTo(-500_000_000L);
    assertThat(Times.format(-500_000_000L)).isEqualTo("1969-12-31T23:59:59.500Z");
  }

  @Test
  void parse_rejectsWithAHelpfulMessage() {
    assertThatThrownBy(() -> Times.parse("2026-11-22 03:19"))
        .hasMessage("must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \"2026-11-22 03:19\"");
    assertThatThrownBy(() -> Times.parse("2026-11-22T03:19:41")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timesBeyondEpochNanoseconds_areNamedAsSuch_andClampAsQueryBounds() {
    assertThatThrownBy(() -> Times.parse("9999-12-31T23:59:59Z"))
        .hasMessage("must lie between 1677-09-21T00:12:43.145224192Z and 2262-04-11T23:47:16.854775807Z"
            + " (epoch nanoseconds in 64 bits), got \"9999-12-31T23:59:59Z\"");
    assertThat(Times.parseBound("9999-12-31T23:59:59Z")).isEqualTo(Long.MAX_VALUE);
    assertThat(Times.parseBound("0001-01-01T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(Times.parseBound("2026-11-22T03:19:41Z")).isEqualTo(Times.parse("2026-11-22T03:19:41Z"));
    assertThatThrownBy(() -> Times.parseBound("yesterday")).hasMessageStartingWith("must be an RFC 3339 timestamp");
  }
}
