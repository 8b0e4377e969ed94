package dev.sextant.bench;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.spring.SextantAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
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
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.observation.AiOperationMetadata;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * What the Spring starter adds to a Spring AI chat model call: the observation Spring AI makes for
 * one call (start, response set, stop, on real Spring AI prompt and response objects), on an
 * observation registry without handlers (Spring AI's cost with observations on and nothing
 * listening) and on the registry the starter configures (Sextant's handler: an {@code llm} step in a
 * long-lived run, the SDK's default async pipeline, an exporter that discards).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpringAiBenchmark {

  private final AtomicLong exported = new AtomicLong();
  private AnnotationConfigApplicationContext context;
  private Sextant sextant;
  private ObservationRegistry bare;
  private ObservationRegistry traced;
  private Prompt prompt;
  private ChatResponse response;
  private AiOperationMetadata operation;

  @Setup(Level.Trial)
  public void setUp() {
    sextant = Sextant.builder().agent("benchmark").exporter(batch -> exported.addAndGet(batch.size()))
        .shutdownHook(false).build();
    context = new AnnotationConfigApplicationContext();
    context.registerBean(Sextant.class, () -> sextant);
    context.register(SextantAutoConfiguration.class);
    context.refresh();
    traced = context.getBean(ObservationRegistry.class);
    bare = ObservationRegistry.create();
    prompt = new Prompt(List.of(new UserMessage("Why was I charged twice?")),
        ChatOptions.builder().model("gpt-4o-mini").build());
    response = new ChatResponse(
        List.of(new Generation(new AssistantMessage("Refunded within five days."),
            ChatGenerationMetadata.builder().finishReason("STOP").build())),
        ChatResponseMetadata.builder().model("gpt-4o-mini-2024-07-18").usage(new DefaultUsage(120, 9)).build());
    operation = AiOperationMetadata.builder().operationType("chat").provider("openai").build();
  }

  /** A long-lived run current on the measuring thread, as in an agent that makes many calls. */
  @State(Scope.Thread)
  public static class InRun {
    Run run;

    @Setup(Level.Iteration)
    public void start(SpringAiBenchmark b) {
      run = b.sextant.startRun("benchmark_run");
    }

    @TearDown(Level.Iteration)
    public void end() {
      run.close();
    }
  }

  private Object observe(ObservationRegistry registry) {
    ChatModelObservationContext observed = ChatModelObservationContext.builder().prompt(prompt)
        .provider(operation.provider()).build();
    Observation observation = Observation.start("gen_ai.client.operation", () -> observed, registry);
    observed.setResponse(response);
    observation.stop();
    return observed;
  }

  @Benchmark
  public Object bareObservation() {
    return observe(bare);
  }

  @Benchmark
  public Object tracedObservation(InRun inRun) {
    return observe(traced);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
    sextant.close();
    System.out.println("\nSextant: " + sextant.stats() + ", exported " + exported.get());
  }
}
