package dev.sextant.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.sextant.sdk.Batch;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import dev.sextant.sdk.StepData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenDetailsTest {

  /** Shaped like LangChain4j's {@code AnthropicTokenUsage}: cache reads beside the input tokens. */
  public static final class CacheReadUsage extends TokenUsage {
    public CacheReadUsage(Integer input, Integer output) {
      super(input, output);
    }

    public Integer cacheReadInputTokens() {
      return 80;
    }
  }

  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final Sextant sextant = Sextant.builder().agent("a").mode(Sextant.Mode.INLINE).exporter(batches::add)
      .systemLabels(false).shutdownHook(false).build();

  @AfterEach
  void close() {
    sextant.close();
  }

  private StepData recorded(TokenUsage usage) {
    try (Run run = sextant.startRun("r"); Step step = run.step("llm", "chat")) {
      TokenDetails.record(step, usage);
    }
    List<StepData> steps = batches.stream().flatMap(b -> b.steps().stream()).toList();
    return steps.get(steps.size() - 1);
  }

  @Test
  void openAiUsage_givesCachedAndReasoningTokens() {
    StepData step = recorded(OpenAiTokenUsage.builder().inputTokenCount(120).outputTokenCount(9)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(96).build())
        .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(4).build()).build());
    assertThat(step.cacheReadTokens()).isEqualTo(96L);
    assertThat(step.reasoningTokens()).isEqualTo(4L);
  }

  @Test
  void anthropicShapedUsage_givesCacheReads_andPlainOrIncompleteUsageGivesNothing() {
    assertThat(recorded(new CacheReadUsage(200, 10)).cacheReadTokens()).isEqualTo(80L);
    StepData plain = recorded(new TokenUsage(10, 2));
    assertThat(plain.cacheReadTokens()).isNull();
    assertThat(plain.reasoningTokens()).isNull();
    StepData noDetails = recorded(OpenAiTokenUsage.builder().inputTokenCount(10).outputTokenCount(2).build());
    assertThat(noDetails.cacheReadTokens()).isNull();
    assertThat(noDetails.reasoningTokens()).isNull();
  }
}
