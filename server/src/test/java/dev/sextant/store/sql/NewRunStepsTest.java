package dev.sextant.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** New runs' steps are ordered as the stores' binary collation orders step ids: by UTF-8 bytes. */
class NewRunStepsTest {
  @Property
  void sortUtf8_ordersByUtf8Bytes(@ForAll("ids") List<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    NewRunSteps.sortUtf8(sorted);
    List<String> byBytes = new ArrayList<>(ids);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    assertThat(sorted).containsExactlyElementsOf(byBytes);
  }

  /** Ids of whole code points, often sharing a prefix, some above U+FFFF and some in U+E000..U+FFFF. */
  @Provide
  Arbitrary<List<String>> ids() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between('a', 'e')),
        Tuple.of(2, Arbitraries.integers().between(0xE000, 0xFFFD)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)),
        Tuple.of(1, Arbitraries.integers().between(0x80, 0xD7FF)));
    Arbitrary<String> id = codePoint.list().ofMaxSize(6)
        .map(cps -> "run-1-" + new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    return id.list().ofMaxSize(20);
  }
}
