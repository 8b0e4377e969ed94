package dev.sextant.http;

import com.linecorp.armeria.common.HttpStatus;

/** An expected failure that maps to one HTTP status and a JSON error body. */
final class HttpFailure extends RuntimeException {
  final HttpStatus status;
  final String code;

  HttpFailure(HttpStatus status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static HttpFailure badRequest(String message) {
    return new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_parameter", message);
  }

  static HttpFailure notFound(String message) {
    return new HttpFailure(HttpStatus.NOT_FOUND, "not_found", message);
  }
}
