package dev.sextant.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.sextant.model.Json;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The OTLP/JSON scalar readers agree with protobuf whatever spelling an exporter picks. */
class OtlpJsonPropertiesTest {

  @Property
  void traceIdHex_anyCase_andBase64_readAsTheSameBytes(@ForAll @Size(16) byte[] id, @ForAll long caseMask) {
    String hex = HexFormat.of().formatHex(id);
    StringBuilder mixed = new StringBuilder();
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      mixed.append((caseMask >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : c);
    }
    ByteString expected = ByteString.copyFrom(id);
    assertThat(OtlpJson.parseId(hex, "traceId", 16)).isEqualTo(expected);
    assertThat(OtlpJson.parseId(mixed.toString(), "traceId", 16)).isEqualTo(expected);
    assertThat(OtlpJson.parseId(hex.toUpperCase(Locale.ROOT), "traceId", 16)).isEqualTo(expected);
    assertThat(OtlpJson.parseId(Base64.getEncoder().encodeToString(id), "traceId", 16)).isEqualTo(expected);
  }

  @Property
  void spanIdOfWrongLength_isRejectedWithItsLength(@ForAll @StringLength(min = 1, max = 40) String s) {
    String hex = s.chars().mapToObj(c -> Integer.toHexString(c & 0xF)).reduce("", String::concat);
    if (hex.length() == 16) return;
    assertThatThrownBy(() -> OtlpJson.parseId(hex, "spanId", 8))
        .hasMessageStartingWith("spanId must be 16 hex characters, got");
  }

  @Property
  void int64_asNumberOrString_readsTheSameValue(@ForAll long v) {
    JsonNode number = Json.NODES.numberNode(v);
    JsonNode string = Json.NODES.textNode(Long.toString(v));
    assertThat(OtlpJson.int64(number, "intValue")).isEqualTo(v);
    assertThat(OtlpJson.int64(string, "intValue")).isEqualTo(v);
  }

  @Property
  void fixed64Nanos_asNumberOrString_readTheSameUnsignedBits(@ForAll long bits) {
    String unsigned = Long.toUnsignedString(bits);
    ObjectNode asString = Json.object().put("t", unsigned);
    ObjectNode asNumber = Json.object();
    asNumber.set("t", Json.NODES.numberNode(new java.math.BigInteger(unsigned)));
    assertThat(OtlpJson.uint64(asString, "t", "t")).isEqualTo(bits);
    assertThat(OtlpJson.uint64(asNumber, "t", "t")).isEqualTo(bits);
  }

  @Property
  void integralDoubles_areIntegers_fractionsAreNot(@ForAll int v) {
    assertThat(OtlpJson.int64(Json.NODES.numberNode((double) v), "intValue")).isEqualTo(v);
    assertThatThrownBy(() -> OtlpJson.int64(Json.NODES.numberNode(v + 0.5), "intValue"))
        .hasMessageStartingWith("intValue must be an integer");
  }
}
