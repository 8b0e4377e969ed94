package dev.sextant.cli;

import static dev.sextant.cli.ITStartupFailures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.auth.Bootstrap;
import dev.sextant.demo.DemoData;
import dev.sextant.model.Json;
import dev.sextant.server.Config;
import dev.sextant.server.SextantServer;
import dev.sextant.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sextant export} and {@code sextant import} against a server and against a data directory. */
class ITTransferCommands {
  @RegisterExtension
  static final TestServer source = TestServer.perClass();
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    new DemoData(Clock.systemUTC(), 11).write(source.server().pipeline(),
        source.server().store().project(Bootstrap.DEFAULT_PROJECT).orElseThrow(), 25);
  }

  @Test
  void exportFromServerAndDataDir_sameBytes_importIntoServerAndDataDir() throws Exception {
    Path viaServer = dir.resolve("server.jsonl");
    Path viaDataDir = dir.resolve("datadir.jsonl");
    ITStartupFailures.Run remote = run("export", "--server", source.baseUrl(), "--api-key", TestServer.API_KEY,
        "-o", viaServer.toString());
    assertThat(remote.status()).as(remote.err()).isZero();
    assertThat(remote.err()).contains("exported 25 runs");
    ITStartupFailures.Run local = run("export", "--data-dir", source.dataDir().toString(), "-o", viaDataDir.toString());
    assertThat(local.status()).as(local.err()).isZero();
    assertThat(local.err()).contains("exported 25 runs");
    assertThat(Files.readString(viaDataDir)).isEqualTo(Files.readString(viaServer));
    assertThat(Files.readAllLines(viaServer).stream().filter(l -> l.startsWith("{\"runs\"")).count()).isEqualTo(25);

    try (TestServer target = TestServer.start()) {
      ITStartupFailures.Run imported = run("import", viaServer.toString(), "--server", target.baseUrl(),
          "--api-key", TestServer.API_KEY);
      assertThat(imported.status()).as(imported.err()).isZero();
      assertThat(imported.err()).contains("imported 25 runs and ");
      assertSameRuns(target);
    }

    Path data = Files.createDirectory(dir.resolve("data"));
    new SextantServer(Config.builder(data).bootstrapApiKey(TestServer.API_KEY)
        .bootstrapAdminPassword(TestServer.ADMIN_PASSWORD).build(),
        Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).start().close();
    ITStartupFailures.Run imported = run("import", viaServer.toString(), "--data-dir", data.toString());
    assertThat(imported.status()).as(imported.err()).isZero();
    try (TestServer reopened =
        TestServer.start(c -> Config.builder(data).bootstrapApiKey(TestServer.API_KEY).build())) {
      assertSameRuns(reopened);
    }
  }

  @Test
  void csvWithFilter() throws Exception {
    Path csv = dir.resolve("runs.csv");
    assertThat(run("export", "--data-dir", source.dataDir().toString(), "--format", "csv", "--status", "failure",
        "-o", csv.toString()).status()).isZero();
    int failed = Json.read(source.get("/v1/runs?limit=1000&status=failure").body()).path("runs").size();
    assertThat(Files.readAllLines(csv)).hasSize(1 + failed);
  }

  @Test
  void mistakes_areExplained() {
    ITStartupFailures.Run nowhere = run("export");
    assertThat(nowhere.status()).isEqualTo(2);
    assertThat(nowhere.err()).contains("say where the runs are: --server URL --api-key KEY");
    ITStartupFailures.Run noKey = run("export", "--server", source.baseUrl());
    assertThat(noKey.err()).contains("--server needs --api-key");
    ITStartupFailures.Run status = run("export", "--data-dir", source.dataDir().toString(), "--status", "ok");
    assertThat(status.err()).contains("--status must be one of success, failure, partial, running, got \"ok\"");
    ITStartupFailures.Run format = run("import", "x.json", "--format", "xml", "--data-dir", dir.toString());
    assertThat(format.err()).contains("format must be one of native");
    ITStartupFailures.Run badKey = run("export", "--server", source.baseUrl(), "--api-key", "nope");
    assertThat(badKey.status()).isEqualTo(1);
    assertThat(badKey.err()).contains("the server answered 401");
  }

  private static void assertSameRuns(TestServer target) {
    List<String> ids = new ArrayList<>();
    for (JsonNode r : Json.read(source.get("/v1/runs?limit=1000").body()).path("runs")) ids.add(r.path("run_id").asText());
    for (String id : ids) {
      assertThat(Json.read(target.get("/v1/runs/" + id).body())).as(id)
          .isEqualTo(Json.read(source.get("/v1/runs/" + id).body()));
    }
  }
}
