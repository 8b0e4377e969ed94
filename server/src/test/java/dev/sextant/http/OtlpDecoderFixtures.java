package dev.sextant.http;

import static dev.sextant.protocol.otlp.OtlpFixtures.hex;
import static dev.sextant.protocol.otlp.OtlpFixtures.span;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/** Small requests for endpoint tests. */
final class OtlpDecoderFixtures {
  private OtlpDecoderFixtures() {}

  /** One root span in its own trace. */
  static ExportTraceServiceRequest single(String traceId) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(
            span("aaaaaaaaaaaaaaaa", null, "single", 0, 10).setTraceId(hex(traceId)).build()))).build();
  }
}
