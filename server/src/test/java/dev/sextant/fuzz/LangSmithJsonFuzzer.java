package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes LangSmith's {@code POST /runs/batch}.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class LangSmithJsonFuzzer {
  @FuzzTest
  void langSmithBatch(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.HTTP, "/runs/batch", "application/json", body,
        "x-api-key", dev.sextant.testing.TestServer.API_KEY);
  }
}
