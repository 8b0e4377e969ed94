package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** {@link Json#write} writes trees and maps of strings as the mapper does, through its shorter path. */
class PlainJsonTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Property(tries = 300)
  void randomTrees_asTheMapperWritesThem(@ForAll long seed) throws Exception {
    JsonNode tree = tree(new Random(seed), 0);
    String text = Json.write(tree);
    assertThat(PlainJson.text(Json.MAPPER.getFactory(), tree)).as("took the short path").isNotNull();
    assertThat(text).isEqualTo(Json.MAPPER.writeValueAsString(tree));
  }

  @Property(tries = 200)
  void randomStringMaps_asTheMapperWritesThem(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Map<String, String> m = r.nextBoolean() ? new LinkedHashMap<>() : new TreeMap<>();
    for (int i = r.nextInt(8); i > 0; i--) m.put(text(r), r.nextInt(6) == 0 && m instanceof LinkedHashMap ? null : text(r));
    assertThat(Json.write(m)).isEqualTo(Json.MAPPER.writeValueAsString(m));
  }

  @Example
  void everyKindOfNumber() throws Exception {
    ArrayNode a = F.arrayNode().add((short) 7).add(-3).add(Long.MAX_VALUE).add(new BigInteger("123456789012345678901234567890"))
        .add(1.5f).add(-0.0).add(1e308).add(Double.NaN).add(Double.POSITIVE_INFINITY).add(new BigDecimal("1.2300E+5"))
        .add(new BigDecimal("0.000000001"));
    assertThat(Json.write(a)).isEqualTo(Json.MAPPER.writeValueAsString(a));
  }

  @Example
  void otherValues_goToTheMapper() throws Exception {
    ObjectNode withBinary = F.objectNode().put("b", new byte[] {1, 2, 3});
    ObjectNode withObject = F.objectNode().putPOJO("p", List.of(1, 2));
    Map<String, Object> mixed = new HashMap<>(Map.of("n", 1, "s", "x"));
    for (Object v : List.of(withBinary, withObject, mixed)) {
      assertThat(PlainJson.text(Json.MAPPER.getFactory(), v)).isNull();
      assertThat(Json.write(v)).isEqualTo(Json.MAPPER.writeValueAsString(v));
    }
    assertThat(Json.write(List.of("a", 1))).isEqualTo("[\"a\",1]");
  }

  private static JsonNode tree(Random r, int depth) {
    int kind = depth >= 4 ? 2 + r.nextInt(6) : r.nextInt(8);
    return switch (kind) {
      case 0 -> {
        ObjectNode o = F.objectNode();
        for (int i = r.nextInt(5); i > 0; i--) o.set(text(r), tree(r, depth + 1));
        yield o;
      }
      case 1 -> {
        ArrayNode a = F.arrayNode();
        for (int i = r.nextInt(5); i > 0; i--) a.add(tree(r, depth + 1));
        yield a;
      }
      case 2 -> F.textNode(text(r));
      case 3 -> F.numberNode(r.nextLong() >> r.nextInt(64));
      case 4 -> F.numberNode(r.nextInt(4) == 0 ? r.nextInt(100) : r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
      case 5 -> F.booleanNode(r.nextBoolean());
      case 6 -> F.nullNode();
      default -> F.numberNode(BigDecimal.valueOf(r.nextLong(), r.nextInt(20) - 5));
    };
  }

  /** Text with quotes, escapes, control characters and characters beyond ASCII and the BMP. */
  private static String text(Random r) {
    String[] parts = {"a", "gen_ai.usage", "\"", "\\", "\n", "\t", "\u0001", "é", "日本", "😀", " ", "/", "\u2028", ""};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) b.append(parts[r.nextInt(parts.length)]);
    return b.toString();
  }
}
