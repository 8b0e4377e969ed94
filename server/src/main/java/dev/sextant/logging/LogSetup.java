package dev.sextant.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Replaces the appenders of the root logger (levels stay as {@code logback.xml} sets them): the
 * console in text or JSON, and optionally a file in the same format, rolled over by size into
 * {@code FILE.1} … {@code FILE.N} (the size is checked once a second, so a file may pass the limit
 * by what one second logs).
 */
public final class LogSetup {
  /** The text format of {@code logback.xml}: a request's trace id, when there is one, ends the line. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{0} - %msg%replace( trace_id=%X{trace_id}){' trace_id=$', ''}%n";

  private LogSetup() {}

  /**
   * @param json JSON lines instead of text
   * @param file a log file besides the console, or null
   * @param maxFileBytes size at which the file rolls over
   * @param maxFiles rolled files kept ({@code FILE.1} newest)
   */
  public static void apply(boolean json, Path file, long maxFileBytes, int maxFiles) {
    if (!json && file == null) return;
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    start(ctx, console, "console", json);
    root.addAppender(console);

    if (file != null) {
      RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
      rolling.setContext(ctx);
      rolling.setFile(file.toString());
      FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
      policy.setContext(ctx);
      policy.setParent(rolling);
      policy.setFileNamePattern(file + ".%i");
      policy.setMinIndex(1);
      policy.setMaxIndex(maxFiles);
      policy.start();
      SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
      trigger.setContext(ctx);
      trigger.setMaxFileSize(new FileSize(maxFileBytes));
      // the size is looked at once a second rather than on every line
      trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildBySeconds(1));
      trigger.start();
      rolling.setRollingPolicy(policy);
      rolling.setTriggeringPolicy(trigger);
      start(ctx, rolling, "file", json);
      root.addAppender(rolling);
    }
  }

  private static void start(LoggerContext ctx, OutputStreamAppender<ILoggingEvent> appender, String name, boolean json) {
    appender.setContext(ctx);
    appender.setName(name);
    appender.setEncoder(encoder(ctx, json));
    appender.start();
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, boolean json) {
    if (json) {
      JsonLayout layout = new JsonLayout();
      layout.setContext(ctx);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
      e.setContext(ctx);
      e.setLayout(layout);
      e.start();
      return e;
    }
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(ctx);
    e.setPattern(TEXT_PATTERN);
    e.start();
    return e;
  }
}
