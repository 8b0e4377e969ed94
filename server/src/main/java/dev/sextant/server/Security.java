package dev.sextant.server;

import java.nio.file.Path;

/**
 * The server's protective settings.
 *
 * @param bodyBudgetBytes request-body bytes all listeners together hold in memory at once; 0
 *     means automatic: a quarter of the maximum heap, and at least four of the largest bodies
 * @param tlsCert PEM certificate chain; with {@code tlsKey}, every listener serves TLS only; null
 *     for plain HTTP
 * @param tlsKey PEM private key (PKCS#8) of {@code tlsCert}, or null
 */
public record Security(long bodyBudgetBytes, Path tlsCert, Path tlsKey) {
  public static final Security DEFAULT = new Security(0, null, null);

  public boolean tls() {
    return tlsCert != null;
  }

  /**
   * The budget in bytes: the configured one, or the automatic one for this JVM and body limit. A
   * body is held against the budget until its request is answered, and in that time it is also
   * decoded (a JSON tree while it is read, several times the body) and its records wait for the
   * writer (about the body's size again): a tenth of the heap in bodies keeps all that inside about
   * half of it. At least two bodies of the largest size fit.
   */
  public long bodyBudget(long maxBodyBytes) {
    if (bodyBudgetBytes > 0) return bodyBudgetBytes;
    return Math.max(2 * maxBodyBytes, Runtime.getRuntime().maxMemory() / 10);
  }

  public Security withBodyBudget(long bytes) {
    return new Security(bytes, tlsCert, tlsKey);
  }

  public Security withTls(Path cert, Path key) {
    return new Security(bodyBudgetBytes, cert, key);
  }
}
