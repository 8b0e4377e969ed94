package dev.sextant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void bytes_acceptsUnitsInEitherCase() {
    assertThat(Sizes.bytes("--body-limit", "10MiB")).isEqualTo(10L << 20);
    assertThat(Sizes.bytes("--body-limit", "512kb")).isEqualTo(512L << 10);
    assertThat(Sizes.bytes("--body-limit", "1G")).isEqualTo(1L << 30);
    assertThat(Sizes.bytes("--body-limit", "1048576")).isEqualTo(1L << 20);
  }

  @Test
  void bytes_refusesWhatItCannotRead() {
    assertThatThrownBy(() -> Sizes.bytes("--body-limit", "10XB")).hasMessage(
        "--body-limit must be a size such as 10MiB, 512KiB or 1048576, got \"10XB\"");
    assertThatThrownBy(() -> Sizes.bytes("--body-limit", "100")).hasMessage("--body-limit must be at least 1KiB, got \"100\"");
    assertThatThrownBy(() -> Sizes.bytes("--body-limit", "99999999999G")).hasMessage("--body-limit is too large: \"99999999999G\"");
  }

  @Test
  void duration() {
    assertThat(Sizes.duration("--request-timeout", "60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(Sizes.duration("--request-timeout", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Sizes.duration("--request-timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Sizes.duration("--request-timeout", "90")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> Sizes.duration("--request-timeout", "0s")).hasMessage("--request-timeout must be more than 0, got \"0s\"");
    assertThatThrownBy(() -> Sizes.duration("--request-timeout", "soon")).hasMessage(
        "--request-timeout must be a duration such as 60s, 2m or 500ms, got \"soon\"");
  }
}
