package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.sextant.store.RunQuery;
import dev.sextant.store.TraceReader;
import dev.sextant.transfer.Exporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/export}: the runs matching any {@code /v1/runs} filter (or one run, {@code run_id})
 * streamed as native JSON Lines or CSV. The body is written while the store is read, chunk by
 * chunk, at the pace the client reads it.
 */
final class ExportService {
  private static final Logger log = LoggerFactory.getLogger(ExportService.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final TraceReader store;
  private final Clock clock;

  ExportService(TraceReader store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  HttpResponse export(Call call) {
    Exporter.Format format;
    try {
      format = Exporter.Format.parse(call.param("format"));
    } catch (IllegalArgumentException e) {
      throw HttpFailure.badRequest(e.getMessage());
    }
    String projectId = call.project().projectId();
    RunQuery filter = RunQueryParser.parse(call);
    String runId = call.param("run_id");
    if (runId != null && store.getRun(projectId, runId).isEmpty()) {
      throw HttpFailure.notFound("run " + runId + " does not exist in this project");
    }
    String file = "sextant-" + projectId + (runId != null ? "-run-" + safe(runId) : "") + "-"
        + STAMP.format(clock.instant()) + "." + format.extension;
    HttpResponseWriter res = HttpResponse.streaming();
    res.write(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(MediaType.parse(format.contentType + "; charset=utf-8"))
        .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .build());
    // an export runs as long as the client reads; the stall limit in ResponseStream bounds it
    call.ctx().clearRequestTimeout();
    call.ctx().blockingTaskExecutor().execute(() -> {
      RequestLogging.enter(call.ctx());
      try (ResponseStream out = new ResponseStream(res)) {
        long runs = new Exporter(store).write(projectId, filter, runId, format, out, n -> {});
        out.flush();
        res.close();
        log.info("Export: {} runs of project {} as {}", runs, projectId, format.extension);
      } catch (UncheckedIOException | IOException e) {
        log.info("Export of project {} stopped: {}", projectId, e.getMessage());
        res.close(e);
      } catch (RuntimeException e) {
        log.warn("Export of project {} failed", projectId, e);
        res.close(e);
      } finally {
        RequestLogging.exit();
      }
    });
    return res;
  }

  /** A run id as a file name part: letters, digits, dot, dash and underscore only. */
  private static String safe(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
