package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.store.Project;
import dev.sextant.testing.PrivacyCorpus;
import dev.sextant.testing.PrivacyCorpus.Seed;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  /** The projects' secrets as a store keeps them: the first one offered for a project wins. */
  private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
  private final Pseudonyms.ProjectSecrets store = (project, candidate) -> secrets.computeIfAbsent(project, p -> candidate);
  private final Scrubber scrubber = new Scrubber(new Pseudonyms(store, Pseudonyms.randomSecrets()));

  private static Project project(String id, ContentPolicy policy) {
    return new Project(id, id, policy, Instant.EPOCH);
  }

  /**
   * Every string component of the canonical records, found by reflection (nested records, maps,
   * lists and JSON included), is seeded with each kind of personal data and secret; nothing of it
   * may come out. A component of a type this test does not know fails it: teach the scrubber and
   * this test the new field.
   */
  @Test
  void everyStringOfEveryRecordComponent_isScrubbed_underMetadataOnlyAndRedacted() {
    List<String> leaks = new ArrayList<>();
    for (ContentPolicy policy : List.of(ContentPolicy.METADATA_ONLY, ContentPolicy.REDACTED)) {
      Project p = project("p", policy);
      for (Seed seed : PrivacyCorpus.SEEDS) {
        RunRecord run = (RunRecord) seeded(RunRecord.class, seed.value());
        StepRecord step = (StepRecord) seeded(StepRecord.class, seed.value());
        collect(scrubber.apply(p, run), policy + " run " + seed.value(), seed.needles(), leaks);
        collect(scrubber.apply(p, step), policy + " step " + seed.value(), seed.needles(), leaks);
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void full_keepsEverything() {
    RunRecord run = (RunRecord) seeded(RunRecord.class, "jane.doe+agent@example.com");
    assertThat(scrubber.apply(project("p", ContentPolicy.FULL), run)).isSameAs(run);
  }

  @Test
  void identifiers_arePseudonymised_stablyPerProject_andEqualAcrossFields() {
    Project a = project("a", ContentPolicy.METADATA_ONLY);
    String email = "jane.doe+agent@example.com";
    RunRecord run = RunRecord.builder("run-1").sessionId(email).labels(Map.of("user", email))
        .metadata((ObjectNode) Json.read("{\"user_id\":\"" + email + "\",\"contact\":\"" + email + "\"}")).build();
    RunRecord once = scrubber.apply(a, run);
    assertThat(once.sessionId()).matches("\\[email:[0-9a-f]{16}]");
    assertThat(once.labels().get("user")).isEqualTo(once.sessionId());
    assertThat(once.metadata().get("user_id").asText()).isEqualTo(once.sessionId());
    assertThat(once.metadata().get("contact").asText()).isEqualTo("[email]");
    assertThat(scrubber.apply(a, run).sessionId()).isEqualTo(once.sessionId());
    assertThat(scrubber.apply(project("b", ContentPolicy.METADATA_ONLY), run).sessionId())
        .isNotEqualTo(once.sessionId());
    // a new scrubber on the same store (a restart, another node) reads the same secret
    Scrubber other = new Scrubber(new Pseudonyms(store, Pseudonyms.randomSecrets()));
    assertThat(other.apply(a, run).sessionId()).isEqualTo(once.sessionId());
    assertThat(scrubber.apply(a, RunRecord.builder("run-" + email).build()).runId()).startsWith("[email:");
  }

  @Test
  void metadataOnly_keepsSafeValuesOnly_andScrubsKeysAndSecrets() {
    ObjectNode in = (ObjectNode) Json.read("{\"http_status\":504,\"ok\":true,\"tool\":\"billing_api\","
        + "\"model\":\"gpt-4o-2024-08-06\",\"text\":\"two words\",\"email\":\"a@b.co\",\"long\":\"" + "x".repeat(65)
        + "\",\"list\":[\"a\",\"b c\",3,{\"x\":1}],\"obj\":{\"n\":1,\"s\":\"x y\"},\"api_key\":\"abc123\","
        + "\"token_count\":12,\"bob@example.com\":1,\"phone\":\"+14155550100\"}");
    StepRecord s = StepRecord.builder("r", "s").type("tool").name("t").metadata(in).build();
    ObjectNode out = scrubber.apply(project("p", ContentPolicy.METADATA_ONLY), s).metadata();
    // "email" names an identifier users group by: a pseudonym, not a marker
    assertThat(out.remove("email").asText()).matches("\\[email:[0-9a-f]{16}]");
    assertThat(out).isEqualTo(Json.read(
        "{\"http_status\":504,\"ok\":true,\"tool\":\"billing_api\",\"model\":\"gpt-4o-2024-08-06\","
            + "\"list\":[\"a\",3],\"obj\":{\"n\":1},\"api_key\":\"[secret]\",\"token_count\":12,"
            + "\"[email]\":1,\"phone\":\"[phone]\"}"));
  }

  @Test
  void redacted_keepsContentWithMarkers() {
    JsonNode input = Json.read("{\"messages\":[{\"content\":\"I am bob@example.com, call +44 20 7946 0958\"}],"
        + "\"password\":\"hunter2\",\"token_count\":12,\"auth\":{\"api_key\":\"abc\"}}");
    StepRecord s = StepRecord.builder("r", "s").type("llm").name("t").input(input).build();
    assertThat(scrubber.apply(project("p", ContentPolicy.REDACTED), s).input()).isEqualTo(Json.read(
        "{\"messages\":[{\"content\":\"I am [email], call [phone]\"}],\"password\":\"[secret]\",\"token_count\":12,"
            + "\"auth\":{\"api_key\":\"[secret]\"}}"));
  }

  @Test
  void normalization_aCleanMapPassesAgain_aMapWithFindingsIsScrubbedEveryTime() {
    Map<String, String> clean = new LinkedHashMap<>(Map.of("type", "gen_ai.operation.name=chat"));
    Map<String, String> personal = new LinkedHashMap<>(Map.of("error.code", "error.type=bob@example.com"));
    Project p = project("p", ContentPolicy.REDACTED);
    for (int i = 0; i < 3; i++) {
      StepRecord s = StepRecord.builder("r", "s" + i).normalization(clean).build();
      assertThat(scrubber.apply(p, s).normalization()).isEqualTo(clean);
      StepRecord t = StepRecord.builder("r", "t" + i).normalization(personal).build();
      assertThat(scrubber.apply(p, t).normalization()).isEqualTo(Map.of("error.code", "error.type=[email]"));
    }
    // a map remembered as clean is compared by content: the same entries with a finding added are scrubbed
    clean.put("model", "+44 20 7946 0958");
    StepRecord s = StepRecord.builder("r", "s").normalization(clean).build();
    assertThat(scrubber.apply(p, s).normalization()).containsEntry("model", "[phone]");
  }

  @Test
  void repeatedStrings_aCleanOnePassesAgainAsSent_oneWithFindingsIsScrubbedEveryTime_pastTheBound() {
    Project p = project("p", ContentPolicy.REDACTED);
    for (int round = 0; round < 3; round++) {
      // more distinct clean strings than are remembered, so that the set is emptied between rounds
      for (int i = 0; i < Scrubber.MAX_CLEAN_STRINGS + 10; i++) {
        String name = "tool_lookup_" + i;
        assertThat(scrubber.redact(name)).isSameAs(name);
        // callers tell "clean" by identity: the string passed in comes back, not the one remembered
        String again = new String(name);
        assertThat(scrubber.redact(again)).isSameAs(again);
      }
      for (Seed seed : PrivacyCorpus.SEEDS) {
        if (seed.value().length() > 64) continue;
        for (int i = 0; i < 3; i++) {
          StepRecord s = StepRecord.builder("r", "s").name(seed.value()).model(seed.value()).build();
          StepRecord out = scrubber.apply(p, s);
          for (String needle : seed.needles()) {
            assertThat(out.name()).as(seed.kind()).doesNotContain(needle);
            assertThat(out.model()).as(seed.kind()).doesNotContain(needle);
          }
        }
      }
    }
  }

  // ---- reflection over the records

  private static Object seeded(Class<?> type, String seed) {
    if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = value(components[i].getGenericType(), type.getSimpleName() + "." + components[i].getName(), seed);
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object value(Type generic, String where, String seed) {
    Class<?> raw = generic instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) generic;
    if (raw == String.class) return seed;
    if (raw == Long.class || raw == long.class) return 1L;
    if (raw == Integer.class || raw == int.class) return 1;
    if (raw == Double.class || raw == double.class) return 1.0;
    if (raw == boolean.class || raw == Boolean.class) return false;
    if (raw.isEnum()) return raw.getEnumConstants()[0];
    if (JsonNode.class.isAssignableFrom(raw)) {
      ObjectNode o = (ObjectNode) Json.read("{\"nested\":{\"list\":[]},\"password\":\""
          + PrivacyCorpus.SECRET_UNDER_KEY + "\"}");
      o.put(seed, seed);
      ((ObjectNode) o.get("nested")).put("user_id", seed).put(seed, seed);
      ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("nested").get("list")).add(seed);
      return o;
    }
    if (raw.isRecord()) return seeded(raw, seed);
    if (raw == Map.class && isStringToString(generic)) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(seed, seed);
      m.put("k", seed);
      return m;
    }
    if (raw == List.class && generic instanceof ParameterizedType pt) {
      return List.of(value(pt.getActualTypeArguments()[0], where + "[]", seed));
    }
    return fail("%s has type %s, which this test does not know: make Scrubber scrub it and teach this test to seed"
        + " and search it", where, generic.getTypeName());
  }

  private static boolean isStringToString(Type generic) {
    return generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] == String.class
        && pt.getActualTypeArguments()[1] == String.class;
  }

  private static void collect(Object value, String where, List<String> needles, List<String> leaks) {
    if (value == null) return;
    String text = null;
    if (value instanceof String s) text = s;
    else if (value instanceof JsonNode n) text = n.toString() + " " + Json.write(n);
    else if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        collect(e.getKey(), where + " key", needles, leaks);
        collect(e.getValue(), where + "[" + e.getKey() + "]", needles, leaks);
      }
    } else if (value instanceof Collection<?> c) {
      for (Object x : c) collect(x, where + "[]", needles, leaks);
    } else if (value.getClass().isRecord()) {
      for (RecordComponent rc : value.getClass().getRecordComponents()) {
        try {
          collect(rc.getAccessor().invoke(value), where + "." + rc.getName(), needles, leaks);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    if (text == null) return;
    for (String needle : needles) {
      if (text.contains(needle)) leaks.add(where + ": " + text);
    }
    if (text.contains(PrivacyCorpus.SECRET_UNDER_KEY)) leaks.add(where + ": " + text);
  }
}
