package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void parse_keepsNanosecondsAndOffsets() {
    long t = Times.parse("2026-11-22T03:19:41.866001123Z");
    assertThat(Times.format(t)).isEqualTo("2026-11-22T03:19:41.866001123Z");
    assertThat(Times.parse("2026-11-22T04:19:41.866001123+01:00")).isEqualTo(t);
    assertThat(Times.format(Times.parse("2026-11-22T03:19:41Z"))).isEqualTo("2026-11-22T03:19:41Z");
    assertThat(Times.parse("1969-12-31T23:59:59.5Z")).isEqualTo(-500_000_000L);
    assertThat(Times.format(-500_000_000L)).isEqualTo("1969-12-31T23:59:59.500Z");
  }

  @Test
  void parse_rejectsWithAHelpfulMessage() {
    assertThatThrownBy(() -> Times.parse("2026-11-22 03:19"))
        .hasMessage("must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \"2026-11-22 03:19\"");
    assertThatThrownBy(() -> Times.parse("2026-11-22T03:19:41")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timesBeyondEpochNanoseconds_areNamedAsSuch_andClampAsQueryBounds() {
    assertThatThrownBy(() -> Times.parse("9999-12-31T23:59:59Z"))
        .hasMessage("must lie between 1677-09-21T00:12:43.145224192Z and 2262-04-11T23:47:16.854775807Z"
            + " (epoch nanoseconds in 64 bits), got \"9999-12-31T23:59:59Z\"");
    assertThat(Times.parseBound("9999-12-31T23:59:59Z")).isEqualTo(Long.MAX_VALUE);
    assertThat(Times.parseBound("0001-01-01T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(Times.parseBound("2026-11-22T03:19:41Z")).isEqualTo(Times.parse("2026-11-22T03:19:41Z"));
    assertThatThrownBy(() -> Times.parseBound("yesterday")).hasMessageStartingWith("must be an RFC 3339 timestamp");
  }

  /**
   * The fast reading of the usual shape agrees with the general parser on every string it reads,
   * and leaves every string the general parser refuses to it: random timestamps with fields in and
   * out of range, fractions of 0 to 10 digits and assorted offsets.
   */
  @Test
  void commonShape_readsAsTheGeneralParserDoes() {
    Random random = new Random(20261203);
    String[] offsets = {"Z", "z", "+00:00", "-00:00", "+05:30", "-08:00", "+18:00", "+18:01", "+19:00", "+5:30",
        "+0530", "+05", "-23:59", "", "ZZ", "+05:3x"};
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
          random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61)));
      int fraction = random.nextInt(12) - 1;
      if (fraction >= 0) {
        b.append('.');
        for (int d = 0; d < fraction; d++) b.append((char) ('0' + random.nextInt(10)));
      }
      b.append(offsets[random.nextInt(offsets.length)]);
      if (random.nextInt(50) == 0) b.setCharAt(random.nextInt(b.length()), (char) (' ' + random.nextInt(95)));
      String text = b.toString();
      Instant fast = Times.common(text);
      Instant general;
      try {
        general = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        general = null;
      }
      if (fast != null) {
        read++;
        assertThat(fast).as(text).isEqualTo(general);
      }
    }
    assertThat(read).isGreaterThan(10_000);
    assertThat(Times.common("2026-11-22T03:19:41.866001123Z")).isNotNull();
    assertThat(Times.common("2026-11-22T04:19:41.866+01:00")).isNotNull();
  }
}
