package dev.sextant.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static long at(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void normalize_dropsProviderPathsVendorPrefixesAndVersionSuffixes() {
    assertThat(PriceTable.normalize("gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
    assertThat(PriceTable.normalize("openai/GPT-4o-mini")).isEqualTo("gpt-4o-mini");
    assertThat(PriceTable.normalize("claude-3-5-sonnet-20241022")).isEqualTo("claude-3-5-sonnet");
    assertThat(PriceTable.normalize("claude-3-5-sonnet@20240620")).isEqualTo("claude-3-5-sonnet");
    assertThat(PriceTable.normalize("us.anthropic.claude-3-5-sonnet-20241022-v2:0")).isEqualTo("claude-3-5-sonnet");
    assertThat(PriceTable.normalize("models/gemini-2.0-flash-001")).isEqualTo("gemini-2.0-flash");
    assertThat(PriceTable.normalize("mistral-large-latest")).isEqualTo("mistral-large");
    assertThat(PriceTable.normalize("gpt-3.5-turbo-0125")).isEqualTo("gpt-3.5-turbo");
    assertThat(PriceTable.normalize("o1")).isEqualTo("o1");
    assertThat(PriceTable.normalize("gpt-4")).isEqualTo("gpt-4");
  }

  @Test
  void builtIn_pricesTheCommonModelsOfEveryProvider() {
    PriceTable t = PriceTable.builtIn();
    for (String m : List.of("gpt-4o", "gpt-4.1-mini", "o3-mini", "claude-sonnet-4-5-20250929", "claude-3-haiku-20240307",
        "gemini-2.5-pro", "mistral-large-2411", "meta-llama/llama-3.3-70b-instruct", "deepseek-chat",
        "text-embedding-3-small")) {
      assertThat(t.find(m, at("2026-01-01T00:00:00Z"))).as(m).isNotNull();
    }
    assertThat(t.find("no-such-model", at("2026-01-01T00:00:00Z"))).isNull();
  }

  @Test
  void find_takesThePriceOfTheDay_andTheEarliestBeforeAnyRow() {
    PriceTable t = PriceTable.builtIn();
    assertThat(t.find("gpt-4o", at("2024-06-01T00:00:00Z")).input()).isEqualTo(5.00);
    assertThat(t.find("gpt-4o", at("2024-10-02T00:00:00Z")).input()).isEqualTo(2.50);
    assertThat(t.find("gpt-4o", at("2024-10-01T23:59:59Z")).input()).isEqualTo(5.00);
    assertThat(t.find("gpt-4o", at("2020-01-01T00:00:00Z")).input()).isEqualTo(5.00);
    assertThat(t.find("o3", at("2025-05-01T00:00:00Z")).output()).isEqualTo(40.00);
    assertThat(t.find("o3", at("2025-07-01T00:00:00Z")).output()).isEqualTo(8.00);
  }

  @Test
  void with_overridesTheSameDayAndAddsOthers() {
    PriceTable t = PriceTable.builtIn().with(List.of(
        new ModelPrice("GPT-4o", null, LocalDate.parse("2026-01-01"), 1.0, 1.0, null, null),
        new ModelPrice("acme-7b", null, LocalDate.parse("2025-01-01"), 0.1, 0.2, null, null)));
    assertThat(t.find("gpt-4o-2024-08-06", at("2026-02-01T00:00:00Z")).input()).isEqualTo(1.0);
    assertThat(t.find("gpt-4o", at("2025-02-01T00:00:00Z")).input()).isEqualTo(2.50);
    assertThat(t.find("acme-7b", at("2026-02-01T00:00:00Z")).output()).isEqualTo(0.2);
    assertThat(PriceTable.builtIn().prices("acme-7b")).isFalse();
  }

  @Test
  void find_answersTheSameWhenAskedAgain_pastTheNamesItRemembers_andPerTable() {
    PriceTable base = PriceTable.builtIn();
    long day = at("2026-02-01T00:00:00Z");
    ModelPrice gpt = base.find("gpt-4o-2024-08-06", day);
    assertThat(base.find("acme-7b", day)).isNull();
    for (int i = 0; i < PriceTable.MAX_REMEMBERED + 10; i++) {
      assertThat(base.find("made-up-" + i, day)).isNull();
      assertThat(base.find("gpt-4o-2024-08-06", day)).isEqualTo(gpt);
    }
    assertThat(base.find("GPT-4o", day)).isEqualTo(gpt);
    // a table with more rows does not answer from what the table under it remembered
    PriceTable more = base.with(List.of(new ModelPrice("acme-7b", null, LocalDate.parse("2025-01-01"), 0.1, 0.2, null,
        null)));
    assertThat(more.find("acme-7b", day).output()).isEqualTo(0.2);
    assertThat(more.prices("acme-7b")).isTrue();
    assertThat(base.prices("acme-7b")).isFalse();
  }

  @Test
  void cost_pricesCachedInputAndReasoningWithinTheirCounts() {
    ModelPrice p = new ModelPrice("m", null, LocalDate.parse("2025-01-01"), 2.0, 8.0, 0.5, 16.0);
    // 1 M input of which 400 k cached, 100 k output of which 40 k reasoning
    assertThat(p.cost(1_000_000L, 100_000L, 400_000L, 40_000L))
        .isCloseTo((0.6 * 2.0 + 0.4 * 0.5 + 0.06 * 8.0 + 0.04 * 16.0), within(1e-12));
    ModelPrice plain = new ModelPrice("m", null, LocalDate.parse("2025-01-01"), 2.0, 8.0, null, null);
    assertThat(plain.cost(1_000_000L, null, 400_000L, null)).isCloseTo(2.0, within(1e-12));
    assertThat(plain.cost(10L, 10L, 50L, 50L)).isCloseTo((10 * 2.0 + 10 * 8.0) / 1e6, within(1e-15));
  }

  @Test
  void parse_saysWhichLineIsWrong() {
    String header = "model,provider,effective_from,input,output,cached_input,reasoning\n";
    assertThat(PriceTable.parse("# comment\n" + header + "acme,,2025-01-01,1,2,,\n", "f.csv").rows()).hasSize(1);
    assertThatThrownBy(() -> PriceTable.parse(header + "acme,,2025-13-01,1,2,,\n", "f.csv"))
        .hasMessageContaining("f.csv line 2").hasMessageContaining("YYYY-MM-DD");
    assertThatThrownBy(() -> PriceTable.parse(header + "acme,,2025-01-01,one,2,,\n", "f.csv"))
        .hasMessageContaining("line 2").hasMessageContaining("\"one\"");
    assertThatThrownBy(() -> PriceTable.parse(header + "acme,,2025-01-01,-1,2,,\n", "f.csv"))
        .hasMessageContaining("input must be a price");
    assertThatThrownBy(() -> PriceTable.parse("model,input\n", "f.csv")).hasMessageContaining("header");
    assertThatThrownBy(() -> PriceTable.parse(header + "acme,,2025-01-01,1\n", "f.csv")).hasMessageContaining("7 fields");
    assertThatThrownBy(() -> PriceTable.parse(header + "m".repeat(201) + ",,2025-01-01,1,2,,\n", "f.csv"))
        .hasMessageContaining("line 2").hasMessageContaining("at most 200 characters");
  }
}
