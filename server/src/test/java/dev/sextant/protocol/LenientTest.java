package dev.sextant.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LenientTest {
  @Test
  void labels_keepOnlyValidKeysAndIdentifierValues() {
    Map<String, String> labels = Lenient.labels(
        List.of("team:search", "region=eu", "beta", "Not A Key", "sextant_x:1", "team:other"),
        Json.read("{\"user\":\"u1\",\"n\":3,\"ok\":true,\"note\":\"free text here\",\"Upper\":\"x\","
            + "\"ls_model_name\":\"m\",\"skipped\":\"x\",\"nested\":{\"a\":1},\"empty\":\"\"}"),
        64, 256, List.of("skipped"), List.of("ls_"));
    assertThat(labels).containsExactly(Map.entry("team", "search"), Map.entry("region", "eu"),
        Map.entry("beta", "true"), Map.entry("user", "u1"), Map.entry("n", "3"), Map.entry("ok", "true"));
  }

  @Test
  void labels_capAtMax_andNullWhenNone() {
    assertThat(Lenient.labels(List.of("a", "b", "c"), null, 2, 256, List.of(), List.of())).containsOnlyKeys("a", "b");
    assertThat(Lenient.labels(List.of("No Label"), Json.read("{}"), 64, 256, List.of(), List.of())).isNull();
  }

  @Test
  void counts_ignoreWhatIsNotAWholeNumber() {
    var o = Json.read("{\"a\":5,\"b\":\"7\",\"c\":1.5,\"d\":-1,\"e\":\"x\",\"f\":3.0}");
    assertThat(Lenient.count(o, "a")).isEqualTo(5);
    assertThat(Lenient.count(o, "b")).isEqualTo(7);
    assertThat(Lenient.count(o, "c")).isNull();
    assertThat(Lenient.count(o, "d")).isNull();
    assertThat(Lenient.count(o, "e")).isNull();
    assertThat(Lenient.count(o, "f")).isEqualTo(3);
    assertThat(Lenient.truncate("ab\uD83D\uDE00", 3)).isEqualTo("ab");
  }
}
