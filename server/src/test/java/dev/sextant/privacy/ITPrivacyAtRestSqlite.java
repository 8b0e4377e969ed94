package dev.sextant.privacy;

import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The privacy probe on SQLite: the database file, its WAL and shared-memory file, byte for byte. */
class ITPrivacyAtRestSqlite extends PrivacyAtRest {
  @Override
  protected TestServer start() {
    return TestServer.start();
  }

  @Override
  protected String atRest(TestServer server) {
    return files(server.dataDir());
  }

  @Override
  protected String afterStop(TestServer server) {
    return files(server.dataDir());
  }

  static String files(Path dir) {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        // ISO-8859-1 maps every byte to one char, so an ASCII needle is found wherever its bytes are
        out.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
