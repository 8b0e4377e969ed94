package dev.sextant.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.model.Json;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A step's metadata is split into its row part and its scope part, and joined back to the same text. */
class WriteBatchTest {
  @Property
  void metadataParts_joinBackToTheMetadataText(@ForAll("metadata") ObjectNode metadata) {
    String[] parts = WriteBatch.metadataParts(metadata);
    assertThat(WriteBatch.joinMetadata(parts[0], parts[1])).isEqualTo(Json.write(metadata));
    if (parts[1] != null) {
      JsonNode scope = Json.read(parts[1]);
      scope.fieldNames().forEachRemaining(k -> assertThat(WriteBatch.SCOPE_KEYS).contains(k));
      // the part before does not end with a scope entry that could have been split off
      if (parts[0] != null) {
        JsonNode before = Json.read(parts[0]);
        List<String> keys = new ArrayList<>();
        before.fieldNames().forEachRemaining(keys::add);
        String last = keys.get(keys.size() - 1);
        assertThat(WriteBatch.SCOPE_KEYS.contains(last) && before.get(last).isTextual()).isFalse();
      }
    }
  }

  @Example
  void metadataParts_splitOnlyTheScopeEntriesThatEndIt() {
    ObjectNode m = (ObjectNode) Json.read(
        "{\"otel.scope.name\":\"x\",\"a\":1,\"otel.span.kind\":\"client\",\"otel.scope.version\":\"1\"}");
    String[] parts = WriteBatch.metadataParts(m);
    assertThat(parts[0]).isEqualTo("{\"otel.scope.name\":\"x\",\"a\":1}");
    assertThat(parts[1]).isEqualTo("{\"otel.span.kind\":\"client\",\"otel.scope.version\":\"1\"}");
    // a scope entry that is not a string stays in the row; so does a part too long for the names
    assertThat(WriteBatch.metadataParts((ObjectNode) Json.read("{\"otel.span.kind\":3}"))[1]).isNull();
    ObjectNode longScope = Json.object().put("otel.scope.name", "s".repeat(WriteBatch.MAX_NAMED_TEXT));
    assertThat(WriteBatch.metadataParts(longScope)).containsExactly(Json.write(longScope), null);
    ObjectNode longScopeAfter = Json.object().put("a", 1).put("otel.scope.name", "s".repeat(WriteBatch.MAX_NAMED_TEXT));
    assertThat(WriteBatch.metadataParts(longScopeAfter)).containsExactly(Json.write(longScopeAfter), null);
    // the batch keeps each scope part once among its names
    WriteBatch b = new WriteBatch("p", List.of(), List.of(
        Records.step("r", "s1", 1, "llm", 0, 1, null).toBuilder().metadata(m).build(),
        Records.step("r", "s2", 2, "llm", 0, 1, null).toBuilder().metadata(m.deepCopy()).build()));
    assertThat(b.names()).contains(parts[1]);
    assertThat(b.stepJson(1)).isEqualTo(b.stepJson(0));
  }

  @Provide
  Arbitrary<ObjectNode> metadata() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(List.copyOf(WriteBatch.SCOPE_KEYS)),
        Arbitraries.strings().withCharRange(' ', 'ÿ').ofMaxLength(6), Arbitraries.of("a", "b", "\"q\"", "é"));
    Arbitrary<JsonNode> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(10).map(TextNode::valueOf),
        Arbitraries.integers().map(i -> Json.NODES.numberNode(i)),
        Arbitraries.just(Json.NODES.nullNode()),
        Arbitraries.just(Json.read("{\"x\":[1,\"y\"]}")));
    return Arbitraries.entries(keys, values).list().ofMaxSize(8).map(entries -> {
      ObjectNode o = Json.object();
      entries.forEach(e -> o.set(e.getKey(), e.getValue()));
      return o;
    });
  }
}
