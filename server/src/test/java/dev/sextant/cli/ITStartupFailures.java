package dev.sextant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sextant serve} when a port is taken: one line on stderr that names the option to change, exit status 1. */
class ITStartupFailures {
  @TempDir Path dir;

  record Run(int status, String err) {}

  /** Runs the command line as {@code Main.main} does, without its {@code System.exit}. */
  static Run run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = new CommandLine(new Main()).execute(args);
      return new Run(status, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  String[] serve(String... ports) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--data-dir",
        Files.createTempDirectory(dir, "data").toString()));
    args.addAll(List.of(ports));
    return args.toArray(new String[0]);
  }

  static ServerSocket occupy() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void mainPortInUse() throws IOException {
    try (ServerSocket busy = occupy()) {
      int port = busy.getLocalPort();
      Run r = run(serve("--port", Integer.toString(port), "--otlp-http-port", "-1", "--otlp-grpc-port", "-1"));
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("sextant: cannot listen on 127.0.0.1:" + port
          + ": address already in use; choose another port with --port or SEXTANT_PORT" + System.lineSeparator());
    }
  }

  @Test
  void otlpPortsInUse_nameTheirOwnOptions() throws IOException {
    try (ServerSocket busy = occupy()) {
      int port = busy.getLocalPort();
      Run http = run(serve("--port", "0", "--otlp-http-port", Integer.toString(port), "--otlp-grpc-port", "-1"));
      assertThat(http.status()).isEqualTo(1);
      assertThat(http.err()).isEqualTo("sextant: cannot listen on 127.0.0.1:" + port + ": address already in use;"
          + " choose another port with --otlp-http-port or SEXTANT_OTLP_HTTP_PORT (-1 turns that listener off)"
          + System.lineSeparator());

      Run grpc = run(serve("--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", Integer.toString(port)));
      assertThat(grpc.status()).isEqualTo(1);
      assertThat(grpc.err()).isEqualTo("sextant: cannot listen on 127.0.0.1:" + port + ": address already in use;"
          + " choose another port with --otlp-grpc-port or SEXTANT_OTLP_GRPC_PORT (-1 turns that listener off)"
          + System.lineSeparator());
    }
  }
}
