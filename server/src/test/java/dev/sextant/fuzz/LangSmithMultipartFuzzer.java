package dev.sextant.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.testing.TestServer;

/**
 * Fuzzes LangSmith's {@code POST /runs/multipart}: the whole multipart body comes from the input
 * (the boundary is {@value #BOUNDARY}), so the part reader meets broken framing as well as broken parts.
 * Run by {@link ITDecoderFuzzing} and {@code FuzzCampaign}; see docs/reliability.md.
 */
class LangSmithMultipartFuzzer {
  static final String BOUNDARY = "fuzzbound";

  @FuzzTest
  void langSmithMultipart(byte[] body) {
    FuzzTarget.get().post(FuzzTarget.Port.HTTP, "/runs/multipart", "multipart/form-data; boundary=" + BOUNDARY, body,
        "x-api-key", TestServer.API_KEY);
  }
}
