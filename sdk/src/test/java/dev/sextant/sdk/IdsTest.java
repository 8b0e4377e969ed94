package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  @Test
  void runId_isAVersion7Uuid_thatBeginsWithItsTimeInMilliseconds() {
    long millis = Instant.parse("2026-12-05T20:01:02.345Z").toEpochMilli();
    String id = Ids.runId(millis);
    assertThat(id).matches(UUID_V7);
    UUID parsed = UUID.fromString(id);
    assertThat(parsed.version()).isEqualTo(7);
    assertThat(parsed.variant()).isEqualTo(2);
    assertThat(parsed.getMostSignificantBits() >>> 16).isEqualTo(millis);
  }

  @Test
  void runIds_ofLaterMilliseconds_sortAfter_asText() {
    long start = Instant.parse("2026-12-05T23:59:59.990Z").toEpochMilli();
    List<String> ids = new ArrayList<>();
    for (long ms = start; ms < start + 20; ms++) {
      List<String> ofMillisecond = new ArrayList<>();
      for (int i = 0; i < 50; i++) ofMillisecond.add(Ids.runId(ms));
      ofMillisecond.sort(null);
      if (!ids.isEmpty()) assertThat(ofMillisecond.get(0)).isGreaterThan(ids.get(ids.size() - 1));
      ids.addAll(ofMillisecond);
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertThat(sorted).isEqualTo(ids);
  }

  @Test
  void runIds_ofOneMillisecond_areDistinct() {
    long millis = System.currentTimeMillis();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200_000; i++) assertThat(seen.add(Ids.runId(millis))).isTrue();
  }

  @Test
  void runId_keepsItsVersionAndVariant_forAClockOutsideTheTimestampsRange() {
    assertThat(Ids.runId(-1)).matches(UUID_V7);
    assertThat(Ids.runId(Long.MAX_VALUE)).matches(UUID_V7);
    assertThat(Ids.runId(0)).startsWith("00000000-0000-7");
  }
}
