package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // steps opened only to nest others are the point
class RetryTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final Sextant sextant = TestSdk.inline(clock, exporter).sleeper(sleeper).build();

  @Test
  void retry_succeedingOnTheThirdAttempt_recordsEachAttemptAsItsOwnStep() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String result;
    try (Run run = sextant.startRun("handle_ticket")) {
      try (Step agent = run.step("agent", "support")) {
        result = run.retry("tool", "billing_api", 3, step -> {
          step.metadata("call", calls.incrementAndGet());
          if (calls.get() < 3) {
            throw new IOException("HTTP 503");
          }
          return "paid";
        });
      }
    }

    assertThat(result).isEqualTo("paid");
    List<StepData> attempts = exporter.steps().stream().filter(s -> s.name().equals("billing_api")).toList();
    assertThat(attempts).hasSize(3);
    String first = attempts.get(0).stepId();
    String agent = exporter.step("support").stepId();
    assertThat(attempts).extracting(StepData::attempt).containsExactly(1, 2, 3);
    assertThat(attempts).extracting(StepData::retryOf).containsExactly(null, first, first);
    assertThat(attempts).extracting(StepData::status)
        .containsExactly(StepStatus.ERROR, StepStatus.ERROR, StepStatus.OK);
    assertThat(attempts).extracting(StepData::parentStepId).containsOnly(agent);
    assertThat(attempts).extracting(StepData::seq).containsExactly(2, 3, 4);
    assertThat(attempts).extracting(StepData::stepId).doesNotHaveDuplicates();
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void retry_failingEveryAttempt_rethrowsTheLastException_andTheRunIsPartial() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException[] last = new IllegalStateException[1];
    try (Run run = sextant.startRun("r")) {
      assertThatThrownBy(() -> run.retry("llm", "chat", 2, step -> {
        last[0] = new IllegalStateException("attempt " + calls.incrementAndGet());
        throw last[0];
      })).isSameAs(last[0]).hasMessage("attempt 2");
    }
    assertThat(exporter.steps()).extracting(StepData::attempt).containsExactly(1, 2);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.PARTIAL);
  }

  @Test
  void retry_doesNotRetryErrors() {
    AtomicInteger calls = new AtomicInteger();
    try (Run run = sextant.startRun("r")) {
      assertThatThrownBy(() -> run.retry("tool", "t", 5, step -> {
        calls.incrementAndGet();
        throw new AssertionError("fatal");
      })).isInstanceOf(AssertionError.class);
    }
    assertThat(calls).hasValue(1);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.PARTIAL);
  }

  @Test
  void retry_withBackoff_waitsDoublingDelaysBetweenAttempts() {
    AtomicInteger calls = new AtomicInteger();
    try (Run run = sextant.startRun("r")) {
      run.retry("tool", "t", 4, Duration.ofMillis(100), step -> {
        if (calls.incrementAndGet() < 4) {
          throw new IllegalStateException("again");
        }
        return null;
      });
    }
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retry_interruptedDuringBackoff_stopsAndRethrows() {
    Sextant interrupting = TestSdk.inline(clock, exporter).sleeper(nanos -> {
      throw new InterruptedException();
    }).build();
    AtomicInteger calls = new AtomicInteger();
    try (Run run = interrupting.startRun("r")) {
      assertThatThrownBy(() -> run.retry("tool", "t", 5, Duration.ofSeconds(1), step -> {
        calls.incrementAndGet();
        throw new IllegalStateException("down");
      })).hasMessage("down");
      assertThat(Thread.interrupted()).isTrue();
    }
    assertThat(calls).hasValue(1);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.PARTIAL);
  }

  @Test
  void retryOf_chainsManualRetriesToTheFirstAttempt() {
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "search").retryOf(twoFailedAttempts(run)).close();
    }
    List<StepData> steps = exporter.steps();
    assertThat(steps).extracting(StepData::attempt).containsExactly(1, 2, 3);
    assertThat(steps).extracting(StepData::retryOf)
        .containsExactly(null, steps.get(0).stepId(), steps.get(0).stepId());
  }

  @Test
  void retryOf_aLaterAttemptThatSucceeds_recoversTheFailedOnes() {
    try (Run run = sextant.startRun("recovered")) {
      run.step("tool", "search").retryOf(twoFailedAttempts(run)).close();
    }
    try (Run run = sextant.startRun("unrecovered")) {
      twoFailedAttempts(run);
      run.step("tool", "lookup").close();
    }
    assertThat(exporter.runs()).extracting(RunData::status).containsExactly(RunStatus.SUCCESS, RunStatus.PARTIAL);
  }

  /** Two failed attempts of a tool, the second marked as a retry of the first; returns the second. */
  private static Step twoFailedAttempts(Run run) {
    Step first = run.step("tool", "search");
    first.error("tool", "timeout", "slow");
    first.close();
    Step second = run.step("tool", "search").retryOf(first);
    second.error("tool", "timeout", "slow");
    second.close();
    return second;
  }

  @Test
  void retry_whenDisabled_stillRetriesTheBody() {
    Sextant disabled = Sextant.builder().disabled(true).environmentVariables(java.util.Map.of()).build();
    AtomicInteger calls = new AtomicInteger();
    Integer result;
    try (Run run = disabled.startRun("r")) {
      result = run.retry("tool", "t", 3, step -> {
        if (calls.incrementAndGet() < 3) {
          throw new IllegalStateException("again");
        }
        return 42;
      });
    }
    assertThat(result).isEqualTo(42);
    assertThat(calls).hasValue(3);
  }
}
