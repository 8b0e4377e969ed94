package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;

/** JSON responses, including the one error shape: {@code {"error": code, "message": text}}. */
final class Responses {
  private Responses() {}

  static HttpResponse json(HttpStatus status, Object body) {
    return HttpResponse.of(status, MediaType.JSON_UTF_8, Json.write(body));
  }

  static HttpResponse ok(Object body) {
    return json(HttpStatus.OK, body);
  }

  static ObjectNode errorBody(String code, String message) {
    ObjectNode o = Json.object();
    o.put("error", code);
    o.put("message", message);
    return o;
  }

  static HttpResponse error(HttpStatus status, String code, String message) {
    return json(status, errorBody(code, message));
  }

  static HttpResponse retryLater(HttpStatus status, String code, String message, int retryAfterSeconds) {
    return HttpResponse.of(ResponseHeaders.builder(status)
            .contentType(MediaType.JSON_UTF_8)
            .set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds))
            .build(),
        com.linecorp.armeria.common.HttpData.ofUtf8(Json.write(errorBody(code, message))));
  }

  /** An error the server makes itself, possibly before any route (and its decorators) ran. */
  static AggregatedHttpResponse aggregatedError(HttpStatus status, String code, String message) {
    return aggregatedError(status, code, message, null);
  }

  /** {@link #aggregatedError} with {@code Retry-After} when {@code retryAfterSeconds} is not null. */
  static AggregatedHttpResponse aggregatedError(HttpStatus status, String code, String message,
      Integer retryAfterSeconds) {
    ResponseHeadersBuilder h = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
    if (retryAfterSeconds != null) h.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    SecurityHeaders.apply(h);
    return AggregatedHttpResponse.of(h.build(), com.linecorp.armeria.common.HttpData.ofUtf8(Json.write(errorBody(code, message))));
  }
}
