package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;

/** Makes the server's own errors (404, 405, 413, protocol violations) JSON like every other error. */
public final class JsonErrorHandler implements ServerErrorHandler {
  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    return Failures.toResponse(cause);
  }

  @Override
  public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
      HttpStatus status, String description, Throwable cause) {
    return Responses.aggregatedError(status, code(status), message(status, description, headers));
  }

  @Override
  public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
      String description, Throwable cause) {
    return Responses.aggregatedError(status, code(status), message(status, description, headers));
  }

  private static String code(HttpStatus status) {
    switch (status.code()) {
      case 404: return "not_found";
      case 405: return "method_not_allowed";
      case 413: return "too_large";
      case 415: return "unsupported_media_type";
      case 503: return "unavailable";
      default: return status.code() >= 500 ? "internal" : "bad_request";
    }
  }

  private static String message(HttpStatus status, String description, RequestHeaders headers) {
    String path = headers == null ? "" : " " + headers.method() + " " + headers.path();
    switch (status.code()) {
      case 404: return "no such endpoint:" + path + "; see /openapi.json";
      case 405: return "method not allowed:" + path + "; see /openapi.json";
      case 413: return "the request body is over the size limit; send smaller batches";
      default: return description != null ? description : status.reasonPhrase();
    }
  }
}
