package dev.sextant.server;

import java.net.BindException;
import java.util.Locale;

/** A listener could not open its address: the port is taken, privileged, or the host is not this machine's. */
public final class CannotListen extends RuntimeException {
  /** Why the address could not be opened. */
  public enum Reason {
    IN_USE("address already in use"),
    PERMISSION_DENIED("permission denied"),
    NOT_LOCAL("the address is not one of this machine's"),
    OTHER(null);

    private final String text;

    Reason(String text) {
      this.text = text;
    }
  }

  private final String listener;
  private final Reason reason;

  private CannotListen(String listener, String host, int port, Reason reason, String detail, Throwable cause) {
    super("cannot listen on " + host + ":" + port + ": " + (reason.text != null ? reason.text : detail), cause,
        false, false);
    this.listener = listener;
    this.reason = reason;
  }

  /** From what the socket layer reported: a {@link BindException} (NIO) or Netty's native error text (epoll). */
  static CannotListen of(String listener, String host, int port, Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String text = String.valueOf(root.getMessage());
    String lower = text.toLowerCase(Locale.ROOT);
    Reason reason = lower.contains("address already in use") ? Reason.IN_USE
        : lower.contains("permission denied") || lower.contains("access denied") ? Reason.PERMISSION_DENIED
        : lower.contains("cannot assign requested address") || lower.contains("can't assign requested address")
            || root instanceof java.nio.channels.UnresolvedAddressException ? Reason.NOT_LOCAL
        : Reason.OTHER;
    return new CannotListen(listener, host, port, reason, text, failure);
  }

  /** {@code http}, {@code otlp-http} or {@code otlp-grpc}, as in the {@code Listening:} log line. */
  public String listener() {
    return listener;
  }

  public Reason reason() {
    return reason;
  }
}
