package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.ingest.Overloaded;
import dev.sextant.model.RequestTooLarge;
import dev.sextant.model.Json;
import dev.sextant.protocol.BadRequest;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Throttling and failures as OTLP clients must see them: retryable only where the spec says so. */
class OtlpFailuresTest {
  private static AggregatedHttpResponse of(HttpResponse r) {
    return r.aggregate().join();
  }

  @Test
  void overload_isRetryable429Or503_withRetryAfter() {
    AggregatedHttpResponse r = of(OtlpHttpService.failure(true,
        new CompletionException(new Overloaded(Overloaded.Reason.QUEUE_FULL, 1, "the ingest queue is full", null))));
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("retry-after")).isEqualTo("1");
    assertThat(Json.read(r.contentUtf8()).get("code").asInt()).isEqualTo(14);

    AggregatedHttpResponse store = of(OtlpHttpService.failure(false,
        new Overloaded(Overloaded.Reason.STORE_UNAVAILABLE, 2, "store down", null)));
    assertThat(store.status().code()).isEqualTo(503);
    assertThat(store.headers().get("retry-after")).isEqualTo("2");
    assertThat(store.contentType().toString()).isEqualTo("application/x-protobuf");
  }

  @Test
  void overloadReasons_mapTo429WhenBusyAnd503WhenUnavailable() {
    for (Overloaded.Reason reason : Overloaded.Reason.values()) {
      AggregatedHttpResponse r = of(Failures.toResponse(new Overloaded(reason, 4, "why", null)));
      boolean busy = reason == Overloaded.Reason.QUEUE_FULL || reason == Overloaded.Reason.MEMORY_FULL;
      assertThat(r.status().code()).as("%s", reason).isEqualTo(busy ? 429 : 503);
      String code = busy ? "overloaded" : reason == Overloaded.Reason.STORE_FULL ? "store_full" : "unavailable";
      assertThat(Json.read(r.contentUtf8()).get("error").asText()).as("%s", reason).isEqualTo(code);
      assertThat(r.headers().get("retry-after")).isEqualTo("4");
    }
  }

  @Test
  void grpcOverload_isUnavailableWithRetryInfo() {
    AggregatedHttpResponse r = of(OtlpGrpcService.failure(
        new Overloaded(Overloaded.Reason.QUEUE_FULL, 3, "the ingest queue is full", null)));
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.headers().get("grpc-status")).isEqualTo("14");
    byte[] details = Base64.getDecoder().decode(r.headers().get("grpc-status-details-bin"));
    assertThat(new String(details, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("type.googleapis.com/google.rpc.RetryInfo");
  }

  @Test
  void clientMistakes_areNotRetryable() {
    assertThat(of(OtlpHttpService.failure(true, new BadRequest("invalid_json", "x"))).status().code()).isEqualTo(400);
    assertThat(of(OtlpHttpService.failure(true, new RequestTooLarge("big"))).status().code()).isEqualTo(413);
    assertThat(of(OtlpGrpcService.failure(new RequestTooLarge("big"))).headers().get("grpc-status")).isEqualTo("8");
    assertThat(of(OtlpGrpcService.failure(new BadRequest("invalid_body", "bad"))).headers().get("grpc-status"))
        .isEqualTo("3");
  }

  @Test
  void unsupportedEncoding_isUnimplementedOnBothOtlpWires() {
    HttpFailure f = new HttpFailure(com.linecorp.armeria.common.HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_encoding", "Content-Encoding br is not supported; send identity, gzip or deflate");
    AggregatedHttpResponse http = of(OtlpHttpService.failure(true, f));
    assertThat(http.status().code()).isEqualTo(415);
    assertThat(Json.read(http.contentUtf8()).get("code").asInt()).isEqualTo(12);
    assertThat(Json.read(http.contentUtf8()).get("error").asText()).isEqualTo("unsupported_encoding");
    assertThat(of(OtlpGrpcService.failure(f)).headers().get("grpc-status")).isEqualTo("12");
  }

  @Test
  void storeFailure_isTheSameRetryable503OnEveryWire() {
    dev.sextant.store.StoreException down = new dev.sextant.store.StoreException("jdbc:sqlite:/secret/path", null);
    AggregatedHttpResponse json = of(Failures.toResponse(new CompletionException(down)));
    assertThat(json.status().code()).isEqualTo(503);
    assertThat(json.headers().get("retry-after")).isEqualTo("2");
    assertThat(Json.read(json.contentUtf8()).get("message").asText()).isEqualTo(Failures.STORE_UNAVAILABLE);

    AggregatedHttpResponse otlp = of(OtlpHttpService.failure(true, down));
    assertThat(otlp.status().code()).isEqualTo(503);
    assertThat(otlp.headers().get("retry-after")).isEqualTo("2");
    assertThat(Json.read(otlp.contentUtf8()).get("code").asInt()).isEqualTo(14);
    assertThat(otlp.contentUtf8()).doesNotContain("secret");

    AggregatedHttpResponse grpc = of(OtlpGrpcService.failure(down));
    assertThat(grpc.headers().get("grpc-status")).isEqualTo("14");
    assertThat(grpc.headers().get("retry-after")).isEqualTo("2");
  }

  @Test
  void unexpectedError_isInternalWithoutDetails() {
    RuntimeException bug = new IllegalStateException("a bug with a detail");
    AggregatedHttpResponse json = of(Failures.toResponse(bug));
    assertThat(json.status().code()).isEqualTo(500);
    assertThat(Json.read(json.contentUtf8()).get("error").asText()).isEqualTo("internal");
    AggregatedHttpResponse otlp = of(OtlpHttpService.failure(true, bug));
    assertThat(Json.read(otlp.contentUtf8()).get("code").asInt()).isEqualTo(13);
    assertThat(otlp.contentUtf8()).doesNotContain("detail");
    assertThat(of(OtlpGrpcService.failure(bug)).headers().get("grpc-status")).isEqualTo("13");
  }

  @Test
  void grpcMessage_isPercentEncoded() {
    assertThat(OtlpGrpcService.percentEncode("100% ok: é\n")).isEqualTo("100%25 ok: %C3%A9%0A");
  }
}
