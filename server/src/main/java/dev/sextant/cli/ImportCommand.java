package dev.sextant.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.Pseudonyms;
import dev.sextant.ingest.WriteQueue;
import dev.sextant.model.Json;
import dev.sextant.server.Config;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.transfer.ImportFormat;
import dev.sextant.transfer.Importer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Ingest a Sextant export (JSON Lines) or a file written by another tool's SDK.")
final class ImportCommand implements Callable<Integer> {
  /** Bytes of JSON Lines sent per request to a server, well under the default body limit. */
  private static final int REQUEST_BYTES = 4 << 20;

  @Mixin TargetOptions target;

  @Parameters(index = "0", description = "The file to import.")
  Path file;

  @Option(names = "--format", defaultValue = "native",
      description = "native (a Sextant export), aiobs, agent-observatory or agenttracer.")
  String format;

  private long runs;
  private long steps;
  private long errors;

  @Override
  public Integer call() throws Exception {
    ImportFormat f;
    boolean remote;
    try {
      f = ImportFormat.parse(format);
      remote = target.remote();
      if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read " + file);
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    }
    Progress progress = new Progress(System.err, Progress.onTerminal(), "importing bytes", Files.size(file));
    int status;
    try {
      status = remote ? toServer(f, progress) : toStore(f, progress);
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    }
    progress.finish(Files.size(file));
    System.err.printf("imported %d runs and %d steps; %d items rejected%n", runs, steps, errors);
    return status != 0 ? status : errors > 0 ? Startup.EXIT_FAILURE : 0;
  }

  private int toStore(ImportFormat f, Progress progress) throws IOException {
    try (Store store = target.openStore()) {
      Project project = store.project(target.project).orElseThrow(() -> new IllegalArgumentException(
          "project " + target.project + " does not exist in this store; start the server on it once, or create the project"));
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      Config config = target.config();
      try (WriteQueue queue =
              new WriteQueue(store, config.queueCapacityItems(), config.maxCommitItems(), metrics).start();
          InputStream in = Files.newInputStream(file)) {
        Importer.Result r = new Importer(new IngestPipeline(config.limits(),
            new Pseudonyms(store, Pseudonyms.randomSecrets()), queue, metrics))
            .importFrom(project, f, in, progress::update);
        runs = r.runs();
        steps = r.steps();
        errors = r.errors().size();
        for (Importer.Problem p : r.errors()) {
          System.err.println((p.line() > 0 ? "line " + p.line() + ": " : "") + p.kind() + ": " + p.message());
        }
      }
    }
    return 0;
  }

  private int toServer(ImportFormat f, Progress progress) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    if (f != ImportFormat.NATIVE) return send(http, f, Files.readAllBytes(file), 0);
    // an export can be far larger than one request may be: send it a few MiB of whole lines at a time
    long sent = 0;
    long linesBefore = 0;
    long lines = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder chunk = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        chunk.append(line).append('\n');
        lines++;
        if (chunk.length() >= REQUEST_BYTES) {
          sent += chunk.length();
          if (send(http, f, chunk.toString().getBytes(StandardCharsets.UTF_8), linesBefore) != 0) {
            return Startup.EXIT_FAILURE;
          }
          chunk.setLength(0);
          linesBefore = lines;
          progress.update(sent);
        }
      }
      if (chunk.length() > 0 && send(http, f, chunk.toString().getBytes(StandardCharsets.UTF_8), linesBefore) != 0) {
        return Startup.EXIT_FAILURE;
      }
    }
    return 0;
  }

  /** @param linesBefore lines of the file sent in earlier requests, to number the lines of errors */
  private int send(HttpClient http, ImportFormat f, byte[] body, long linesBefore) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> r = http.send(target.request("/v1/import/" + f.wire())
          .header("Content-Type", f == ImportFormat.NATIVE ? "application/x-ndjson" : "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      if ((r.statusCode() == 429 || r.statusCode() == 503) && attempt < 30) {
        Thread.sleep(1000L * Integer.parseInt(r.headers().firstValue("retry-after").orElse("1")));
        continue;
      }
      if (r.statusCode() != 200) {
        System.err.println("sextant: the server answered " + r.statusCode() + ": " + r.body());
        return Startup.EXIT_FAILURE;
      }
      JsonNode b = Json.read(r.body());
      runs += b.path("accepted").path("runs").asLong();
      steps += b.path("accepted").path("steps").asLong();
      errors += b.path("error_count").asLong();
      for (JsonNode e : b.path("errors")) {
        System.err.println((e.has("line") ? "line " + (linesBefore + e.path("line").asLong()) + ": " : "")
            + e.path("kind").asText() + ": " + e.path("message").asText());
      }
      return 0;
    }
  }
}
