package dev.sextant.bench;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.langchain4j.SextantLangChain4j;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the LangChain4j integration adds to a chat model call. End to end: the real {@link
 * OpenAiChatModel} against the local fake provider endpoint, bare and with Sextant's listener (each
 * traced call a run with one {@code llm} step, the SDK's default async pipeline, an exporter that
 * discards). In isolation: the listener's own work for one call (request and response callbacks on
 * real LangChain4j request and response objects, the response's usage an {@code OpenAiTokenUsage} with
 * cached and reasoning tokens, as the OpenAI model returns it) inside a long-lived run, which is what the traced
 * call pays on top of the bare one without the HTTP round trip's noise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LangChain4jBenchmark {

  private final AtomicLong exported = new AtomicLong();
  private FakeProvider openai;
  private Sextant sextant;
  private ChatModel bare;
  private ChatModel traced;
  private ChatModelListener listener;
  private ChatRequest request;
  private ChatResponse response;

  @Setup(Level.Trial)
  public void setUp() {
    openai = FakeProvider.start().answerAlways(Reply.text("Refunded within five days.", 120, 9));
    sextant = Sextant.builder().agent("benchmark").exporter(batch -> exported.addAndGet(batch.size()))
        .shutdownHook(false).build();
    SextantLangChain4j tracing = SextantLangChain4j.create(sextant);
    listener = tracing.chatModelListener();
    bare = OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-fake").modelName("gpt-4o-mini").build();
    traced = OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-fake").modelName("gpt-4o-mini")
        .listeners(List.of(listener)).build();
    request = ChatRequest.builder().messages(UserMessage.from("Why was I charged twice?")).modelName("gpt-4o-mini").build();
    response = ChatResponse.builder().aiMessage(AiMessage.from("Refunded within five days.")).modelName(FakeProvider.MODEL)
        .tokenUsage(OpenAiTokenUsage.builder().inputTokenCount(120).outputTokenCount(9).totalTokenCount(129)
            .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(96).build())
            .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(0).build()).build())
        .finishReason(FinishReason.STOP).build();
  }

  /** A long-lived run current on the measuring thread, as in an agent that makes many calls. */
  @State(Scope.Thread)
  public static class InRun {
    Run run;

    @Setup(Level.Iteration)
    public void start(LangChain4jBenchmark b) {
      run = b.sextant.startRun("benchmark_run");
    }

    @TearDown(Level.Iteration)
    public void end() {
      run.close();
    }
  }

  @Benchmark
  public ChatResponse bareCall() {
    return bare.chat(request);
  }

  @Benchmark
  public ChatResponse tracedCall() {
    return traced.chat(request);
  }

  @Benchmark
  public Object listenerOnly(InRun inRun) {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    listener.onRequest(new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes));
    listener.onResponse(new ChatModelResponseContext(response, request, ModelProvider.OPEN_AI, attributes));
    return attributes;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sextant.close();
    openai.close();
    System.out.println("\nSextant: " + sextant.stats() + ", exported " + exported.get());
  }
}
