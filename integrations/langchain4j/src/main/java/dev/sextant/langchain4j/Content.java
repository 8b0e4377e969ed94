package dev.sextant.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;

/**
 * Messages as captured content, rendered only if the SDK keeps content: the SDK turns a value it
 * captures into text with {@code toString()}, and drops it unseen otherwise, so a call made with
 * content capture off costs one small allocation and no rendering.
 */
final class Content {

  private final Object value;

  private Content(Object value) {
    this.value = value;
  }

  static Content of(Object value) {
    return new Content(value);
  }

  @Override
  public String toString() {
    if (value instanceof List<?> messages) {
      StringBuilder out = new StringBuilder();
      for (Object m : messages) {
        if (out.length() > 0) {
          out.append('\n');
        }
        out.append(render(m));
      }
      return out.toString();
    }
    return render(value);
  }

  private static String render(Object m) {
    if (m instanceof UserMessage user) {
      return "user: " + (user.hasSingleText() ? user.singleText() : user.contents().toString());
    }
    if (m instanceof SystemMessage system) {
      return "system: " + system.text();
    }
    if (m instanceof AiMessage ai) {
      String text = ai.text() == null ? "" : ai.text();
      return ai.hasToolExecutionRequests() ? "assistant: " + text + " " + ai.toolExecutionRequests() : "assistant: " + text;
    }
    if (m instanceof ToolExecutionResultMessage tool) {
      return "tool " + tool.toolName() + ": " + tool.text();
    }
    return m instanceof ChatMessage ? m.toString() : String.valueOf(m);
  }
}
