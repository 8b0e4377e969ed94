package dev.sextant.langchain4j;

import dev.sextant.sdk.Step;

/**
 * Carries one streaming call's time to first token from the handler to its step: {@link
 * TracedStreamingChatModel} puts a fresh one in the call's listener attributes, the {@link
 * LlmListener} gives it the step when the request starts, and the first partial answer (text,
 * thinking or a tool call) marks it.
 */
final class FirstToken {

  /** The listener attribute it travels under. */
  static final String ATTRIBUTE = FirstToken.class.getName();

  private volatile Step step;
  private volatile boolean seen;

  void bind(Step step) {
    this.step = step;
  }

  void mark() {
    if (seen) {
      return;
    }
    seen = true;
    Step s = step;
    if (s != null) {
      s.firstToken();
    }
  }
}
