package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // steps opened only to nest others are the point
class RunAndStepTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();
  private final Sextant sextant = TestSdk.inline(clock, exporter).build();

  @AfterEach
  void close() {
    sextant.close();
  }

  @Test
  void run_withSteps_exportsOneBatchWithTimesFromTheClock() {
    try (Run run = sextant.startRun("handle_ticket")) {
      run.sessionId("conv-42").label("team", "billing").metadata("priority", "high");
      clock.advanceMillis(10);
      try (Step step = run.step("plan", "analyze_query")) {
        clock.advanceMillis(25);
      }
      clock.advanceMillis(5);
    }

    assertThat(exporter.batches).hasSize(1);
    RunData run = exporter.lastRun();
    assertThat(run.name()).isEqualTo("handle_ticket");
    assertThat(run.agentId()).isEqualTo("support-agent");
    assertThat(run.agentVersion()).isEqualTo("v1.0.0");
    assertThat(run.environment()).isEqualTo("test");
    assertThat(run.sessionId()).isEqualTo("conv-42");
    assertThat(run.labels()).containsExactly(java.util.Map.entry("team", "billing"));
    assertThat(run.metadata()).containsEntry("priority", "high");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.startEpochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00Z"));
    assertThat(run.endEpochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00.040Z"));
    // a version 7 UUID whose first 48 bits are the run's start in milliseconds
    assertThat(run.runId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(Long.parseLong(run.runId().substring(0, 8) + run.runId().substring(9, 13), 16))
        .isEqualTo(java.time.Instant.parse("2026-11-22T10:00:00Z").toEpochMilli());

    StepData step = exporter.step("analyze_query");
    assertThat(step.runId()).isEqualTo(run.runId());
    assertThat(step.stepId()).matches("[0-9a-f]{16}");
    assertThat(step.seq()).isEqualTo(1);
    assertThat(step.type()).isEqualTo("plan");
    assertThat(step.status()).isEqualTo(StepStatus.OK);
    assertThat(step.attempt()).isEqualTo(1);
    assertThat(step.retryOf()).isNull();
    assertThat(step.parentStepId()).isNull();
    assertThat(step.startEpochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00.010Z"));
    assertThat(step.endEpochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00.035Z"));
  }

  @Test
  void steps_nestThroughTheCurrentThread_andSeqFollowsStartOrder() {
    try (Run run = sextant.startRun("r")) {
      try (Step outer = run.step("agent", "outer")) {
        try (Step inner = run.step("llm", "inner")) {
          try (Step innermost = run.step("tool", "innermost")) {
            innermost.metadata("n", 1);
          }
        }
        try (Step sibling = run.step("tool", "sibling")) {
          sibling.metadata("n", 2);
        }
      }
      try (Step top = run.step("respond", "top")) {
        top.metadata("n", 3);
      }
    }

    StepData outer = exporter.step("outer");
    StepData inner = exporter.step("inner");
    assertThat(outer.parentStepId()).isNull();
    assertThat(inner.parentStepId()).isEqualTo(outer.stepId());
    assertThat(exporter.step("innermost").parentStepId()).isEqualTo(inner.stepId());
    assertThat(exporter.step("sibling").parentStepId()).isEqualTo(outer.stepId());
    assertThat(exporter.step("top").parentStepId()).isNull();
    assertThat(exporter.steps()).extracting(StepData::name, StepData::seq)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("outer", 1),
            org.assertj.core.groups.Tuple.tuple("inner", 2),
            org.assertj.core.groups.Tuple.tuple("innermost", 3),
            org.assertj.core.groups.Tuple.tuple("sibling", 4),
            org.assertj.core.groups.Tuple.tuple("top", 5));
  }

  @Test
  void child_andParent_nestExplicitlyAcrossThreads() throws Exception {
    try (Run run = sextant.startRun("r")) {
      try (Step plan = run.step("plan", "plan")) {
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
          try (Step tool = plan.child("tool", "async_tool")) {
            try (Step nested = run.step("llm", "nested_on_worker")) {
              nested.metadata("ok", true);
            }
          }
        });
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
          try (Step retrieval = run.step("retrieval", "reparented").parent(plan)) {
            retrieval.metadata("hits", 3);
          }
        });
        a.get();
        b.get();
      }
    }

    String plan = exporter.step("plan").stepId();
    StepData asyncTool = exporter.step("async_tool");
    assertThat(asyncTool.parentStepId()).isEqualTo(plan);
    assertThat(exporter.step("nested_on_worker").parentStepId()).isEqualTo(asyncTool.stepId());
    assertThat(exporter.step("reparented").parentStepId()).isEqualTo(plan);
  }

  @Test
  void parent_fromAnotherRunOrADescendant_isRejected() {
    try (Run first = sextant.startRun("first"); Run second = sextant.startRun("second")) {
      Step foreign = first.step("tool", "foreign");
      try (Step outer = second.step("agent", "outer")) {
        Step inner = outer.child("llm", "inner");
        outer.parent(inner);
        inner.parent(foreign);
        inner.close();
      }
      foreign.close();
    }
    assertThat(exporter.step("outer").parentStepId()).isNull();
    assertThat(exporter.step("inner").parentStepId()).isEqualTo(exporter.step("outer").stepId());
    assertThat(sextant.stats().rejectedValues()).isEqualTo(2);
  }

  @Test
  void stepBody_exceptionMarksStepError_andIsRethrownUnchanged() {
    IllegalStateException boom = new IllegalStateException("bad state");
    try (Run run = sextant.startRun("r")) {
      assertThatThrownBy(() -> run.step("tool", "billing_api", step -> {
        throw boom;
      })).isSameAs(boom);
    }
    StepData step = exporter.step("billing_api");
    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error()).isEqualTo(new StepError("tool", "internal", "java.lang.IllegalStateException: bad state"));
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.PARTIAL);
  }

  @Test
  void stepBody_checkedTimeout_marksTimeout() {
    try (Run run = sextant.startRun("r")) {
      assertThatThrownBy(() -> run.step("llm", "chat", step -> {
        throw new java.util.concurrent.TimeoutException("no answer in 30s");
      })).isInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThatThrownBy(() -> run.step("tool", "cancelled", step -> {
        throw new java.util.concurrent.CancellationException();
      })).isInstanceOf(java.util.concurrent.CancellationException.class);
    }
    StepData chat = exporter.step("chat");
    assertThat(chat.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(chat.error().type()).isEqualTo("model");
    assertThat(chat.error().code()).isEqualTo("timeout");
    StepData cancelled = exporter.step("cancelled");
    assertThat(cancelled.status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(cancelled.error().code()).isEqualTo("cancelled");
  }

  @Test
  void stepBody_returnsItsValue() {
    String answer;
    try (Run run = sextant.startRun("r")) {
      answer = run.step("llm", "chat", step -> "hello");
    }
    assertThat(answer).isEqualTo("hello");
    assertThat(exporter.step("chat").status()).isEqualTo(StepStatus.OK);
  }

  @Test
  void recordFailure_marksRunFailed_andPointsAtTheGivenStep() {
    try (Run run = sextant.startRun("handle_ticket")) {
      Step tool = run.step("tool", "billing_api");
      tool.metadata("http_status", 504).error("tool", "timeout", "gateway timeout");
      tool.close();
      run.recordFailure("tool", "timeout", "External API timeout after 30s", tool);
      run.recordFailure("model", "internal", "ignored: the first failure is kept");
    }
    RunData run = exporter.lastRun();
    assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
    assertThat(run.failure()).isEqualTo(new Failure("tool", "timeout", "External API timeout after 30s",
        exporter.step("billing_api").stepId()));
    assertThat(exporter.step("billing_api").status()).isEqualTo(StepStatus.TIMEOUT);
  }

  @Test
  void recordFailure_withoutStep_usesTheCurrentStepThenTheLastFailedOne() {
    try (Run run = sextant.startRun("a")) {
      try (Step s = run.step("guardrail", "pii_check")) {
        run.recordFailure("guardrail", "blocked", "PII in output");
      }
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("pii_check").stepId());

    try (Run run = sextant.startRun("b")) {
      run.step("retrieval", "search").error("retrieval", "empty_result", null).close();
      run.step("respond", "reply").close();
      run.recordFailure("retrieval", "empty_result", "no documents");
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("search").stepId());
  }

  @Test
  void recordFailure_invalidType_becomesUnknown_andCodeIsNormalised() {
    try (Run run = sextant.startRun("r")) {
      run.recordFailure("Network", "Rate Limited", "slow down");
    }
    assertThat(exporter.lastRun().failure()).isEqualTo(new Failure("unknown", "rate_limited", "slow down", null));
    assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
  }

  @Test
  void runBody_exceptionFromAStep_becomesTheRunFailureOfThatStep() {
    RuntimeException rateLimited = new RateLimitException("429 from provider");
    assertThatThrownBy(() -> sextant.run("r", run -> run.step("llm", "chat", step -> {
      throw rateLimited;
    }))).isSameAs(rateLimited);

    RunData run = exporter.lastRun();
    StepData chat = exporter.step("chat");
    assertThat(chat.error()).isEqualTo(new StepError("model", "rate_limited",
        "dev.sextant.sdk.RunAndStepTest$RateLimitException: 429 from provider"));
    assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
    assertThat(run.failure()).isEqualTo(new Failure("model", "rate_limited", chat.error().message(), chat.stepId()));
  }

  @Test
  void runBody_exceptionWrappingAStepFailure_isStillLinkedToTheStep() {
    assertThatThrownBy(() -> sextant.run("r", run -> {
      try {
        return run.step("tool", "search_api", step -> {
          throw new java.net.SocketTimeoutException("read timed out");
        });
      } catch (java.io.IOException e) {
        throw new IllegalStateException("search failed", e);
      }
    })).isInstanceOf(IllegalStateException.class);
    RunData run = exporter.lastRun();
    assertThat(run.failure().type()).isEqualTo("tool");
    assertThat(run.failure().code()).isEqualTo("timeout");
    assertThat(run.failure().stepId()).isEqualTo(exporter.step("search_api").stepId());
  }

  @Test
  void runBody_exceptionOutsideSteps_isAnUnknownFailure() {
    assertThatThrownBy(() -> sextant.run("r", run -> {
      throw new IllegalArgumentException("bad input");
    })).hasMessage("bad input");
    assertThat(exporter.lastRun().failure())
        .isEqualTo(new Failure("unknown", "internal", "java.lang.IllegalArgumentException: bad input", null));
  }

  @Test
  void status_isOverridable() {
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "t").error("tool", "internal", "x").close();
      run.status(RunStatus.SUCCESS);
      run.status(RunStatus.RUNNING);
    }
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void stepStatus_isOverridable() {
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "t").status(StepStatus.CANCELLED).close();
    }
    assertThat(exporter.step("t").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void llmStep_recordsModelTokensCostAndTimeToFirstToken() {
    try (Run run = sextant.startRun("r")) {
      try (Step llm = run.step("llm", "generate_answer")) {
        llm.model("gpt-4o-mini").provider("openai");
        clock.advanceMillis(120);
        llm.firstToken();
        clock.advanceMillis(300);
        llm.firstToken();
        llm.tokens(512, 128).cacheReadTokens(400).reasoningTokens(64).costUsd(0.0031);
      }
    }
    StepData llm = exporter.step("generate_answer");
    assertThat(llm.cacheReadTokens()).isEqualTo(400L);
    assertThat(llm.reasoningTokens()).isEqualTo(64L);
    assertThat(llm.model()).isEqualTo("gpt-4o-mini");
    assertThat(llm.provider()).isEqualTo("openai");
    assertThat(llm.inputTokens()).isEqualTo(512L);
    assertThat(llm.outputTokens()).isEqualTo(128L);
    assertThat(llm.costUsd()).isEqualTo(0.0031);
    assertThat(llm.timeToFirstTokenMs()).isEqualTo(120.0);
  }

  @Test
  void detach_stepThatEndsElsewhere_noLongerParentsTheCallersNextSteps() throws Exception {
    try (Run run = sextant.startRun("r")) {
      Step async = run.step("llm", "async_call").detach();
      assertThat(Sextant.current().step()).isEmpty();
      run.step("tool", "next").close();
      CompletableFuture.runAsync(async::close).get();
    }
    assertThat(exporter.step("next").parentStepId()).isNull();
    assertThat(exporter.step("async_call").status()).isEqualTo(StepStatus.OK);
  }

  @Test
  void detach_run_isNoLongerCurrentButStillEndsLater() {
    Run run = sextant.startRun("r").detach();
    assertThat(Sextant.current().run()).isEmpty();
    run.step("tool", "t").close();
    run.close();
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(exporter.step("t").runId()).isEqualTo(run.id());
  }

  @Test
  void stepType_isNormalisedToLowerCase() {
    try (Run run = sextant.startRun("r")) {
      run.step("LLM", "a").close();
      run.step(" Tool Call ", "b").close();
      run.step(null, null).close();
    }
    assertThat(exporter.steps()).extracting(StepData::type, StepData::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("llm", "a"),
            org.assertj.core.groups.Tuple.tuple("tool_call", "b"),
            org.assertj.core.groups.Tuple.tuple("custom", "custom"));
  }

  @Test
  void changesAfterTheEnd_areIgnored() {
    Step kept;
    Run run = sextant.startRun("r");
    kept = run.step("tool", "t");
    kept.metadata("before", 1);
    kept.close();
    kept.metadata("after", 2).model("late").error("tool", "internal", "late");
    kept.close();
    run.close();
    run.label("late", "x").status(RunStatus.FAILURE).recordFailure("tool", "internal", "late");
    run.close();

    assertThat(exporter.batches).hasSize(1);
    assertThat(exporter.step("t").metadata()).containsOnlyKeys("before");
    assertThat(exporter.step("t").model()).isNull();
    assertThat(exporter.step("t").status()).isEqualTo(StepStatus.OK);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(exporter.lastRun().labels()).isEmpty();
  }

  @Test
  void metadata_fromTheStartingThreadAndOthers_keepsTheLastValueInOrder() throws Exception {
    try (Run run = sextant.startRun("r")) {
      Step step = run.step("tool", "t");
      step.metadata("a", 1).metadata("b", 1).metadata("a", 2);
      CompletableFuture.runAsync(() -> step.metadata("b", 2).metadata("c", 2)).get();
      step.metadata("c", 3).metadata("d", 3);
      CompletableFuture.runAsync(() -> step.metadata("d", 4)).get();
      step.metadata("e", 5);
      CompletableFuture.runAsync(step::close).get();
      step.metadata("f", 6);
    }
    assertThat(exporter.step("t").metadata())
        .containsExactly(java.util.Map.entry("a", 2L), java.util.Map.entry("b", 2L), java.util.Map.entry("c", 3L),
            java.util.Map.entry("d", 4L), java.util.Map.entry("e", 5L));
  }

  @Test
  void metadata_fromTheStartingThread_repeatedKeysKeepTheirFirstPosition() {
    try (Run run = sextant.startRun("r")) {
      try (Step step = run.step("tool", "t")) {
        step.metadata("a", 1).metadata("b", "x").metadata("a", 3).metadata("c", true).metadata("b", "y");
      }
    }
    assertThat(exporter.step("t").metadata())
        .containsExactly(java.util.Map.entry("a", 3L), java.util.Map.entry("b", "y"), java.util.Map.entry("c", true));
  }

  @Test
  void metadata_beyond64Keys_isRejectedWhenSet() {
    try (Run run = sextant.startRun("r")) {
      try (Step step = run.step("tool", "t")) {
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < 64; i++) {
            step.metadata("k" + i, round);
          }
        }
        assertThat(sextant.stats().rejectedValues()).isZero();
        step.metadata("extra", 1);
        assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
        step.metadata("k0", 9);
      }
    }
    assertThat(exporter.step("t").metadata()).hasSize(64).containsEntry("k0", 9L).containsEntry("k63", 2L);
  }

  @Test
  void current_exposesRunAndStepIdsOfTheCallingThread() throws Exception {
    assertThat(Sextant.current().runId()).isNull();
    try (Run run = sextant.startRun("r")) {
      assertThat(Sextant.current().runId()).isEqualTo(run.id());
      assertThat(Sextant.current().stepId()).isNull();
      try (Step step = run.step("tool", "t")) {
        assertThat(Sextant.current().stepId()).isEqualTo(step.id());
        assertThat(Sextant.current().step()).containsSame(step);
        assertThat(CompletableFuture.supplyAsync(() -> Sextant.current().runId()).get()).isNull();
      }
      assertThat(Sextant.current().stepId()).isNull();
    }
    assertThat(Sextant.current().run()).isEmpty();
  }

  @Test
  void current_skipsAStepClosedOnAnotherThread() throws Exception {
    try (Run run = sextant.startRun("r")) {
      Step step = run.step("tool", "t");
      CompletableFuture.runAsync(step::close).get();
      assertThat(Sextant.current().stepId()).isNull();
      assertThat(Sextant.current().runId()).isEqualTo(run.id());
      try (Step next = run.step("tool", "next")) {
        assertThat(exporter.steps()).isEmpty();
      }
    }
    assertThat(exporter.step("next").parentStepId()).isNull();
  }

  @Test
  void stepEndingAfterItsRun_isExportedOnItsOwn() {
    Run run = sextant.startRun("r");
    Step late = run.step("tool", "late");
    run.close();
    assertThat(exporter.batches).hasSize(1);
    late.close();
    assertThat(exporter.batches).hasSize(2);
    assertThat(exporter.batches.get(1).steps()).extracting(StepData::name).containsExactly("late");
    assertThat(sextant.stats().produced()).isEqualTo(2);
    assertThat(sextant.stats().exported()).isEqualTo(2);
  }

  @Test
  void anExporterReportingPartDelivery_isCountedAsItSays() {
    Exporter.Result[] next = {new Exporter.Result(1, 2)};
    Exporter partial = new Exporter() {
      @Override
      public void export(Batch batch) {}

      @Override
      public Exporter.Result exportWithResult(Batch batch) {
        return next[0];
      }
    };
    Sextant sdk = TestSdk.inline(clock, partial).build();
    try (Run run = sdk.startRun("r")) {
      for (int i = 0; i < 4; i++) {
        run.step("tool", "t" + i).close();
      }
    }
    Stats stats = sdk.stats();
    assertThat(stats.produced()).isEqualTo(5);
    assertThat(stats.exported()).isEqualTo(2);
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(stats.dropped()).isEqualTo(2);

    next[0] = new Exporter.Result(3, 10); // more than the batch of 2: capped at its size
    try (Run run = sdk.startRun("r2")) {
      run.step("tool", "t").close();
    }
    next[0] = null;
    sdk.startRun("r4").close();
    sdk.close();
    stats = sdk.stats();
    assertThat(stats.produced()).isEqualTo(8);
    assertThat(stats.exported()).isEqualTo(3);
    assertThat(stats.failed()).isEqualTo(3);
    assertThat(stats.dropped()).isEqualTo(2);
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
  }

  @Test
  void inlineMode_stepsOfARunNeverEnded_areCountedDroppedAtClose() {
    Sextant sdk = TestSdk.inline(clock, exporter).build();
    try (Run done = sdk.startRun("done")) {
      done.step("tool", "exported").close();
    }
    Run forgotten = sdk.startRun("forgotten");
    for (int i = 0; i < 3; i++) {
      forgotten.step("tool", "t" + i).close();
    }
    Step open = forgotten.step("tool", "still_open");
    assertThat(sdk.stats().produced()).isEqualTo(2);

    sdk.close();
    Stats stats = sdk.stats();
    assertThat(stats.produced()).isEqualTo(5);
    assertThat(stats.exported()).isEqualTo(2);
    assertThat(stats.dropped()).isEqualTo(3);
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());

    // ending the step and the run after close drops them, and counts nothing twice
    open.close();
    forgotten.close();
    stats = sdk.stats();
    assertThat(stats.produced()).isEqualTo(7);
    assertThat(stats.dropped()).isEqualTo(5);
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
    assertThat(exporter.steps()).extracting(StepData::name).containsExactly("exported");
  }

  @Test
  void inlineMode_closeWhileThreadsProduce_accountsForEveryRecord() throws Exception {
    Sextant sdk = TestSdk.inline(clock, exporter).build();
    int threads = 4;
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        started.countDown();
        for (int i = 0; !stop.get() || i < 200; i++) {
          Run run = sdk.startRun("r");
          for (int s = 0; s < 3; s++) {
            run.step("tool", "t").close();
          }
          if ((i + id) % 3 != 0) {
            run.close(); // every third run is never ended
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    started.await();
    Thread.sleep(20);
    sdk.close();
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    Stats stats = sdk.stats();
    assertThat(stats.dropped()).isPositive();
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
  }

  @Test
  void inlineMode_keepsAtMostMaxStepsPerRun_andCountsTheRestDropped() {
    Sextant small = TestSdk.inline(clock, exporter).maxStepsPerRun(3).build();
    try (Run run = small.startRun("r")) {
      for (int i = 0; i < 5; i++) {
        run.step("tool", "t" + i).close();
      }
    }
    assertThat(exporter.steps()).hasSize(3);
    Stats stats = small.stats();
    assertThat(stats.produced()).isEqualTo(6);
    assertThat(stats.exported()).isEqualTo(4);
    assertThat(stats.dropped()).isEqualTo(2);
  }

  @Test
  void runs_areIndependentAcrossThreads() throws Exception {
    List<CompletableFuture<String>> futures = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      futures.add(CompletableFuture.supplyAsync(() -> {
        try (Run run = sextant.startRun("run" + n)) {
          try (Step outer = run.step("agent", "outer" + n)) {
            run.step("tool", "inner" + n).close();
          }
          return run.id();
        }
      }));
    }
    for (int i = 0; i < 4; i++) {
      String runId = futures.get(i).get();
      StepData inner = exporter.step("inner" + i);
      assertThat(inner.runId()).isEqualTo(runId);
      assertThat(inner.parentStepId()).isEqualTo(exporter.step("outer" + i).stepId());
    }
  }

  static final class RateLimitException extends RuntimeException {
    RateLimitException(String message) {
      super(message);
    }
  }
}
