package dev.sextant.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Personal data and secrets of every kind the detectors know (all of them made up or published as
 * examples), and realistic identifiers that must pass unchanged. Shared by the detector tests and
 * the ingest tests that seed these values into every field and then search the database files.
 */
public final class PrivacyCorpus {
  /**
   * One seeded value.
   *
   * @param kind the marker the detectors must name
   * @param value what is sent
   * @param needles what must not be found at rest: the value, or its distinctive core where the
   *     stored form may differ (a private key's newlines are escaped in JSON)
   */
  public record Seed(String kind, String value, List<String> needles) {
    Seed(String kind, String value) {
      this(kind, value, List.of(value));
    }
  }

  public static final List<Seed> SEEDS = List.of(
      new Seed("email", "jane.doe+agent@example.com"),
      new Seed("email", "b.smith@mail.example.co.uk"),
      new Seed("phone", "+44 20 7946 0958"),
      new Seed("phone", "+1 (415) 555-0100"),
      new Seed("phone", "+14155550123"),
      new Seed("phone", "(415) 555-0142"),
      new Seed("phone", "415-555-0199"),
      new Seed("phone", "020 7946 0321"),
      new Seed("phone", "06 12 34 56 78"),
      new Seed("phone", "030 12345678"),
      new Seed("phone", "0412 345 678"),
      new Seed("card", "4111 1111 1111 1111"),
      new Seed("card", "5500-0000-0000-0004"),
      new Seed("card", "378282246310005"),
      new Seed("card", "4012888888881881"),
      new Seed("iban", "DE89 3704 0044 0532 0130 00"),
      new Seed("iban", "GB82WEST12345698765432"),
      new Seed("iban", "FR1420041010050500013M02606"),
      new Seed("ip", "203.0.113.42"),
      new Seed("ip", "10.0.0.12"),
      new Seed("ip", "2001:db8:85a3::8a2e:370:7334"),
      new Seed("ip", "fe80:0:0:0:202:b3ff:fe1e:8329"),
      new Seed("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
          + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
      new Seed("secret", "AKIAIOSFODNN7EXAMPLE"),
      new Seed("secret", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"),
      new Seed("secret", "sk-proj-4f9Xk2LmQ8vR1tZ7wB3nH6yJ0cD5eA9s"),
      new Seed("secret", "sk-ant-api03-Zq8wLm4Nx7Rt2Vb6Yc1Hd9Kf3Jg5Ps0Ua"),
      new Seed("secret", "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),
      new Seed("secret", "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"),
      new Seed("secret", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
      new Seed("secret", "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
          List.of("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq")),
      new Seed("secret", "abc8Q~Xy1zAbCdEfGhIjKlMnOpQrStUvWxYz0123"),
      new Seed("private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq4Zt9fQ2xw\n"
          + "-----END RSA PRIVATE KEY-----", List.of("MIIEowIBAAKCAQEA7bq4Zt9fQ2xw")),
      new Seed("secret", "postgres://admin:S3cr3tPa55@db.internal:5432/app", List.of("S3cr3tPa55")));

  /** A value no detector finds: it is only safe because of the key it is stored under. */
  public static final String SECRET_UNDER_KEY = "hunter2-correct-horse";

  /** Identifiers of the kinds agents send all the time; none may be altered. */
  public static final List<String> IDENTIFIERS = List.of(
      "550e8400-e29b-41d4-a716-446655440000", "123e4567-e89b-12d3-a456-426614174000",
      "gpt-4o-2024-08-06", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "claude-sonnet-4-20250514",
      "gemini-1.5-pro-002", "text-embedding-3-large", "llama-3.1-70b-instruct", "mistral-large-2407",
      "anthropic.claude-3-haiku-20240307-v1:0", "o1-preview-2024-09-12", "ft:gpt-4o-mini-2024-07-18:my-org::9zQx1abc",
      "billing_api", "search_web", "get_weather", "sql_query.run", "mcp__github__create_issue", "tool-call-7",
      "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "1.2.3", "10.0.19045", "2.0.0-rc.1+build.20240806",
      "v1.4.12", "1.0.0+20130313144700", "2024-08-06", "2026-11-22T10:00:00Z", "2026-11-22T10:00:00.123456789+01:00",
      "2026-11-22 10:00:00", "20261122T100000Z", "429", "us-east-1", "arn:aws:lambda:us-east-1:123456789012:function:fn",
      "agent-7d9f8b6c5d-x2k4z", "01HZX3K8Q2W5N7R9T4Y6V8B0C2", "1732272000000", "1732272000123456789", "PT30S",
      "/v1/invoices:search", "rate_limited", "gen_ai.operation.name=chat", "tokens <- gen_ai.usage.input_tokens",
      "run-2026-11-22-0001", "support-agent", "v2.3.0", "production", "eu-west-1a", "sha256:9f86d081884c7d65",
      "order 12345 shipped in 3 days", "step 3 of 10", "HTTP 504 Gateway Timeout", "retry 2/5 after 1500 ms",
      "std::vector<int>", "a1b2c3d4e5f6", "ses_2VxhQ8mN", "thread-42", "chatcmpl-9x8Y7z6W5v4U3t2S1r0Q",
      "call_abc123DEF456ghi789", "toolu_01A09q90qw90lq917835lq9");

  private PrivacyCorpus() {}

  /** Many generated identifiers: UUIDs, trace and span ids, timestamps, versions, model names. */
  public static List<String> generatedIdentifiers(int each) {
    Random random = new Random(42);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      out.add(new UUID(random.nextLong(), random.nextLong()).toString());
      out.add(hex(random, 32));
      out.add(hex(random, 16));
      int y = 2000 + random.nextInt(40);
      int mo = 1 + random.nextInt(12);
      int d = 1 + random.nextInt(28);
      int h = random.nextInt(24);
      int mi = random.nextInt(60);
      int s = random.nextInt(60);
      out.add(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, s, random.nextInt(1000)));
      out.add(String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s));
      out.add(String.format(Locale.ROOT, "gpt-4o-%04d-%02d-%02d", y, mo, d));
      out.add(random.nextInt(30) + "." + random.nextInt(100) + "." + random.nextInt(1000));
      out.add(String.valueOf(1_600_000_000_000L + (random.nextLong() & 0xFFFFFFFFFL)));
    }
    return out;
  }

  private static String hex(Random random, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(Character.forDigit(random.nextInt(16), 16));
    return b.toString();
  }
}
