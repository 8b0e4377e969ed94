package dev.sextant.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Limits;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever arrives, decoding ends in records or in a client error, never in an unexpected exception. */
class OtlpHostileInputPropertiesTest {
  private final OtlpDecoder decoder = new OtlpDecoder(Limits.DEFAULT);
  private static final byte[] VALID = OtlpFixtures.agentRun().toByteArray();
  private static final String VALID_JSON = OtlpFixtures.json(OtlpFixtures.agentRun(), OtlpFixtures.Style.SPEC);

  @Property(tries = 300)
  void randomBytes_areRecordsOrBadRequest(@ForAll @Size(max = 512) byte[] body) {
    assertOnlyBadRequest(() -> decoder.decodeProtobuf(new ByteArrayInputStream(body)));
    assertOnlyBadRequest(() -> decoder.decodeProtobuf(body));
  }

  @Property(tries = 300)
  void corruptedValidProtobuf_isRecordsOrBadRequest(@ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
    byte[] body = corrupted(at, value, cut);
    assertOnlyBadRequest(() -> decoder.decodeProtobuf(new ByteArrayInputStream(body)));
  }

  /**
   * Read in place (the server's path for a body that came uncompressed) or as a stream: the same
   * records, or a bad request both ways (whose wording may name a different broken field).
   */
  @Property(tries = 300)
  void corruptedValidProtobuf_decodesInPlaceAsFromAStream(@ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
    byte[] body = corrupted(at, value, cut);
    assertThat(outcome(() -> decoder.decodeProtobuf(body)))
        .isEqualTo(outcome(() -> decoder.decodeProtobuf(new ByteArrayInputStream(body))));
  }

  /** {@link #VALID} with the byte at {@code at} set to {@code value}, and cut short by {@code cut}. */
  private static byte[] corrupted(int at, byte value, int cut) {
    byte[] b = VALID.clone();
    b[at % b.length] = value;
    return java.util.Arrays.copyOf(b, Math.max(1, b.length - cut % b.length));
  }

  private static String outcome(java.util.function.Supplier<dev.sextant.model.Batch<?>> decode) {
    try {
      dev.sextant.model.Batch<?> batch = decode.get();
      return java.util.List.of(batch.runs(), batch.steps(), batch.errors()).toString();
    } catch (BadRequest e) {
      return "bad request";
    }
  }

  @Property(tries = 300)
  void corruptedValidJson_isRecordsOrBadRequest(@ForAll @IntRange(min = 0, max = 100_000) int at,
      @ForAll char value) {
    StringBuilder s = new StringBuilder(VALID_JSON);
    s.setCharAt(at % s.length(), value);
    byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
    assertOnlyBadRequest(() -> decoder.decodeJson(new ByteArrayInputStream(body)));
  }

  private static void assertOnlyBadRequest(Runnable decode) {
    try {
      decode.run();
    } catch (BadRequest expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
