package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemLabelsTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void everyRun_carriesTheSystemLabels_byDefault() {
    Sextant sextant = TestSdk.inline(clock, exporter).systemLabels(true).label("team", "billing").build();
    sextant.startRun("r").close();
    sextant.close();

    Map<String, String> labels = exporter.lastRun().labels();
    assertThat(labels).containsKeys("sextant_sdk_version", "sextant_runtime", "sextant_host", "sextant_os", "sextant_pid")
        .containsEntry("team", "billing");
    assertThat(labels.get("sextant_runtime")).isEqualTo("java-" + Runtime.version());
    assertThat(labels.get("sextant_pid")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThat(labels.get("sextant_os")).matches("[a-z0-9_.]+-[a-z0-9_]+");
  }

  @Test
  void systemLabelsOff_leavesOnlyTheApplicationsLabels() {
    Sextant sextant = TestSdk.inline(clock, exporter).systemLabels(false).label("team", "billing").build();
    sextant.startRun("r").close();
    assertThat(exporter.lastRun().labels()).containsExactly(Map.entry("team", "billing"));
  }

  @Test
  void host_comesFromHOSTNAME_beforeAnyLookup() {
    assertThat(SystemLabels.read(Map.of("HOSTNAME", "worker-7 "))).containsEntry("sextant_host", "worker-7");
    assertThat(SystemLabels.read(Map.of("COMPUTERNAME", "WIN-BOX"))).containsEntry("sextant_host", "WIN-BOX");
  }

  @Test
  void labels_canBeRead_removedAndReplaced_butSystemLabelsStay() {
    Sextant sextant = TestSdk.inline(clock, exporter).systemLabels(true).label("team", "billing").build();
    try (Run run = sextant.startRun("r")) {
      run.label("channel", "chat").label("tier", "gold");
      assertThat(run.labelValue("channel")).isEqualTo("chat");
      assertThat(run.labelValue("team")).isEqualTo("billing");
      assertThat(run.labelValue("missing")).isNull();

      run.removeLabel("channel").removeLabel("sextant_pid");
      assertThat(run.labels()).doesNotContainKey("channel").containsKey("sextant_pid");

      run.replaceLabels(Map.of("region", "eu_west", "sextant_host", "spoofed"));
      assertThat(run.labels()).containsEntry("region", "eu_west").doesNotContainKeys("team", "tier")
          .containsKey("sextant_host");
      assertThat(run.labelValue("sextant_host")).isNotEqualTo("spoofed");
    }
    assertThat(exporter.lastRun().labels()).containsEntry("region", "eu_west").doesNotContainKey("team");
    assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
  }

  @Test
  void disabledSdk_answersLabelQuestionsEmpty() {
    Run run = Sextant.builder().disabled(true).environmentVariables(Map.of()).build().startRun("r");
    assertThat(run.labels()).isEmpty();
    assertThat(run.label("a", "b").labelValue("a")).isNull();
    assertThat(run.removeLabel("a").replaceLabels(Map.of("c", "d"))).isSameAs(run);
  }
}
