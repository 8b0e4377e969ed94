package dev.sextant.bench;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientImpl;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sextant.anthropic.SextantAnthropic;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.openai.SextantOpenAI;
import dev.sextant.sdk.Sextant;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One blocking model call through the bare client and through the Sextant wrapper, for the OpenAI and
 * the Anthropic Java SDKs. Two transports: {@code *Http} goes over loopback HTTP to the fake provider
 * API the integration tests use (what users see, but the network's own noise is larger than the
 * wrapper); {@code *InMemory} swaps the client's HTTP layer for one that answers the same canned JSON
 * in-process; {@code *Stub} replaces the whole client with one that returns an answer parsed in
 * advance (see {@link StubClient}), so the difference between bare and traced is the wrapper's own
 * cost and nothing else. Traced calls run
 * outside any run, so each records a run and a step: the most a call costs. Sextant uses its default
 * async pipeline with an exporter that discards batches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelCallBenchmark {

  private Sextant sextant;
  private final AtomicLong exported = new AtomicLong();
  private FakeProvider fake;

  private OpenAIClient openaiHttp;
  private OpenAIClient openaiHttpTraced;
  private OpenAIClient openaiMemory;
  private OpenAIClient openaiMemoryTraced;
  private AnthropicClient anthropicHttp;
  private AnthropicClient anthropicHttpTraced;
  private AnthropicClient anthropicMemory;
  private AnthropicClient anthropicMemoryTraced;
  private OpenAIClient openaiStub;
  private OpenAIClient openaiStubTraced;
  private AnthropicClient anthropicStub;
  private AnthropicClient anthropicStubTraced;

  private final ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
      .addUserMessage("Where is my order?").build();
  private final MessageCreateParams message = MessageCreateParams.builder().model(Model.CLAUDE_SONNET_4_5)
      .maxTokens(256).addUserMessage("Where is my order?").build();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    sextant = Sextant.builder().agent("bench").exporter(batch -> exported.addAndGet(batch.size()))
        .systemLabels(true).shutdownHook(false).build();
    fake = FakeProvider.start()
        .on("/v1/chat/completions", FakeProvider.Answer.json(200, CannedAnswers.OPENAI_CHAT))
        .on("/v1/messages", FakeProvider.Answer.json(200, CannedAnswers.ANTHROPIC_MESSAGE));

    openaiHttp = OpenAIOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey("sk-bench").maxRetries(0).build();
    openaiHttpTraced = SextantOpenAI.wrap(openaiHttp, sextant);
    openaiMemory = new OpenAIClientImpl(com.openai.core.ClientOptions.builder().baseUrl("http://in-memory/v1")
        .apiKey("sk-bench").maxRetries(0).httpClient(new CannedAnswers.OpenAIHttp()).build());
    openaiMemoryTraced = SextantOpenAI.wrap(openaiMemory, sextant);

    anthropicHttp = AnthropicOkHttpClient.builder().baseUrl(fake.rootUrl()).apiKey("sk-ant-bench").maxRetries(0).build();
    anthropicHttpTraced = SextantAnthropic.wrap(anthropicHttp, sextant);
    anthropicMemory = new AnthropicClientImpl(com.anthropic.core.ClientOptions.builder().baseUrl("http://in-memory")
        .putHeader("x-api-key", "sk-ant-bench").maxRetries(0).httpClient(new CannedAnswers.AnthropicHttp()).build());
    anthropicMemoryTraced = SextantAnthropic.wrap(anthropicMemory, sextant);

    // the services' own chat().completions() hops are cached by the wrapper, so the stubs are too
    OpenAIClient openaiStubRoot = StubClient.of(OpenAIClient.class, java.util.Map.of("create",
        com.openai.core.ObjectMappers.jsonMapper().readValue(CannedAnswers.OPENAI_CHAT,
            com.openai.models.chat.completions.ChatCompletion.class)));
    com.openai.services.blocking.chat.ChatCompletionService completions = openaiStubRoot.chat().completions();
    com.openai.services.blocking.ChatService chatService = StubClient.of(com.openai.services.blocking.ChatService.class,
        java.util.Map.of("completions", completions));
    openaiStub = StubClient.of(OpenAIClient.class, java.util.Map.of("chat", chatService));
    openaiStubTraced = SextantOpenAI.wrap(openaiStub, sextant);
    com.anthropic.services.blocking.MessageService messages = StubClient.of(
        com.anthropic.services.blocking.MessageService.class, java.util.Map.of("create",
            com.anthropic.core.ObjectMappers.jsonMapper().readValue(CannedAnswers.ANTHROPIC_MESSAGE,
                com.anthropic.models.messages.Message.class)));
    anthropicStub = StubClient.of(AnthropicClient.class, java.util.Map.of("messages", messages));
    anthropicStubTraced = SextantAnthropic.wrap(anthropicStub, sextant);
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    sextant.close();
    fake.close();
    // each benchmark method is a trial of its own: only the traced ones export anything
    if (params.getBenchmark().endsWith("Traced") && sextant.stats().exported() == 0) {
      throw new IllegalStateException("nothing was exported: the traced calls recorded nothing");
    }
  }

  @Benchmark
  public Object openaiHttpBare() {
    return openaiHttp.chat().completions().create(chat);
  }

  @Benchmark
  public Object openaiHttpTraced() {
    return openaiHttpTraced.chat().completions().create(chat);
  }

  @Benchmark
  public Object openaiInMemoryBare() {
    return openaiMemory.chat().completions().create(chat);
  }

  @Benchmark
  public Object openaiInMemoryTraced() {
    return openaiMemoryTraced.chat().completions().create(chat);
  }

  @Benchmark
  public Object openaiStubBare() {
    return openaiStub.chat().completions().create(chat);
  }

  @Benchmark
  public Object openaiStubTraced() {
    return openaiStubTraced.chat().completions().create(chat);
  }

  @Benchmark
  public Object anthropicStubBare() {
    return anthropicStub.messages().create(message);
  }

  @Benchmark
  public Object anthropicStubTraced() {
    return anthropicStubTraced.messages().create(message);
  }

  @Benchmark
  public Object anthropicHttpBare() {
    return anthropicHttp.messages().create(message);
  }

  @Benchmark
  public Object anthropicHttpTraced() {
    return anthropicHttpTraced.messages().create(message);
  }

  @Benchmark
  public Object anthropicInMemoryBare() {
    return anthropicMemory.messages().create(message);
  }

  @Benchmark
  public Object anthropicInMemoryTraced() {
    return anthropicMemoryTraced.messages().create(message);
  }
}
