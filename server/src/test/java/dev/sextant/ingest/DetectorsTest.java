package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.sdk.internal.Detectors;
import dev.sextant.testing.PrivacyCorpus;
import dev.sextant.testing.PrivacyCorpus.Seed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared detector table, on the corpus of personal data, secrets and realistic identifiers. */
class DetectorsTest {

  @Test
  void everySeed_isFoundAlone_andInsideText() {
    List<String> missed = new ArrayList<>();
    for (Seed seed : PrivacyCorpus.SEEDS) {
      String alone = Detectors.redact(seed.value());
      String inText = Detectors.redact("note: " + seed.value() + ", thanks");
      for (String needle : seed.needles()) {
        if (alone.contains(needle) || inText.contains(needle)) missed.add(seed.value() + " -> " + alone + " / " + inText);
      }
      if (!seed.kind().equals(Detectors.detect(seed.value()))) {
        missed.add(seed.value() + " detected as " + Detectors.detect(seed.value()) + ", expected " + seed.kind());
      }
    }
    assertThat(missed).isEmpty();
  }

  @Test
  void markers_nameTheKind() {
    assertThat(Detectors.redact("write to jane.doe+x@example.co.uk now")).isEqualTo("write to [email] now");
    assertThat(Detectors.redact("card 4111-1111-1111-1111 ok")).isEqualTo("card [card] ok");
    assertThat(Detectors.redact("call +1 (415) 555-0100 or 020 7946 0958")).isEqualTo("call [phone] or [phone]");
    assertThat(Detectors.redact("from 10.0.0.12")).isEqualTo("from [ip]");
    assertThat(Detectors.redact("pay to DE89 3704 0044 0532 0130 00 today")).isEqualTo("pay to [iban] today");
    assertThat(Detectors.redact("Authorization: Bearer abcdef123456789xyz")).isEqualTo("Authorization: [secret]");
    assertThat(Detectors.redact("login with password=hunter2 please")).isEqualTo("login with password=[secret] please");
    assertThat(Detectors.redact("{\"api_key\": \"abc\"}")).isEqualTo("{\"api_key\": \"[secret]\"}");
    assertThat(Detectors.redact("https://u:p4ss@example.com/x")).isEqualTo("https://[secret]@example.com/x");
  }

  @Test
  void checksums_keepNumbersThatOnlyLookLikeCardsOrIbans() {
    assertThat(Detectors.redact("order 4111 1111 1111 1112")).isEqualTo("order 4111 1111 1111 1112");
    assertThat(Detectors.redact("GB82WEST12345698765433")).isEqualTo("GB82WEST12345698765433");
  }

  @Test
  void hexIds_passUnread_butDigitsAloneStillRunTheRules() {
    for (String id : List.of("4af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", "3f2a9c1e-1234-4abc-8def-0123456789ab",
        "019338c4-7b2e-7c3d-9e1f-4111111111111111")) {
      assertThat(Detectors.redact(id)).as(id).isSameAs(id);
    }
    // no letter: a number, not an id (a card and a phone number here)
    assertThat(Detectors.redact("4111111111111111")).isEqualTo("[card]");
    assertThat(Detectors.redact("415-555-0100")).isEqualTo("[phone]");
    // upper-case hex is not the id shape: the rules run
    assertThat(Detectors.redact("AKIAABCDEF0123456789")).isEqualTo("[secret]");
  }

  /**
   * The hints only skip rules that cannot match: random texts glued from personal data, secrets,
   * identifiers and separators redact exactly as with every rule tried.
   */
  @Test
  void hints_neverHideADetection() {
    List<String> parts = new ArrayList<>();
    for (Seed seed : PrivacyCorpus.SEEDS) parts.add(seed.value());
    parts.addAll(PrivacyCorpus.IDENTIFIERS);
    parts.addAll(PrivacyCorpus.generatedIdentifiers(200));
    parts.addAll(List.of("load-1701234567-3-12345", "run-20261203-000417", "4155550100", "+", "(", ")", "-", ".",
        "_", " ", ":", "=", "/", "@", "x", "7", "0", "42",
        // OTLP and UUID ids: digits glued to letters, runs that end inside a word
        "5e01feedface00112233445566778899", "0012345678901234", "4af7651916cd43dd8448eb211c80319c",
        "3f2a9c1e-1234-4abc-8def-0123456789ab", "9876543210abcdef", "415555010", "2345678901234",
        // long runs of digits (zero-padded and numeric ids) that a phone number may start inside or follow
        "0000000001000001", "1733412345678901234", "00000000000000000000", "+44207946095800000", "+123456789012345", "0 ", "(0", ") "));
    Random random = new Random(1203);
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = 1 + random.nextInt(4); k > 0; k--) b.append(parts.get(random.nextInt(parts.size())));
      String text = b.toString();
      String hinted = Detectors.redact(text);
      if (!hinted.equals(Detectors.redactTryingEveryRule(text))) differ.add(text + " -> " + hinted);
    }
    assertThat(differ).isEmpty();
  }

  @Test
  void realisticIdentifiers_areNeverAltered() {
    List<String> altered = new ArrayList<>();
    List<String> all = new ArrayList<>(PrivacyCorpus.IDENTIFIERS);
    all.addAll(PrivacyCorpus.generatedIdentifiers(2_000));
    for (String id : all) {
      if (!Detectors.redact(id).equals(id) || Detectors.detect(id) != null) altered.add(id + " -> " + Detectors.redact(id));
    }
    assertThat(altered).as("false positives among %d identifiers", all.size()).isEmpty();
  }

  @Test
  void keys_secretAndIdentifier() {
    for (String k : List.of("password", "api_key", "apiKey", "Authorization", "x-auth-token", "clientSecret",
        "aws_secret_access_key", "refresh_token", "private_key", "cookie", "db.password")) {
      assertThat(Detectors.secretKey(k)).as(k).isTrue();
    }
    for (String k : List.of("input_tokens", "max_tokens", "session_id", "author", "http_status", "tool", "keyboard")) {
      assertThat(Detectors.secretKey(k)).as(k).isFalse();
    }
    for (String k : List.of("user_id", "user.id", "enduser.id", "langfuse.session.id", "customerId", "email")) {
      assertThat(Detectors.identifierKey(k)).as(k).isTrue();
    }
    assertThat(Detectors.identifierKey("http_status")).isFalse();
  }
}
