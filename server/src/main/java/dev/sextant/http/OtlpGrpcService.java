package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.model.Batch;
import dev.sextant.model.Position;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.Project;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/gRPC: the unary {@code TraceService/Export} call over plaintext HTTP/2. The gRPC framing
 * is done here rather than with a gRPC library because a single unary method needs little of
 * one, and owning it lets the size limit apply after {@code grpc-encoding: gzip} decompression,
 * and errors carry the codes OTLP prescribes ({@code UNAVAILABLE} with {@code RetryInfo} for
 * overload, {@code INVALID_ARGUMENT} for bad data).
 */
final class OtlpGrpcService implements HttpService {
  static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final MediaType GRPC = MediaType.parse("application/grpc+proto");

  private final OtlpIngest ingest;

  OtlpGrpcService(OtlpIngest ingest) {
    this.ingest = ingest;
  }

  /** The media type and the credential are checked from the headers, before any of the body is read. */
  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    MediaType type = req.contentType();
    if (type == null || !type.type().equals("application") || !type.subtype().toLowerCase(Locale.ROOT).startsWith("grpc")
        || type.subtype().toLowerCase(Locale.ROOT).startsWith("grpc-web")) {
      Bodies.discardAfterAnswer(ctx, req);
      return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT,
          "Content-Type must be application/grpc");
    }
    Executor requests = ingest.requests(ctx);
    CompletableFuture<HttpResponse> out = CompletableFuture
        .supplyAsync(() -> ingest.project(ctx, req.headers()), requests)
        .thenCompose(project -> ingest.budget().aggregate(ctx, req, ingest.maxBodyBytes())
            .thenComposeAsync(agg -> handle(project, agg), requests))
        .exceptionally(t -> {
          Bodies.discardAfterAnswer(ctx, req);
          return failure(t);
        });
    return HttpResponse.of(out);
  }

  private CompletableFuture<HttpResponse> handle(Project project, AggregatedHttpRequest agg) {
    byte[] message = message(agg);
    Batch<Position> batch;
    try {
      batch = ingest.decoder().decodeProtobuf(Bodies.within(message, ingest.maxBodyBytes()));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid_body", e.getMessage());
    }
    return ingest.ingest(project, batch, "otlp-grpc").thenApply(OtlpGrpcService::ok);
  }

  /** The one length-prefixed message of a unary call, inflated when its compressed flag is set. */
  private byte[] message(AggregatedHttpRequest agg) {
    byte[] body = agg.content().array();
    if (body.length < 5) throw new BadRequest("invalid_body", "the gRPC request has no complete message");
    int flag = body[0] & 0xFF;
    long length = ((body[1] & 0xFFL) << 24) | ((body[2] & 0xFFL) << 16) | ((body[3] & 0xFFL) << 8) | (body[4] & 0xFFL);
    if (flag > 1) throw new BadRequest("invalid_body", "the gRPC message has an unknown flag " + flag);
    if (length != body.length - 5) {
      throw new BadRequest("invalid_body", "a unary call carries exactly one message of the length its prefix says ("
          + length + " bytes; " + (body.length - 5) + " bytes follow)");
    }
    if (flag == 0) return java.util.Arrays.copyOfRange(body, 5, body.length);
    String encoding = agg.headers().get("grpc-encoding");
    if (encoding == null || !encoding.trim().equalsIgnoreCase("gzip")) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding",
          "grpc-encoding " + encoding + " is not supported; send identity or gzip");
    }
    try (InputStream in = new Bodies.Limited(
        new GZIPInputStream(new ByteArrayInputStream(body, 5, body.length - 5), 8192), ingest.maxBodyBytes())) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the message is not valid gzip data: " + e.getMessage());
    }
  }

  private static HttpResponse ok(ExportTraceServiceResponse r) {
    byte[] payload = r.toByteArray();
    byte[] framed = new byte[payload.length + 5];
    framed[1] = (byte) (payload.length >>> 24);
    framed[2] = (byte) (payload.length >>> 16);
    framed[3] = (byte) (payload.length >>> 8);
    framed[4] = (byte) payload.length;
    System.arraycopy(payload, 0, framed, 5, payload.length);
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(GRPC).build(), HttpData.wrap(framed),
        HttpHeaders.builder().add("grpc-status", "0").build());
  }

  /** Every failure as a gRPC status; see {@link FailureAnswer}. */
  static HttpResponse failure(Throwable t) {
    FailureAnswer a = FailureAnswer.of(t);
    if (a == null) return Failures.gone(t);
    return status(a.rpcCode(), a.message(), a.retryAfterSeconds());
  }

  /** A trailers-only response: the status travels in the one HEADERS frame. */
  private static HttpResponse status(int code, String message, Integer retryAfterSeconds) {
    ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.OK).contentType(GRPC)
        .add("grpc-status", Integer.toString(code));
    if (message != null) h.add("grpc-message", percentEncode(message));
    if (retryAfterSeconds != null) {
      h.add("grpc-status-details-bin", Base64.getEncoder().withoutPadding()
          .encodeToString(OtlpWire.status(code, message, retryAfterSeconds)));
      h.add("retry-after", Integer.toString(retryAfterSeconds));
    }
    return HttpResponse.of(h.build());
  }

  /** grpc-message is percent-encoded UTF-8: everything outside printable ASCII, and '%' itself. */
  static String percentEncode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '%') sb.append((char) c);
      else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
    }
    return sb.toString();
  }
}
