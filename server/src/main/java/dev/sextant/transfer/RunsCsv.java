package dev.sextant.transfer;

import dev.sextant.model.Json;
import dev.sextant.store.RunSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The run list as CSV (RFC 4180, a header row, UTF-8) for spreadsheets. A text cell that a
 * spreadsheet would run as a formula ({@code = + - @} first) is prefixed with {@code '}, because
 * run names and labels come from untrusted clients.
 */
final class RunsCsv {
  static final String HEADER = "run_id,agent_id,agent_version,environment,name,session_id,status,start_time,"
      + "end_time,duration_ms,step_count,error_count,retry_count,input_tokens,output_tokens,cost_usd,"
      + "failure_type,failure_code,failure_step_id,labels";

  private final Writer w;

  RunsCsv(OutputStream out) {
    this.w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    write(HEADER);
    write("\r\n");
  }

  void row(RunSummary r) {
    RunSummary.FailureRef f = r.failure();
    Object[] cells = {r.runId(), r.agentId(), r.agentVersion(), r.environment(), r.name(), r.sessionId(),
        r.status(), r.startTime(), r.endTime(), r.durationMs(), r.stepCount(), r.errorCount(), r.retryCount(),
        r.inputTokens(), r.outputTokens(), r.costUsd(), f == null ? null : f.type(), f == null ? null : f.code(),
        f == null ? null : f.stepId(), r.labels() == null || r.labels().isEmpty() ? null : Json.write(r.labels())};
    StringBuilder line = new StringBuilder(256);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) line.append(',');
      Object c = cells[i];
      if (c == null) continue;
      line.append(c instanceof String s ? text(s) : c.toString());
    }
    write(line.append("\r\n").toString());
  }

  void flush() {
    try {
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One text cell: quoted when it holds a separator, quote or line break; formula-safe. */
  static String text(String s) {
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }

  private void write(String s) {
    try {
      w.write(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
