package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenTelemetry Java SDK's own exporters (OTLP/HTTP protobuf with gzip, OTLP/gRPC) and the
 * OpenAI Java instrumentation wrapping the real OpenAI client, sending to a real Sextant server.
 */
class ITOtelJavaClients {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());

  static Resource resource(String agent, String version, String environment) {
    return Resource.getDefault().merge(Resource.create(Attributes.builder()
        .put("service.name", agent).put("service.version", version)
        .put("deployment.environment.name", environment).build()));
  }

  static SdkTracerProvider provider(SpanExporter exporter, Resource resource) {
    return SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
  }

  /** An agent run: root, an LLM call with GenAI attributes, and a tool call that throws. */
  static String agentRun(Tracer tracer) {
    Span root = tracer.spanBuilder("invoke_agent triage").setAttribute("gen_ai.operation.name", "invoke_agent")
        .startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span llm = tracer.spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.provider.name", "openai")
          .setAttribute("gen_ai.request.model", "gpt-4o-mini")
          .setAttribute("gen_ai.usage.input_tokens", 120L)
          .setAttribute("gen_ai.usage.output_tokens", 30L)
          .startSpan();
      llm.end();
      Span tool = tracer.spanBuilder("execute_tool lookup_order")
          .setAttribute("gen_ai.operation.name", "execute_tool")
          .setAttribute("gen_ai.tool.name", "lookup_order")
          .startSpan();
      tool.recordException(new IllegalStateException("order service returned 503"));
      tool.setAttribute("error.type", "java.lang.IllegalStateException");
      tool.setStatus(StatusCode.ERROR, "order service returned 503");
      tool.end();
    } finally {
      root.setStatus(StatusCode.ERROR);
      root.end();
    }
    return root.getSpanContext().getTraceId();
  }

  void assertAgentRun(String traceId, String agent, String version, String environment) {
    TestServer.Response r = server.get("/v1/runs/" + traceId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode d = Json.read(r.body());
    JsonNode run = d.get("run");
    assertThat(run.get("agent_id").asText()).isEqualTo(agent);
    assertThat(run.get("agent_version").asText()).isEqualTo(version);
    assertThat(run.get("environment").asText()).isEqualTo(environment);
    assertThat(run.get("name").asText()).isEqualTo("invoke_agent triage");
    assertThat(run.get("status").asText()).isEqualTo("failure");
    assertThat(run.get("step_count").asInt()).isEqualTo(3);
    assertThat(run.get("input_tokens").asLong()).isEqualTo(120);
    assertThat(run.get("output_tokens").asLong()).isEqualTo(30);
    assertThat(d.get("failure").get("type").asText()).isEqualTo("tool");
    assertThat(d.get("failure").get("code").asText()).isEqualTo("illegal_state_exception");
    JsonNode steps = d.get("steps");
    String rootId = null;
    for (JsonNode s : steps) if (s.get("parent_step_id").isNull()) rootId = s.get("step_id").asText();
    assertThat(rootId).isNotNull();
    for (JsonNode s : steps) {
      switch (s.get("name").asText()) {
        case "chat gpt-4o-mini":
          assertThat(s.get("type").asText()).isEqualTo("llm");
          assertThat(s.get("model").asText()).isEqualTo("gpt-4o-mini");
          assertThat(s.get("parent_step_id").asText()).isEqualTo(rootId);
          assertThat(s.get("status").asText()).isEqualTo("ok");
          break;
        case "execute_tool lookup_order":
          assertThat(s.get("type").asText()).isEqualTo("tool");
          assertThat(s.get("status").asText()).isEqualTo("error");
          assertThat(s.get("parent_step_id").asText()).isEqualTo(rootId);
          JsonNode full = Json.read(server.get("/v1/runs/" + traceId + "/steps/" + s.get("step_id").asText()).body());
          assertThat(full.get("events").get(0).get("name").asText()).isEqualTo("exception");
          assertThat(full.get("normalization").get("type").asText()).isEqualTo("gen_ai.operation.name=execute_tool");
          break;
        default:
          assertThat(s.get("type").asText()).isEqualTo("agent");
      }
    }
  }

  /** Sends {@link #agentRun} through {@code exporter} as the given agent, then checks what the server stored. */
  void exportsAgentRun(SpanExporter exporter, String agent, String version, String environment) {
    SdkTracerProvider provider = provider(exporter, resource(agent, version, environment));
    String traceId = agentRun(provider.get("compat-test"));
    assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertAgentRun(traceId, agent, version, environment);
  }

  @Test
  void otlpHttpSpanExporter_protobufGzip() {
    exportsAgentRun(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.server().otlpHttpPort() + "/v1/traces")
        .setCompression("gzip")
        .addHeader("Authorization", "Bearer " + TestServer.API_KEY)
        .build(), "java-http-agent", "1.4.0", "staging");
  }

  @Test
  void otlpGrpcSpanExporter() {
    exportsAgentRun(OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.server().otlpGrpcPort())
        .setCompression("gzip")
        .addHeader("Authorization", "Bearer " + TestServer.API_KEY)
        .build(), "java-grpc-agent", "2.0.0", "production");
  }

  @Test
  void openAiJavaInstrumentation_realClient_becomesLlmStepWithModelAndTokens() throws IOException {
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1795317755,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Your order ships today.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":6,\"total_tokens\":27}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    fake.start();
    SdkTracerProvider provider = provider(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.server().otlpHttpPort() + "/v1/traces")
        .addHeader("x-api-key", TestServer.API_KEY).build(), resource("openai-agent", "0.9.0", "dev"));
    // Only the tracer provider is needed. OpenTelemetrySdk.builder() would load the declarative-config
    // support of the API incubator, which the instrumentation pins to an older release than the SDK.
    OpenTelemetry otel = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return provider;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.noop();
      }
    };
    try {
      OpenAIClient client = OpenAITelemetry.create(otel).wrap(OpenAIOkHttpClient.builder()
          .baseUrl("http://127.0.0.1:" + fake.getAddress().getPort() + "/v1").apiKey("test-key").maxRetries(0).build());
      Span parent = provider.get("app").spanBuilder("answer_customer").startSpan();
      ChatCompletion c;
      try (Scope ignored = parent.makeCurrent()) {
        c = client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").addUserMessage("Where is my order?").build());
      } finally {
        parent.end();
      }
      assertThat(c.choices().get(0).message().content()).contains("Your order ships today.");
      assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
      String traceId = parent.getSpanContext().getTraceId();
      JsonNode d = Json.read(server.get("/v1/runs/" + traceId).body());
      assertThat(d.get("run").get("agent_id").asText()).isEqualTo("openai-agent");
      assertThat(d.get("run").get("status").asText()).isEqualTo("success");
      assertThat(d.get("steps")).hasSize(2);
      JsonNode llm = null;
      for (JsonNode s : d.get("steps")) if (s.get("type").asText().equals("llm")) llm = s;
      assertThat(llm).as("an llm step in %s", d.get("steps")).isNotNull();
      assertThat(llm.get("name").asText()).isEqualTo("chat gpt-4o-mini");
      assertThat(llm.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
      assertThat(llm.get("input_tokens").asLong()).isEqualTo(21);
      assertThat(llm.get("output_tokens").asLong()).isEqualTo(6);
      assertThat(llm.get("parent_step_id").asText()).isEqualTo(parent.getSpanContext().getSpanId());
      JsonNode full = Json.read(server.get("/v1/runs/" + traceId + "/steps/" + llm.get("step_id").asText()).body());
      assertThat(full.get("provider").asText()).isEqualTo("openai");
      assertThat(full.get("normalization").get("type").asText()).isEqualTo("gen_ai.operation.name=chat");
      assertThat(d.get("run").get("input_tokens").asLong()).isEqualTo(21);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      fake.stop(0);
    }
  }
}
