package dev.sextant.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The container image tarball that {@code -Pimage package} writes, checked where no container
 * runtime can run it: its config (user, ports, entrypoint, volume, environment, labels) and that
 * its layers hold a Java runtime, the C libraries, the user and the application. Run after
 * building the image in the same build: {@code ./test} and {@code mvn -Pimage verify} package the
 * image, then run this with the integration tests ({@code -Pimage} points {@code sextant.image} at
 * {@code target/sextant-image.tar}).
 */
@EnabledIfSystemProperty(named = "sextant.image", matches = ".+")
class ITImageTarball {
  private final Path tar = Path.of(System.getProperty("sextant.image", ""));

  @Test
  void config_nonRootUser_ports_volume_entrypoint_labels() throws IOException {
    assertThat(tar).as("build the image first: mvn -pl server -am -Pimage -DskipTests package").exists();
    Map<String, byte[]> files = Tar.read(Files.newInputStream(tar), name -> true);
    JsonNode index = json(files, "index.json");
    assertThat(index.at("/manifests/0/annotations").toString()).contains("sextant:latest");
    JsonNode config = json(files, blob(json(files, blob(index.at("/manifests/0/digest").asText())).at("/config/digest").asText()));
    JsonNode c = config.path("config");
    assertThat(c.path("User").asText()).isEqualTo("10001:10001");
    assertThat(c.path("ExposedPorts").has("8000/tcp")).isTrue();
    assertThat(c.path("ExposedPorts").has("4317/tcp")).isTrue();
    assertThat(c.path("ExposedPorts").has("4318/tcp")).isTrue();
    assertThat(c.path("Volumes").has("/data")).isTrue();
    assertThat(c.path("Entrypoint").get(0).asText()).isEqualTo("/opt/java/bin/java");
    assertThat(c.path("Entrypoint").toString()).contains("dev.sextant.cli.Main");
    assertThat(c.path("Cmd").toString()).isEqualTo("[\"serve\"]");
    assertThat(c.path("Env").toString()).contains("SEXTANT_DATA_DIR=/data", "SEXTANT_HOST=0.0.0.0");
    assertThat(c.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("Sextant");
    assertThat(config.path("os").asText()).isEqualTo("linux");
  }

  @Test
  void layers_holdRuntime_libraries_user_andApplication() throws IOException {
    Map<String, byte[]> files = Tar.read(Files.newInputStream(tar), name -> true);
    JsonNode manifest = json(files, blob(json(files, "index.json").at("/manifests/0/digest").asText()));
    Map<String, Integer> modes = new HashMap<>();
    Map<String, byte[]> wanted = new HashMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      byte[] gz = files.get(blob(layer.path("digest").asText()));
      Tar.list(new GZIPInputStream(new java.io.ByteArrayInputStream(gz)), modes, wanted, List.of("etc/passwd"));
    }
    assertThat(modes).containsKeys("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "lib64/ld-linux-x86-64.so.2",
        "app/classes/dev/sextant/cli/Main.class", "etc/passwd");
    assertThat(modes.keySet()).anyMatch(n -> n.matches("lib/.*/libc\\.so\\.6"));
    assertThat(modes.keySet()).anyMatch(n -> n.matches("app/libs/armeria-.*\\.jar"));
    assertThat(modes.get("opt/java/bin/java") & 0111).as("java is executable").isNotZero();
    assertThat(new String(wanted.get("etc/passwd"), StandardCharsets.UTF_8)).contains("sextant:x:10001:10001");
  }

  /** The path of a blob in the OCI layout. */
  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static JsonNode json(Map<String, byte[]> files, String name) {
    assertThat(files).as("the image tarball has " + name).containsKey(name);
    return Json.read(new String(files.get(name), StandardCharsets.UTF_8));
  }

  /** A minimal ustar reader: enough for the image tarball and its layers. */
  static final class Tar {
    interface Filter {
      boolean keep(String name);
    }

    static Map<String, byte[]> read(InputStream in, Filter keep) throws IOException {
      Map<String, byte[]> out = new HashMap<>();
      try (in) {
        each(in, (name, mode, body) -> {
          if (keep.keep(name)) out.put(name, body.readAllBytes());
        });
      }
      return out;
    }

    static void list(InputStream in, Map<String, Integer> modes, Map<String, byte[]> contents, List<String> read)
        throws IOException {
      try (in) {
        each(in, (name, mode, body) -> {
          modes.put(name, mode);
          if (read.contains(name)) contents.put(name, body.readAllBytes());
        });
      }
    }

    interface Entry {
      void accept(String name, int mode, InputStream body) throws IOException;
    }

    private static void each(InputStream in, Entry entry) throws IOException {
      byte[] header = new byte[512];
      String longName = null;
      while (in.readNBytes(header, 0, 512) == 512) {
        if (header[0] == 0) break;
        String name = longName != null ? longName : field(header, 0, 100);
        longName = null;
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty() && name.equals(field(header, 0, 100))) name = prefix + "/" + name;
        int mode = (int) octal(header, 100, 8);
        long size = octal(header, 124, 12);
        byte type = header[156];
        byte[] body = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (type == 'L') {
          longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if (type == 'x') {
          // PAX extended header: records "<length> <key>=<value>\n"; only path matters here
          for (String record : new String(body, StandardCharsets.UTF_8).split("\n")) {
            int eq = record.indexOf(" path=");
            if (eq > 0) longName = record.substring(eq + " path=".length());
          }
          continue;
        }
        if (name.startsWith("./")) name = name.substring(2);
        if (name.startsWith("/")) name = name.substring(1);
        if (type == '0' || type == 0) entry.accept(name, mode, new java.io.ByteArrayInputStream(body));
        else if (type == '5' || type == '2') entry.accept(name.endsWith("/") ? name.substring(0, name.length() - 1) : name,
            mode, new java.io.ByteArrayInputStream(new byte[0]));
      }
    }

    private static String field(byte[] h, int off, int len) {
      int end = off;
      while (end < off + len && h[end] != 0) end++;
      return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
      String s = field(h, off, len).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

  }
}
