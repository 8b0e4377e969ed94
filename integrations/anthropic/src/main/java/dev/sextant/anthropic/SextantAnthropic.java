package dev.sextant.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import dev.sextant.integrations.ClientProxy;
import dev.sextant.sdk.Sextant;

/**
 * Traces an Anthropic Java SDK client: every {@code messages().create} and {@code createStreaming}
 * call, blocking or async, becomes an {@code llm} step of the run current on the calling thread, or a
 * run of its own when there is none.
 *
 * <pre>{@code
 * AnthropicClient anthropic = SextantAnthropic.wrap(AnthropicOkHttpClient.fromEnv(), sextant);
 * }</pre>
 *
 * <p>The step records the provider ({@code anthropic}), the model the response names, input, output,
 * cache-read and thinking tokens, the stop reason, the tools the model asked to use, and for streams
 * the time to first token and one {@code chunk} event per text or tool-input delta. Errors become
 * step errors of type {@code model} with a code from the failure taxonomy. Messages are recorded only
 * when the SDK captures content. Other calls pass through untraced.
 */
public final class SextantAnthropic {

  private SextantAnthropic() {}

  /** {@code client}, traced into {@code sextant}; its {@code async()} view is traced too. */
  public static AnthropicClient wrap(AnthropicClient client, Sextant sextant) {
    return ClientProxy.wrap(AnthropicClient.class, client, new AnthropicInterceptor(sextant));
  }

  /** {@code client}, traced into {@code sextant}; its {@code sync()} view is traced too. */
  public static AnthropicClientAsync wrap(AnthropicClientAsync client, Sextant sextant) {
    return ClientProxy.wrap(AnthropicClientAsync.class, client, new AnthropicInterceptor(sextant));
  }
}
