package dev.sextant.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.sextant.integrations.ClientProxy;
import dev.sextant.sdk.Sextant;

/**
 * Traces an OpenAI Java SDK client: every chat completion, response and embedding call, blocking,
 * async or streaming, becomes an {@code llm} (or {@code embedding}) step of the run current on the
 * calling thread, or a run of its own when there is none.
 *
 * <pre>{@code
 * OpenAIClient openai = SextantOpenAI.wrap(OpenAIOkHttpClient.fromEnv(), sextant);
 * }</pre>
 *
 * <p>The step records the provider ({@code openai}), the model the response names, input, output,
 * cached and reasoning tokens, the finish reason, the tool calls the model asked for, and for streams
 * the time to first token and one {@code chunk} event per chunk. Errors become step errors of type
 * {@code model} with a code from the failure taxonomy ({@code rate_limited}, {@code timeout}, {@code
 * context_overflow}, {@code auth_failed}, …). Messages and completions are recorded only when the
 * SDK captures content. Other calls (files, images, raw responses, …) pass through untraced.
 */
public final class SextantOpenAI {

  private SextantOpenAI() {}

  /** {@code client}, traced into {@code sextant}; its {@code async()} view is traced too. */
  public static OpenAIClient wrap(OpenAIClient client, Sextant sextant) {
    return ClientProxy.wrap(OpenAIClient.class, client, new OpenAIInterceptor(sextant));
  }

  /** {@code client}, traced into {@code sextant}; its {@code sync()} view is traced too. */
  public static OpenAIClientAsync wrap(OpenAIClientAsync client, Sextant sextant) {
    return ClientProxy.wrap(OpenAIClientAsync.class, client, new OpenAIInterceptor(sextant));
  }
}
