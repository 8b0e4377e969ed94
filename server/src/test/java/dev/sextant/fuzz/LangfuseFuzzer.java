package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes Langfuse's {@code POST /api/public/ingestion}.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class LangfuseFuzzer {
  @FuzzTest
  void langfuseIngestion(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.HTTP, "/api/public/ingestion", "application/json", body,
        "Authorization", FuzzTarget.LANGFUSE_AUTH);
  }
}
