package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@code POST /v1/ingest}, Sextant's own JSON.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class NativeJsonFuzzer {
  @FuzzTest
  void nativeIngest(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.HTTP, "/v1/ingest", "application/json", body, "Authorization", "Bearer " + dev.sextant.testing.TestServer.API_KEY);
  }
}
