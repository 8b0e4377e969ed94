package dev.sextant.cli;

import dev.sextant.model.Json;
import dev.sextant.model.RunStatus;
import dev.sextant.model.Times;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Store;
import dev.sextant.transfer.Exporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the runs matching a filter as native JSON Lines (re-importable) or CSV of the run list.")
final class ExportCommand implements Callable<Integer> {
  @Mixin TargetOptions target;

  @Option(names = {"-o", "--output"}, description = "File to write; standard output when absent.")
  Path output;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl (default) or csv.")
  String format;

  @Option(names = "--run-id", description = "Export this one run only.")
  String runId;

  @Option(names = "--agent") String agent;
  @Option(names = "--agent-version") String version;
  @Option(names = "--environment") String environment;
  @Option(names = "--status", description = "success, failure, partial or running.") String status;
  @Option(names = "--failure-type") String failureType;
  @Option(names = "--failure-code") String failureCode;
  @Option(names = "--session") String session;
  @Option(names = "--label", description = "key:value; repeatable.") List<String> labels = new ArrayList<>();
  @Option(names = "--q", description = "Text in run and step names.") String text;
  @Option(names = "--from", description = "RFC 3339 start bound.") String from;
  @Option(names = "--to", description = "RFC 3339 end bound.") String to;

  @Override
  public Integer call() throws Exception {
    Exporter.Format f;
    boolean remote;
    try {
      f = Exporter.Format.parse(format);
      remote = target.remote();
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    }
    try (OutputStream out = output == null ? new Unclosed(System.out)
        : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
      return remote ? fromServer(f, out) : fromStore(f, out);
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    }
  }

  private int fromServer(Exporter.Format f, OutputStream out) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String query = query();
    long total = runId != null ? 1 : 0;
    if (runId == null && Progress.onTerminal()) {
      HttpResponse<String> stats = http.send(target.request("/v1/stats?" + query).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (stats.statusCode() == 200) total = Json.read(stats.body()).path("runs").path("total").asLong();
    }
    HttpResponse<InputStream> r = http.send(
        target.request("/v1/export?format=" + f.extension + "&" + query).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      try (InputStream in = r.body()) {
        System.err.println("sextant: the server answered " + r.statusCode() + ": "
            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      return Startup.EXIT_FAILURE;
    }
    Progress progress = new Progress(System.err, Progress.onTerminal(), "exporting runs", total);
    long runs = 0;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[1 << 16];
      int n;
      long column = 0;
      long lines = 0;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        for (int i = 0; i < n; i++) {
          // a run's line starts {"runs" in JSON Lines (its third byte is r); in CSV every line after the header
          if (f == Exporter.Format.JSONL && column == 2 && buf[i] == 'r') runs++;
          if (buf[i] == '\n') {
            lines++;
            column = 0;
          } else {
            column++;
          }
        }
        if (f == Exporter.Format.CSV) runs = Math.max(0, lines - 1);
        progress.update(runs);
      }
    }
    progress.finish(runs);
    System.err.printf("exported %d runs%n", runs);
    return 0;
  }

  private int fromStore(Exporter.Format f, OutputStream out) {
    RunQuery filter = filter();
    try (Store store = target.openStore()) {
      if (store.project(target.project).isEmpty()) {
        throw new IllegalArgumentException("project " + target.project + " does not exist in this store");
      }
      long total = runId != null ? 1 : Progress.onTerminal() ? store.stats(target.project, filter).runs().total() : 0;
      Progress progress = new Progress(System.err, Progress.onTerminal(), "exporting runs", total);
      long runs = new Exporter(store).write(target.project, filter, runId, f, out, progress::update);
      if (runId != null && runs == 0) {
        throw new IllegalArgumentException("run " + runId + " does not exist in project " + target.project);
      }
      progress.finish(runs);
      System.err.printf("exported %d runs%n", runs);
      return 0;
    }
  }

  private RunQuery filter() {
    if (status != null && RunStatus.parse(status) == null) {
      throw new IllegalArgumentException("--status must be one of success, failure, partial, running, got \"" + status + "\"");
    }
    List<RunQuery.LabelFilter> parsed = new ArrayList<>();
    for (String l : labels) {
      int colon = l.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("--label must be key:value, got \"" + l + "\"");
      parsed.add(new RunQuery.LabelFilter(l.substring(0, colon), l.substring(colon + 1)));
    }
    return new RunQuery(agent, version, environment, status == null ? null : RunStatus.parse(status).wire(),
        failureType, failureCode, session, parsed, text, bound("--from", from), bound("--to", to), null, null,
        RunQuery.Sort.START_TIME, 500, null);
  }

  private static Long bound(String name, String v) {
    if (v == null) return null;
    try {
      return Times.parseBound(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " " + e.getMessage());
    }
  }

  private String query() {
    StringBuilder q = new StringBuilder();
    param(q, "run_id", runId);
    param(q, "agent", agent);
    param(q, "version", version);
    param(q, "environment", environment);
    param(q, "status", status);
    param(q, "failure_type", failureType);
    param(q, "failure_code", failureCode);
    param(q, "session", session);
    for (String l : labels) param(q, "label", l);
    param(q, "q", text);
    param(q, "from", from);
    param(q, "to", to);
    return q.toString();
  }

  private static void param(StringBuilder q, String name, String v) {
    if (v == null) return;
    if (q.length() > 0) q.append('&');
    q.append(name).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
  }

  /** Standard output, flushed but never closed by the export. */
  private static final class Unclosed extends java.io.FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
