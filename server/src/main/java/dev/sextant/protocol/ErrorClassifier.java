package dev.sextant.protocol;

import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Text;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives Sextant's error type and code from what SDKs that only send an error string give us:
 * {@code "Error: boom"} (JavaScript), {@code "ValueError('boom')"} or a Python traceback whose last
 * line is {@code "ValueError: boom"}. Only the exception's class name is used for the code, never
 * the message, because the code is kept under every content policy while the message is not. The
 * failure type and step status come from {@link FailureTaxonomy}.
 */
public final class ErrorClassifier {
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("^\\s*([A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*)\\s*(?:[:(\\[]|$)");
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

  private ErrorClassifier() {}

  /**
   * A short code for an error text: a documented code when the exception's name says so
   * ({@code TimeoutError} becomes {@code timeout}, see {@link FailureTaxonomy#documentedCode}), else
   * the exception name in snake case ({@code TypeError} becomes {@code type_error}), else {@code error}.
   */
  public static String code(String text) {
    String name = exceptionName(text);
    if (name == null) return "error";
    String documented = FailureTaxonomy.documentedCode(name);
    if (documented != null) return documented;
    String snake = CAMEL.matcher(name).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    return Text.truncate(snake, 64);
  }

  /** The exception's simple class name at the start of the text, or of a traceback's last line. */
  static String exceptionName(String text) {
    if (text == null || text.isBlank()) return null;
    String t = text.strip();
    if (t.startsWith("Traceback")) {
      int nl = t.lastIndexOf('\n');
      t = nl < 0 ? t : t.substring(nl + 1).strip();
    }
    Matcher m = EXCEPTION_NAME.matcher(t);
    if (!m.find()) return null;
    String full = m.group(1);
    // A message like "boom" or "something went wrong" is not an exception name.
    String simple = full.substring(full.lastIndexOf('.') + 1);
    if (!Character.isUpperCase(simple.charAt(0)) || t.length() == full.length() && !looksLikeException(simple)) {
      return null;
    }
    return simple;
  }

  private static boolean looksLikeException(String name) {
    return name.endsWith("Error") || name.endsWith("Exception") || name.endsWith("Interrupt");
  }
}
