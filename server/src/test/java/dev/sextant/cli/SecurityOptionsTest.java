package dev.sextant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of TLS and of the body budget, as {@code serve} parses them. */
class SecurityOptionsTest {
  static Config parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.options.toConfig();
  }

  @Test
  void tls_needsBothFiles() {
    assertThat(parse().security().tls()).isFalse();
    Config both = parse("--tls-cert", "/etc/sextant/cert.pem", "--tls-key", "/etc/sextant/key.pem");
    assertThat(both.security().tlsCert()).isEqualTo(Path.of("/etc/sextant/cert.pem"));
    assertThat(both.security().tlsKey()).isEqualTo(Path.of("/etc/sextant/key.pem"));
    assertThatThrownBy(() -> parse("--tls-cert", "/etc/sextant/cert.pem"))
        .hasMessage("TLS needs both --tls-cert and --tls-key (SEXTANT_TLS_CERT, SEXTANT_TLS_KEY)");
  }

  @Test
  void theBodyBudget_isAutoOrAtLeastTheBodyLimit() {
    assertThat(parse().security().bodyBudgetBytes()).isZero();
    assertThat(parse("--max-body-bytes-in-flight", "256m").security().bodyBudgetBytes()).isEqualTo(256L << 20);
    assertThatThrownBy(() -> parse("--max-body-bytes-in-flight", "1m"))
        .hasMessageStartingWith("--max-body-bytes-in-flight must be auto or at least the largest body (10485760 bytes");
  }
}
