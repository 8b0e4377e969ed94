package dev.sextant.integrations.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local fake of the model providers' HTTP APIs on a loopback port, for the integrations' tests,
 * the benchmarks and the runnable examples. Two ways to answer, per path:
 *
 * <ul>
 *   <li><b>Canned answers</b> ({@link #on}): any provider's exact JSON or server-sent-event bodies,
 *       with its real status codes, headers and error bodies, such as Anthropic's {@code
 *       /v1/messages} or OpenAI's {@code /v1/responses}; the answers queued for a path are sent in
 *       order and the last one repeats. They take precedence over the scripted answers below.
 *   <li><b>Scripted OpenAI answers</b>: {@code POST …/chat/completions} answers with the next {@link
 *       Reply} queued by {@link #enqueue}, as JSON or as a server-sent-event stream when the request
 *       asks for {@code "stream": true}; an empty queue answers 500 with an OpenAI error body saying
 *       so, unless {@link #answerAlways} set a reply for that. {@code POST …/embeddings} answers
 *       deterministic bag-of-words vectors for its inputs, so texts sharing words are near each other.
 * </ul>
 *
 * <p>Every request is recorded (until {@link #answerAlways}). OpenAI clients are given {@link
 * #baseUrl()} (ending in {@code /v1}), Anthropic clients {@link #rootUrl()}.
 */
public final class FakeProvider implements AutoCloseable {

  /** The model name answers carry unless a reply names another. */
  public static final String MODEL = "gpt-4o-mini-2024-07-18";

  static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIMENSIONS = 32;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final Map<String, ConcurrentLinkedQueue<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, Answer> lastAnswers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Reply whenEmpty;
  private volatile boolean record = true;

  private FakeProvider(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts the fake on a free loopback port. */
  public static FakeProvider start() {
    return start(0);
  }

  /** Starts the fake on {@code port} of the loopback address; 0 picks a free one. */
  public static FakeProvider start(int port) {
    // the JDK server writes headers and body separately; without TCP_NODELAY every answer waits
    // for the client's delayed ACK (about 40 ms), which would dominate any timing
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "fake-provider");
        t.setDaemon(true);
        return t;
      });
      FakeProvider fake = new FakeProvider(server, executor);
      server.createContext("/", fake::handle);
      server.setExecutor(executor);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the fake provider server on port " + port, e);
    }
  }

  /** The base URL OpenAI clients are configured with, ending in {@code /v1}. */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** The server's root URL, such as {@code http://127.0.0.1:41234}: Anthropic clients add {@code /v1/…} themselves. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues {@code answer} for POSTs to {@code path}, such as {@code /v1/messages}. */
  public FakeProvider on(String path, Answer answer) {
    answers.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(answer);
    return this;
  }

  /** Queues replies for the next chat completion requests, in order. */
  public FakeProvider enqueue(Reply... next) {
    replies.addAll(List.of(next));
    return this;
  }

  /**
   * Answers {@code reply} whenever the queue is empty, and stops recording requests: for load, such
   * as benchmarks, where a queue would run dry and a record of every request would grow without end.
   */
  public FakeProvider answerAlways(Reply reply) {
    record = false;
    whenEmpty = reply;
    return this;
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The chat completion requests received so far, in order. */
  public List<Request> chatRequests() {
    List<Request> chats = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().endsWith("/chat/completions")) {
        chats.add(r);
      }
    }
    return chats;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      JsonNode json = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
      if (record) {
        requests.add(new Request(path, json));
      }
      Answer canned = canned(path);
      if (canned != null) {
        send(exchange, canned);
      } else if (path.endsWith("/embeddings")) {
        send(exchange, 200, "application/json", Replies.embeddings(json, DIMENSIONS));
      } else if (path.endsWith("/chat/completions")) {
        Reply reply = replies.poll();
        if (reply == null) {
          reply = whenEmpty;
        }
        if (reply == null) {
          reply = Reply.error(500, "server_error", null, "fake OpenAI: no reply queued for this request");
        }
        if (reply.delayMillis() > 0) {
          pause(reply.delayMillis());
        }
        boolean stream = json.path("stream").asBoolean(false);
        if (stream && reply.status() == 200) {
          boolean usage = json.path("stream_options").path("include_usage").asBoolean(false);
          send(exchange, 200, "text/event-stream", Replies.events(reply, usage));
        } else {
          send(exchange, reply.status(), "application/json", reply.body());
        }
      } else {
        send(exchange, 404, "application/json",
            Replies.errorBody("invalid_request_error", "unknown_url", "Unknown request URL: POST " + path));
      }
    }
  }

  private Answer canned(String path) {
    ConcurrentLinkedQueue<Answer> queue = answers.get(path);
    Answer answer = queue == null ? null : queue.poll();
    if (answer == null) {
      return lastAnswers.get(path);
    }
    lastAnswers.put(path, answer);
    return answer;
  }

  /** Sends a canned answer; a server-sent-event stream is written and flushed event by event. */
  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    if (answer.delayMillis() > 0) {
      pause(answer.delayMillis());
    }
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    if (!answer.contentType().equals("text/event-stream")) {
      send(exchange, answer.status(), answer.contentType(), answer.chunks().get(0));
      return;
    }
    try {
      exchange.sendResponseHeaders(answer.status(), 0);
      OutputStream out = exchange.getResponseBody();
      for (String event : answer.chunks()) {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // the client gave up (a timeout test): nothing more to send
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** One canned answer for {@link #on}. */
  public record Answer(int status, String contentType, List<String> chunks, long delayMillis, Map<String, String> headers) {

    /** A JSON body with {@code status}. */
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json", List.of(body), 0, Map.of());
    }

    /** A JSON body with {@code status} and extra response headers (such as {@code retry-after}). */
    public static Answer json(int status, String body, Map<String, String> headers) {
      return new Answer(status, "application/json", List.of(body), 0, headers);
    }

    /** A 200 {@code text/event-stream} of {@code events}, each already framed ({@code data: …\n\n}). */
    public static Answer sse(List<String> events) {
      return new Answer(200, "text/event-stream", events, 0, Map.of());
    }

    /** This answer, sent after {@code millis} milliseconds (to make a client time out). */
    public Answer delayed(long millis) {
      return new Answer(status, contentType, chunks, millis, headers);
    }
  }

  /** One request as received: its path and its JSON body. */
  public record Request(String path, JsonNode body) {

    /** The role of the last message of a chat completion request. */
    public String lastRole() {
      JsonNode messages = body.path("messages");
      return messages.isEmpty() ? null : messages.get(messages.size() - 1).path("role").asText(null);
    }
  }

  /**
   * One scripted chat completion answer: a status, and for 200 the assistant's text or tool calls
   * with usage; for errors the provider's error body.
   */
  public record Reply(int status, String model, String text, List<ToolCall> toolCalls, String finishReason,
      int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens, String errorBody,
      long delayMillis) {

    /** An assistant text answer. */
    public static Reply text(String text, int promptTokens, int completionTokens) {
      return new Reply(200, MODEL, text, List.of(), "stop", promptTokens, completionTokens, 0, 0, null, 0);
    }

    /** An assistant answer asking for one or more tool calls. */
    public static Reply toolCalls(int promptTokens, int completionTokens, ToolCall... calls) {
      return new Reply(200, MODEL, null, List.of(calls), "tool_calls", promptTokens, completionTokens, 0, 0, null, 0);
    }

    /** An error with OpenAI's body shape {@code {"error":{"message","type","param","code"}}}. */
    public static Reply error(int status, String type, String code, String message) {
      return new Reply(status, null, null, List.of(), null, 0, 0, 0, 0, Replies.errorBody(type, code, message), 0);
    }

    /** 429 as OpenAI sends it when a rate limit is hit. */
    public static Reply rateLimited() {
      return error(429, "requests", "rate_limit_exceeded",
          "Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3,"
              + " Requested 1. Please try again in 20s.");
    }

    /** 401 as OpenAI sends it for a wrong API key. */
    public static Reply invalidApiKey() {
      return error(401, "invalid_request_error", "invalid_api_key",
          "Incorrect API key provided: sk-fake. You can find your API key at https://platform.openai.com/account/api-keys.");
    }

    /** 400 as OpenAI sends it when the prompt exceeds the model's context window. */
    public static Reply contextLengthExceeded() {
      return error(400, "invalid_request_error", "context_length_exceeded",
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens."
              + " Please reduce the length of the messages.");
    }

    /** The same answer with another model name. */
    public Reply withModel(String otherModel) {
      return new Reply(status, otherModel, text, toolCalls, finishReason, promptTokens, completionTokens,
          cachedTokens, reasoningTokens, errorBody, delayMillis);
    }

    /** The same answer sent only after {@code millis} milliseconds, to make a client time out. */
    public Reply delayedBy(long millis) {
      return new Reply(status, model, text, toolCalls, finishReason, promptTokens, completionTokens,
          cachedTokens, reasoningTokens, errorBody, millis);
    }

    /** The same answer reporting cached prompt tokens and reasoning tokens in its usage. */
    public Reply withTokenDetails(int cached, int reasoning) {
      return new Reply(status, model, text, toolCalls, finishReason, promptTokens, completionTokens, cached,
          reasoning, errorBody, delayMillis);
    }

    /** The JSON body of the non-streaming answer. */
    public String body() {
      return errorBody != null ? errorBody : Replies.completion(this);
    }
  }

  /** A tool call the model asks for: call id, function name and its JSON arguments. */
  public record ToolCall(String id, String name, String arguments) {}
}
