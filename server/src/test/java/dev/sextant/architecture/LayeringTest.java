package dev.sextant.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server's packages depend one way: the model on nothing of the server; decoders
 * ({@code protocol}) on the model alone; storage and ingest on neither HTTP nor wiring; HTTP on
 * everything below it but never on the wiring ({@code server}) that builds it. Read from the
 * sources' imports and fully qualified names, so a new dependency against these rules fails here.
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/sextant");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.sextant\\.([a-z]+)\\.");

  @ParameterizedTest(name = "{0} uses none of {1}")
  @CsvSource({
      "model, protocol ingest store http server cli alert metrics transfer forward",
      "protocol, ingest store http server cli alert metrics transfer forward",
      "store, protocol ingest http server cli alert metrics transfer forward",
      "ingest, protocol http server cli alert metrics transfer",
      "http, server cli",
      "auth, http server cli",
  })
  void packageDependsOnlyDownwards(String pkg, String forbidden) {
    Set<String> banned = Set.of(forbidden.split(" "));
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = REFERENCE.matcher(lines.get(i));
          while (m.find()) {
            if (banned.contains(m.group(1))) offences.add(SOURCES.relativize(f) + ":" + (i + 1) + " uses " + m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(offences).as("dependencies of %s against the layering", pkg).isEmpty();
  }
}
