package dev.sextant.protocol.langsmith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Times;
import org.junit.jupiter.api.Test;

class DottedOrderTest {
  private static final String ROOT = "01a20144-482a-7000-8000-01c89b934f36";
  private static final String CHILD = "01a20144-4854-7000-8000-02c00dcadd48";
  private static final String GRANDCHILD = "1b64098b-4ab7-43f6-afee-992304f198d8";

  @Test
  void namesTraceParentAndStart() {
    DottedOrder d = DottedOrder.parse("20261122T031941866001Z" + ROOT + ".20261122T031941908003Z" + CHILD
        + ".20230914T223155647Z" + GRANDCHILD);
    assertThat(d.traceId()).isEqualTo(ROOT);
    assertThat(d.parentId()).isEqualTo(CHILD);
    assertThat(d.runId()).isEqualTo(GRANDCHILD);
    assertThat(Times.format(d.startNanos())).isEqualTo("2023-09-14T22:31:55.647Z");
  }

  @Test
  void root_hasNoParent() {
    DottedOrder d = DottedOrder.parse("20261122T031941866001Z" + ROOT);
    assertThat(d.parentId()).isNull();
    assertThat(d.traceId()).isEqualTo(ROOT);
    assertThat(Times.format(d.startNanos())).isEqualTo("2026-11-22T03:19:41.866001Z");
  }

  @Test
  void malformed_isNull() {
    assertThat(DottedOrder.parse(null)).isNull();
    assertThat(DottedOrder.parse("")).isNull();
    assertThat(DottedOrder.parse(ROOT)).isNull();
    assertThat(DottedOrder.parse("2026-11-22T03:19:41Z" + ROOT)).isNull();
    assertThat(DottedOrder.parse("20261122T031941866001Z" + ROOT + ".")).isNull();
  }
}
