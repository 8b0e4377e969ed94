package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQLite store on a small file system (a 32 MiB tmpfs, which needs root to mount) filled up by
 * ingest: requests are refused with 503 {@code store_full} and {@code Retry-After}, never a 500;
 * readiness says so; once room is freed, readiness and ingest come back by themselves; and every
 * acknowledged run is stored whole.
 */
class ITDiskFull {
  /**
   * Steps per request: 2,000 requests of this many fill the 8 MiB left however the log is reused
   * (a log checkpointed beside the writer starts again from its beginning more often, so the
   * database file alone has to fill the room).
   */
  private static final int STEPS = 100;

  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = Files.createTempDirectory("sextant-full");
    StringBuilder out = new StringBuilder();
    mounted = run(out, "mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString())
        || run(out, "sudo", "-n", "mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root or password-less sudo: " + out);
  }

  @AfterEach
  void unmount() throws Exception {
    if (!mounted) return;
    StringBuilder out = new StringBuilder();
    if (!run(out, "umount", "-l", mount.toString())) run(out, "sudo", "-n", "umount", "-l", mount.toString());
  }

  /** Runs a command, adding its output to {@code out}; true when it succeeded. */
  private static boolean run(StringBuilder out, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      out.append(new String(p.getInputStream().readAllBytes()));
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      out.append(e).append('\n');
      return false;
    }
  }

  @Test
  void aFullDisk_refusesWith503StoreFull_andIngestResumesOnceThereIsRoom() throws Exception {
    // 24 MiB of the 32 to free later, so that the store fills the rest. Readiness needs
    // SqliteStore.ROOM_BYTES (16 MiB) free: the other 8 are slack for a checkpoint that, once there is
    // room, copies the log into the database file and so grows it.
    Path filler = mount.resolve("filler");
    Files.write(filler, new byte[24 << 20]);
    Path data = Files.createDirectories(mount.resolve("data"));
    try (TestServer server = TestServer.start(data, c -> c)) {
      List<String> acked = new ArrayList<>();
      TestServer.Response refused = null;
      for (int i = 0; i < 2000 && refused == null; i++) {
        String id = "full-" + i;
        TestServer.Response r = server.post("/v1/ingest", LoadBodies.run(id, STEPS));
        if (r.status() == 200) {
          acked.add(id);
        } else {
          assertThat(r.status()).as(r.body()).isIn(429, 503);
          assertThat(r.header("retry-after")).as("Retry-After of %s", r.body()).isNotNull();
          if (r.status() == 503) refused = r;
        }
      }
      assertThat(refused).as("the disk filled up").isNotNull();
      assertThat(Json.read(refused.body()).path("error").asText()).isEqualTo("store_full");
      assertThat(refused.body()).contains("disk is full");
      assertThat(acked).isNotEmpty();

      TestServer.Response notReady = server.get("/health/ready");
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(Json.read(notReady.body()).path("status").asText()).isEqualTo("store_full");
      // A refused commit is rolled back, and the log space it had taken can hold the next one: then
      // that one is acknowledged, and must be kept like any other; else it is refused as the first.
      TestServer.Response again = server.post("/v1/ingest", LoadBodies.run("full-again", STEPS));
      if (again.status() == 200) {
        acked.add("full-again");
      } else {
        assertThat(again.status()).as(again.body()).isEqualTo(503);
        // the writer's next connection finds the disk full too, and says so
        assertThat(Json.read(again.body()).path("error").asText()).as(again.body()).isEqualTo("store_full");
      }

      Files.delete(filler);
      TestServer.Response ready = server.get("/health/ready");
      // the writer may be finishing a checkpoint that the full disk had stopped
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          ready.status() != 200 && System.nanoTime() < until; ) {
        Thread.sleep(100);
        ready = server.get("/health/ready");
      }
      assertThat(ready.status()).as("ready once there is room: %s", ready.body()).isEqualTo(200);
      TestServer.Response resumed = server.post("/v1/ingest", LoadBodies.run("after-room", STEPS));
      assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
      acked.add("after-room");

      for (String id : acked) {
        TestServer.Response r = server.get("/v1/runs/" + id);
        assertThat(r.status()).as(id).isEqualTo(200);
        JsonNode run = Json.read(r.body()).path("run");
        assertThat(run.path("step_count").asInt()).as(id).isEqualTo(STEPS);
      }
    }
  }

}
