package dev.sextant.server;

import com.linecorp.armeria.common.TlsKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;

/** The listeners' certificate and key, read once at start from PEM files. */
final class Tls {
  private Tls() {}

  /**
   * @param cert PEM certificate chain, the server's own certificate first
   * @param key PEM private key of that certificate, PKCS#8 ({@code BEGIN PRIVATE KEY})
   * @throws IllegalArgumentException saying which file is wrong and how
   */
  static TlsKeyPair keyPair(Path cert, Path key) {
    if (cert == null || key == null) {
      throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (SEXTANT_TLS_CERT, SEXTANT_TLS_KEY)");
    }
    readable("--tls-cert", cert);
    readable("--tls-key", key);
    try {
      return TlsKeyPair.of(key.toFile(), cert.toFile());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--tls-cert " + cert + " and --tls-key " + key + " are not a PEM certificate"
          + " chain and its PEM (PKCS#8) private key: " + e.getMessage(), e);
    }
  }

  private static void readable(String flag, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + " " + file + " is not a readable file");
    }
  }
}
