package dev.sextant.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.model.RequestTooLarge;
import dev.sextant.model.Json;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Request bodies as streams, decompressed on the fly with the limit applied to the decompressed
 * bytes, so a gzip bomb stops at the limit instead of filling the heap.
 */
public final class Bodies {
  private Bodies() {}

  public static InputStream open(AggregatedHttpRequest req, long maxBytes) {
    InputStream raw = new ByteArrayInputStream(req.content().array());
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    InputStream decoded;
    try {
      if (identity(encoding)) {
        decoded = raw;
      } else {
        switch (encoding.trim().toLowerCase(Locale.ROOT)) {
          case "gzip":
          case "x-gzip":
            decoded = new GZIPInputStream(raw, 8192);
            break;
          case "deflate":
            decoded = new InflaterInputStream(raw);
            break;
          default:
            throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding",
                "Content-Encoding " + encoding + " is not supported; send identity, gzip or deflate");
        }
      }
    } catch (IOException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_body",
          "the body is not valid " + encoding + " data: " + e.getMessage());
    }
    return new Limited(decoded, maxBytes);
  }

  /**
   * The body's bytes as they came when it is not compressed (else null), so that a decoder can read
   * them in place; more than {@code maxBytes} is a {@link RequestTooLarge}, as from {@link #open}.
   */
  public static byte[] uncompressed(AggregatedHttpRequest req, long maxBytes) {
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    return identity(encoding) ? within(req.content().array(), maxBytes) : null;
  }

  /** Whether a {@code Content-Encoding} (null when absent) leaves the body as it is. */
  private static boolean identity(String encoding) {
    return encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity");
  }

  /** {@code bytes}, unless there are more than {@code maxBytes} of them: {@link RequestTooLarge}. */
  public static byte[] within(byte[] bytes, long maxBytes) {
    if (bytes.length > maxBytes) throw new RequestTooLarge(Failures.bodyTooLarge(maxBytes));
    return bytes;
  }

  /** Reads the whole (decompressed, limited) body. */
  public static byte[] readAll(AggregatedHttpRequest req, long maxBytes) {
    try (InputStream in = open(req, maxBytes)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_body", "the body could not be decoded: " + e.getMessage());
    }
  }

  /** Whether {@code type} is JSON: {@code application/json} or any subtype ending in {@code json}, in any case. */
  static boolean isJson(MediaType type) {
    return type != null && type.subtype().toLowerCase(Locale.ROOT).endsWith("json");
  }

  /**
   * Refuses a body that says it is not JSON with a 415. A request without a Content-Type is read as
   * JSON: tracing clients do not always send one.
   */
  static void requireJson(AggregatedHttpRequest req) {
    MediaType type = req.contentType();
    if (type != null && !isJson(type)) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be application/json, got " + type);
    }
  }

  /** The body of a small management request (at most 64 KiB): a JSON object, or a 400 saying what is wrong. */
  static JsonNode jsonObject(Call call) {
    return jsonObject(call, 64 * 1024);
  }

  /** The body as a JSON object of at most {@code maxBytes}, or a 400 saying what is wrong. */
  static JsonNode jsonObject(Call call, long maxBytes) {
    try {
      JsonNode n = Json.MAPPER.readTree(readAll(call.request(), maxBytes));
      if (n == null || !n.isObject()) throw HttpFailure.badRequest("the body must be a JSON object");
      return n;
    } catch (JacksonException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_json", "the body is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_body", "the body could not be read: " + e.getMessage());
    }
  }

  /** Fails with {@link RequestTooLarge} once more than {@code max} bytes were read. */
  static final class Limited extends FilterInputStream {
    private final long max;
    private long read;

    Limited(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) count(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) count(n);
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > max) {
        throw new RequestTooLarge(Failures.bodyTooLarge(max));
      }
    }
  }

  /**
   * Stops reading a request that was answered without its body, once the answer is sent. Aborting
   * the request before that resets an HTTP/2 stream the client is still writing, and the client
   * sees the reset instead of the answer (a 401 or 403 lost as "RST_STREAM: internal error"). The
   * abort runs on the connection's event loop, where the body is decoded, so that it cannot close
   * the request between the decoder's check that it is open and its next write.
   */
  static void discardAfterAnswer(ServiceRequestContext ctx, HttpRequest req) {
    ctx.log().whenAvailable(RequestLogProperty.RESPONSE_END_TIME).thenRunAsync(req::abort, ctx.eventLoop());
  }
}
