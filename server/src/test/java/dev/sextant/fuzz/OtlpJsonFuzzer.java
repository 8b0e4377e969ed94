package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes OTLP/HTTP with JSON bodies (protobuf's JSON mapping) on the main port.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class OtlpJsonFuzzer {
  @FuzzTest
  void otlpJson(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.HTTP, "/v1/traces", "application/json", body, "Authorization", "Bearer " + dev.sextant.testing.TestServer.API_KEY);
  }
}
