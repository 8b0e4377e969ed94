package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.ingest.Overloaded;
import dev.sextant.ingest.RequestTooLarge;
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
        new CompletionException(new Overloaded(429, 1, "the ingest queue is full", null))));
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("retry-after")).isEqualTo("1");
    assertThat(Json.read(r.contentUtf8()).get("code").asInt()).isEqualTo(14);

    AggregatedHttpResponse store = of(OtlpHttpService.failure(false, new Overloaded(503, 2, "store down", null)));
    assertThat(store.status().code()).isEqualTo(503);
    assertThat(store.headers().get("retry-after")).isEqualTo("2");
    assertThat(store.contentType().toString()).isEqualTo("application/x-protobuf");
  }

  @Test
  void grpcOverload_isUnavailableWithRetryInfo() {
    AggregatedHttpResponse r = of(OtlpGrpcService.failure(new Overloaded(429, 3, "the ingest queue is full", null)));
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
  void grpcMessage_isPercentEncoded() {
    assertThat(OtlpGrpcService.percentEncode("100% ok: é\n")).isEqualTo("100%25 ok: %C3%A9%0A");
  }
}
