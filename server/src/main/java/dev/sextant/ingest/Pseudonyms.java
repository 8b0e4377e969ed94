package dev.sextant.ingest;

import dev.sextant.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms per project: personal data found in a field users group by (a session id, a
 * label value, a user id) is stored as {@code [email:1f2e3d4c5b6a7988]}, the first 64 bits of
 * HMAC-SHA256 under the project's secret. The same value gets the same pseudonym in every field,
 * on every node and after restarts, so "all runs of this session" still works; without the secret
 * a pseudonym cannot be checked against a list of guessed addresses.
 */
public final class Pseudonyms {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final ProjectSecrets secrets;
  private final Supplier<byte[]> newSecret;
  private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();
  /** A Mac is not thread-safe and costs microseconds to obtain: one per thread and project. */
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(java.util.HashMap::new);

  /**
   * @param newSecret fresh random bytes, offered to the store the first time a project needs a
   *     secret; the store keeps the first one offered by any node
   */
  public Pseudonyms(Store store, Supplier<byte[]> newSecret) {
    this(store::projectSecret, newSecret);
  }

  /** Pseudonyms keyed by the secrets {@code secrets} keeps (the store's, in a server). */
  public Pseudonyms(ProjectSecrets secrets, Supplier<byte[]> newSecret) {
    this.secrets = secrets;
    this.newSecret = newSecret;
  }

  /** Where each project's secret is kept: the first secret offered for a project is its secret for good. */
  @FunctionalInterface
  public interface ProjectSecrets {
    /** The project's secret, {@code candidate} when it has none yet. */
    byte[] projectSecret(String projectId, byte[] candidate);
  }

  /** 32 bytes from {@link SecureRandom} per call: the secrets a server offers its store. */
  public static Supplier<byte[]> randomSecrets() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] b = new byte[32];
      random.nextBytes(b);
      return b;
    };
  }

  /** The pseudonym of {@code value}, in which personal data of {@code kind} was detected. */
  String of(String projectId, String kind, String value) {
    try {
      Map<String, Mac> mine = macs.get();
      Mac mac = mine.get(projectId);
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(keys.computeIfAbsent(projectId, p -> new SecretKeySpec(secrets.projectSecret(p, newSecret.get()),
            "HmacSHA256")));
        mine.put(projectId, mac);
      }
      byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder(kind.length() + 19).append('[').append(kind).append(':');
      for (int i = 0; i < 8; i++) out.append(HEX[(h[i] >> 4) & 15]).append(HEX[h[i] & 15]);
      return out.append(']').toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
