package dev.sextant.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.sextant.testing.TestServer;
import java.util.Set;

/**
 * Fuzzes OTLP/gRPC's {@code TraceService/Export} over HTTP/2: the gRPC frames (compressed flag,
 * length prefix, message) and the {@code grpc-encoding} come from the input. A gRPC answer is
 * HTTP 200 with its outcome in {@code grpc-status}; {@code UNKNOWN} (2) and {@code INTERNAL} (13)
 * are findings, as a 500 is over HTTP.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class OtlpGrpcFuzzer {
  private static final Set<String> FAILED = Set.of("2", "13");

  @FuzzTest
  void otlpGrpc(FuzzedDataProvider data) {
    String encoding = data.pickValue(new String[] {"identity", "gzip", "deflate", ""});
    byte[] frames = data.consumeRemainingAsBytes();
    AggregatedHttpResponse r = encoding.isEmpty()
        ? FuzzTarget.get().post(FuzzTarget.Port.OTLP_GRPC, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
            "application/grpc", frames, "te", "trailers", "authorization", "Bearer " + TestServer.API_KEY)
        : FuzzTarget.get().post(FuzzTarget.Port.OTLP_GRPC, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
            "application/grpc", frames, "te", "trailers", "grpc-encoding", encoding,
            "authorization", "Bearer " + TestServer.API_KEY);
    String status = r.trailers().get("grpc-status");
    if (status == null) status = r.headers().get("grpc-status");
    if (status != null && FAILED.contains(status)) {
      throw new AssertionError("Export answered grpc-status " + status + ": " + r.trailers().get("grpc-message"));
    }
  }
}
