package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes OTLP/HTTP with protobuf bodies on the OTLP listener.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class OtlpProtobufFuzzer {
  @FuzzTest
  void otlpProtobuf(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.OTLP_HTTP, "/v1/traces", "application/x-protobuf", body, "Authorization", "Bearer " + dev.sextant.testing.TestServer.API_KEY);
  }
}
