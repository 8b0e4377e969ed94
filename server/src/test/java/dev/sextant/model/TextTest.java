package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTest {
  private static final String SMILE = "\uD83D\uDE00";

  @Test
  void truncate_neverSplitsASurrogatePair() {
    assertThat(Text.truncate("ab" + SMILE, 3)).isEqualTo("ab");
    assertThat(Text.truncate("ab" + SMILE, 4)).isEqualTo("ab" + SMILE);
    assertThat(Text.truncate("abcdef", 3)).isEqualTo("abc");
    assertThat(Text.truncate(null, 3)).isNull();
  }

  @Test
  void abbreviate_fitsTheLimitWithItsMarker() {
    assertThat(Text.abbreviate("a".repeat(64), 64)).isEqualTo("a".repeat(64));
    assertThat(Text.abbreviate("a".repeat(65), 64)).isEqualTo("a".repeat(61) + "...");
    assertThat(Text.abbreviate("a".repeat(60) + SMILE + "tail", 64)).isEqualTo("a".repeat(60) + "...");
  }

  @Test
  void marked_keepsTheLimitAndShowsTheCut() {
    assertThat(Text.marked("abc", 3)).isEqualTo("abc");
    assertThat(Text.marked("abcd", 3)).isEqualTo("abc…");
    assertThat(Text.marked("ab" + SMILE, 3)).isEqualTo("ab…");
  }

  @Test
  void errorMessages_quoteLongValuesWithoutBrokenCharacters() {
    assertThatThrownBy(() -> Times.parse(SMILE.repeat(40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("got \"" + SMILE.repeat(30) + "...\"");
  }
}
