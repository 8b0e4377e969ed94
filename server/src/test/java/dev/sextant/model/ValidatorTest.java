package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  private final Validator v = new Validator(Limits.DEFAULT);

  private static RunRecord run(String id, Map<String, String> labels, Failure f) {
    return RunRecord.builder(id).labels(labels).failure(f).build();
  }

  private static StepRecord step(String id, Integer attempt, Long in, Long start, Long end) {
    return StepRecord.builder("r", id).startNanos(start).endNanos(end).attempt(attempt).inputTokens(in).build();
  }

  @Test
  void labels_followTheRules() {
    assertThat(v.checkRun(run("r", Map.of("team", "billing", "a1_b", "x"), null))).isNull();
    assertThat(v.checkRun(run("r", Map.of("1team", "x"), null))).isEqualTo("label key \"1team\" must match ^[a-z][a-z0-9_]{0,62}$");
    assertThat(v.checkRun(run("r", Map.of("sextant_env", "x"), null)))
        .isEqualTo("label key \"sextant_env\" uses the reserved prefix sextant_");
    assertThat(v.checkRun(run("r", Map.of("sextant_sdk_version", "0.1.0", "sextant_runtime", "java-17.0.12+7",
        "sextant_host", "worker-7", "sextant_os", "linux-amd64", "sextant_pid", "4242"), null))).isNull();
    assertThat(v.checkRun(run("r", Map.of("k", "é".repeat(256)), null))).isNull();
    assertThat(v.checkRun(run("r", Map.of("k", "x".repeat(257)), null))).isEqualTo("label k value must be at most 256 characters");
    assertThat(v.checkRun(run("r", Map.of("a" + "b".repeat(62), "x"), null))).isNull();
    assertThat(v.checkRun(run("r", Map.of("a" + "b".repeat(63), "x"), null))).contains("must match");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 65; i++) many.put("k" + i, "v");
    assertThat(v.checkRun(run("r", many, null))).isEqualTo("labels has 65 entries; at most 64 are allowed");
  }

  @Test
  void ids_andFailures() {
    assertThat(v.checkRun(run(null, null, null))).isEqualTo("run_id is required");
    assertThat(v.checkRun(run("has space", null, null))).isEqualTo("run_id must be printable ASCII without spaces, got \"has space\"");
    assertThat(v.checkRun(run("x".repeat(129), null, null))).isEqualTo("run_id must be at most 128 characters, got 129");
    assertThat(v.checkRun(run("r", null, new Failure("network", "timeout", null, null))))
        .isEqualTo("failure.type must be one of tool, model, retrieval, orchestration, guardrail, unknown, got \"network\"");
    assertThat(v.checkRun(run("r", null, new Failure("tool", null, null, null)))).isEqualTo("failure.code is required when failure is given");
    assertThat(v.checkRun(run("r", null, new Failure("tool", "my_custom_code", null, null)))).isNull();
  }

  @Test
  void steps() {
    assertThat(v.checkStep(step("s", 1, 5L, 1L, 2L))).isNull();
    assertThat(v.checkStep(step("s", 0, null, null, null))).isEqualTo("attempt must be 1 or greater, got 0");
    assertThat(v.checkStep(step("s", null, -1L, null, null)))
        .isEqualTo("input_tokens must be from 0 to 1000000000000 (10^12) per step, got -1");
    assertThat(v.checkStep(step("s", null, null, 2_000_000_000L, 1_000_000_000L)))
        .isEqualTo("end_time 1970-01-01T00:00:01Z is before start_time 1970-01-01T00:00:02Z");
  }

  private static final Pattern PRINTABLE_ASCII = Pattern.compile("^[\\x21-\\x7e]+$");

  @Property
  void printableAscii_isTheRegexOfTheContract(@ForAll String any,
      @ForAll @Chars({' ', '!', '~', '\u007f', '\u0000', '\u00e9', '\ud83d', '\ude00'}) @CharRange(from = 'a', to = 'c')
          String edges) {
    for (String value : new String[] {any, edges}) {
      if (value.isEmpty()) continue;
      assertThat(Validator.printableAscii(value)).as(value).isEqualTo(PRINTABLE_ASCII.matcher(value).matches());
    }
  }
}
