package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesStateTest {
  private static Family runs() {
    return Family.counter("sextant_agent_runs_total", "h", List.of("agent", "status"), List.of("status"));
  }

  @Test
  void aCounterThatDrops_keepsItsValue_andGrowsFromThere() {
    SeriesState state = new SeriesState(10);
    double[] seen = new double[4];
    double[] raw = {10, 12, 7, 9};
    for (int i = 0; i < raw.length; i++) {
      Family f = runs();
      f.add(List.of("a", "success"), raw[i]);
      state.fold(f);
      state.floor(f);
      state.keepVanished(f);
      seen[i] = f.series.get(List.of("a", "success"))[0];
    }
    // the drop from 12 to 7 (retention) is added back: 7 + 5, then 9 + 5
    assertThat(seen).containsExactly(10, 12, 12, 14);
  }

  @Test
  void aSeriesWhoseDataIsGone_staysAtItsLastValue() {
    SeriesState state = new SeriesState(10);
    Family f = runs();
    f.add(List.of("a", "success"), 4);
    state.fold(f);
    state.floor(f);
    Family later = runs();
    state.fold(later);
    state.floor(later);
    state.keepVanished(later);
    assertThat(later.series.get(List.of("a", "success"))).containsExactly(4);
  }

  @Test
  void beyondTheLimit_theLightestFoldIntoOther_andKeptSeriesStayKept() {
    SeriesState state = new SeriesState(2);
    Family f = runs();
    f.add(List.of("a", "success"), 5);
    f.add(List.of("b", "success"), 3);
    f.add(List.of("c", "success"), 1);
    f.add(List.of("c", "failure"), 2);
    assertThat(state.fold(f)).isEqualTo(2);
    assertThat(f.series.keySet()).containsExactlyInAnyOrder(List.of("a", "success"), List.of("b", "success"),
        List.of("other", "success"), List.of("other", "failure"));
    // later c outweighs both, but a and b were admitted first: c still folds
    Family g = runs();
    g.add(List.of("a", "success"), 5);
    g.add(List.of("b", "success"), 3);
    g.add(List.of("c", "success"), 100);
    assertThat(state.fold(g)).isEqualTo(1);
    assertThat(g.series.get(List.of("other", "success"))).containsExactly(100);
    assertThat(g.series).containsKey(List.of("b", "success"));
  }
}
