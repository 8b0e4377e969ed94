package dev.sextant.protocol.otlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Position;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The bodies OTLP servers answer with: {@code ExportTraceServiceResponse} on success and
 * {@code google.rpc.Status} on failure, in protobuf or JSON. {@code google.rpc.Status} is encoded
 * by hand: it has three fields, and its generated class would pull in another library.
 */
public final class OtlpWire {
  /** gRPC status codes used here. */
  public static final int OK = 0;
  public static final int INVALID_ARGUMENT = 3;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;
  private static final int MAX_REPORTED_ERRORS = 5;

  private OtlpWire() {}

  /** Success; with {@code rejected > 0} or a message, a partial success the client must not retry. */
  public static ExportTraceServiceResponse response(long rejected, String message) {
    ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0 || (message != null && !message.isEmpty())) {
      b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rejected).setErrorMessage(message == null ? "" : message));
    }
    return b.build();
  }

  /**
   * The answer to a request of {@code spans} spans of which the pipeline {@code rejected} some
   * items: a partial success naming the first few by their position in the request, runs first.
   */
  public static ExportTraceServiceResponse response(List<ItemError<Position>> rejected, int spans) {
    if (rejected.isEmpty()) return response(0, null);
    List<ItemError<Position>> ordered = new ArrayList<>(rejected);
    ordered.sort(Comparator.comparing(e -> e.ref()));
    long rejectedSpans = 0;
    List<String> parts = new ArrayList<>();
    for (ItemError<Position> e : ordered) {
      Position at = e.ref();
      boolean span = at.kind().equals("step");
      if (span) rejectedSpans++;
      if (parts.size() < MAX_REPORTED_ERRORS) {
        parts.add(span ? "span " + at.index() + ": " + e.message() : "trace " + at.index() + " (run): " + e.message());
      }
    }
    String more = rejected.size() > parts.size() ? "; and " + (rejected.size() - parts.size()) + " more" : "";
    String message = (rejectedSpans > 0 ? rejectedSpans + " of " + spans + " spans rejected"
        : "some run fields were rejected") + ": " + String.join("; ", parts) + more;
    return response(rejectedSpans, message);
  }

  /** OTLP/JSON form: {@code {}} or {@code {"partialSuccess":{"rejectedSpans":"3","errorMessage":"…"}}}. */
  public static byte[] responseJson(ExportTraceServiceResponse r) {
    ObjectNode body = Json.object();
    if (r.hasPartialSuccess()) {
      ObjectNode p = body.putObject("partialSuccess");
      // int64 is a string in proto3 JSON
      p.put("rejectedSpans", Long.toString(r.getPartialSuccess().getRejectedSpans()));
      p.put("errorMessage", r.getPartialSuccess().getErrorMessage());
    }
    return Json.write(body).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code google.rpc.Status} as protobuf, optionally with a {@code google.rpc.RetryInfo} detail. */
  public static byte[] status(int code, String message, Integer retryAfterSeconds) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream o = CodedOutputStream.newInstance(out);
      if (code != 0) o.writeInt32(1, code);
      if (message != null && !message.isEmpty()) o.writeString(2, message);
      if (retryAfterSeconds != null) o.writeBytes(3, retryInfoAny(retryAfterSeconds));
      o.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code google.rpc.Status} as JSON. The {@code error} member is Sextant's own short code, so
   * the body also has the shape of every other Sextant error.
   */
  public static byte[] statusJson(int code, String error, String message) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.put("message", message);
    body.put("error", error);
    return Json.write(body).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code Any{type_url: RetryInfo, value: RetryInfo{retry_delay: Duration{seconds}}}}. */
  private static ByteString retryInfoAny(int seconds) throws IOException {
    ByteString duration = message(o -> o.writeInt64(1, seconds));
    ByteString retryInfo = message(o -> o.writeBytes(1, duration));
    return message(o -> {
      o.writeString(1, "type.googleapis.com/google.rpc.RetryInfo");
      o.writeBytes(2, retryInfo);
    });
  }

  private interface Writer {
    void write(CodedOutputStream o) throws IOException;
  }

  private static ByteString message(Writer w) throws IOException {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    w.write(o);
    o.flush();
    return out.toByteString();
  }
}
