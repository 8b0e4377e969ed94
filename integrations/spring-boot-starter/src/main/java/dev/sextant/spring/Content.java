package dev.sextant.spring;

import java.util.List;
import org.springframework.ai.chat.messages.Message;

/**
 * Content rendered only if the SDK keeps it: the SDK turns a captured value into text with {@code
 * toString()} and drops it unseen when content capture is off, so tracing with capture off costs
 * one small allocation per value and no rendering.
 */
final class Content {

  private final Object value;

  private Content(Object value) {
    this.value = value;
  }

  static Content of(Object value) {
    return value == null ? null : new Content(value);
  }

  @Override
  public String toString() {
    if (value instanceof List<?> items) {
      StringBuilder out = new StringBuilder();
      for (Object item : items) {
        if (out.length() > 0) {
          out.append('\n');
        }
        out.append(item instanceof Message m ? m.getMessageType().getValue() + ": " + m.getText() : String.valueOf(item));
      }
      return out.toString();
    }
    return String.valueOf(value);
  }
}
