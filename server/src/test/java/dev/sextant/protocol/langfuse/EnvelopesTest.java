package dev.sextant.protocol.langfuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.langfuse.LangfuseDecoder.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopesTest {
  private static Event event(int index, String id) {
    return new Event(index, id, "trace-create", null, null, null);
  }

  @Test
  void duplicatesInARequest_shareTheFirstOnesOutcome() {
    Envelopes.Plan plan = new Envelopes().plan("p", List.of(event(0, "a"), event(1, "b"), event(2, "a")));
    assertThat(plan.fresh()).extracting(Event::id).containsExactly("a", "b");
    assertThat(plan.representative(2)).isEqualTo(0);
    assertThat(plan.representative(1)).isEqualTo(1);
    assertThat(plan.replayed(2)).isFalse();
  }

  @Test
  void committedEnvelopes_areReplaysOnlyInTheirProject() {
    Envelopes envelopes = new Envelopes();
    envelopes.committed("p", "a");
    Envelopes.Plan again = envelopes.plan("p", List.of(event(0, "a"), event(1, "b")));
    assertThat(again.fresh()).extracting(Event::id).containsExactly("b");
    assertThat(again.replayed(0)).isTrue();
    assertThat(envelopes.plan("q", List.of(event(0, "a"))).fresh()).hasSize(1);
  }

  @Test
  void anEnvelopeWithAProblem_isNeverDeduplicated() {
    Event bad = new Event(0, "a", null, null, null, "type is required");
    Envelopes.Plan plan = new Envelopes().plan("p", List.of(bad, new Event(1, "a", null, null, null, "again")));
    assertThat(plan.fresh()).hasSize(2);
  }
}
