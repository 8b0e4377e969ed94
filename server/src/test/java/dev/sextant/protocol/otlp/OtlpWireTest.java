package dev.sextant.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ItemError;
import dev.sextant.model.Position;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpWireTest {
  @Test
  void nothingRejected_isAPlainSuccess() {
    assertThat(OtlpWire.response(List.of(), 3).hasPartialSuccess()).isFalse();
  }

  @Test
  void rejectedItems_nameSpansAndTracesByPosition_inRequestOrder_firstFiveOnly() {
    List<ItemError<Position>> rejected = new ArrayList<>();
    for (int i = 5; i >= 0; i--) rejected.add(new ItemError<>(Position.step(i), "bad " + i));
    rejected.add(new ItemError<>(Position.run(0), "agent_id is too long"));
    ExportTraceServiceResponse r = OtlpWire.response(rejected, 10);
    assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(6);
    assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo("6 of 10 spans rejected: trace 0 (run): agent_id is"
        + " too long; span 0: bad 0; span 1: bad 1; span 2: bad 2; span 3: bad 3; and 2 more");
  }

  @Test
  void onlyRunsRejected_noSpanCounted() {
    ExportTraceServiceResponse r = OtlpWire.response(List.of(new ItemError<>(Position.run(1), "x")), 2);
    assertThat(r.getPartialSuccess().getRejectedSpans()).isZero();
    assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo("some run fields were rejected: trace 1 (run): x");
  }
}
