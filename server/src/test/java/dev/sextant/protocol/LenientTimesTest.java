package dev.sextant.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Json;
import dev.sextant.model.Times;
import org.junit.jupiter.api.Test;

class LenientTimesTest {
  private static String read(String json) {
    return Times.format(LenientTimes.read(Json.read("{\"t\":" + json + "}"), "t"));
  }

  @Test
  void acceptsWhatSdksSend() {
    assertThat(read("\"2026-11-22T03:19:41.866001Z\"")).isEqualTo("2026-11-22T03:19:41.866001Z");
    assertThat(read("\"2026-11-22T03:19:41.866001+00:00\"")).isEqualTo("2026-11-22T03:19:41.866001Z");
    assertThat(read("\"2026-11-22T05:19:41.5+02:00\"")).isEqualTo("2026-11-22T03:19:41.500Z");
    assertThat(read("\"2026-11-22T03:19:41.866001\"")).as("naive Python time is UTC").isEqualTo(
        "2026-11-22T03:19:41.866001Z");
    assertThat(read("\"2026-11-22 03:19:41\"")).isEqualTo("2026-11-22T03:19:41Z");
    assertThat(read("1795317581909")).as("JS epoch millis").isEqualTo("2026-11-22T03:19:41.909Z");
    assertThat(read("1795317581.5")).as("epoch seconds").isEqualTo("2026-11-22T03:19:41.500Z");
    assertThat(read("1795317581909000")).as("epoch micros").isEqualTo("2026-11-22T03:19:41.909Z");
    assertThat(read("1795317581909000001")).as("epoch nanos").isEqualTo("2026-11-22T03:19:41.909000001Z");
    assertThat(read("\"1795317581909\"")).isEqualTo("2026-11-22T03:19:41.909Z");
    assertThat(LenientTimes.read(Json.read("{\"t\":null}"), "t")).isNull();
  }

  @Test
  void rejectsWithTheFieldName() {
    assertThatThrownBy(() -> read("\"yesterday\"")).hasMessage(
        "t must be an ISO-8601 timestamp such as 2026-11-22T10:00:00.123456Z or epoch milliseconds, got \"yesterday\"");
    assertThatThrownBy(() -> read("true")).hasMessage("t must be a timestamp string or epoch milliseconds, got a boolean");
    assertThatThrownBy(() -> read("-5")).hasMessage("t must be a positive epoch time, got -5.0");
  }
}
