package dev.sextant.cli;

import dev.sextant.server.CannotListen;
import dev.sextant.server.Config;
import dev.sextant.server.SextantServer;
import dev.sextant.store.StoreException;
import java.time.Clock;

/**
 * Starts the server for {@code serve} and {@code demo}. A failure the operator can fix becomes one
 * line that says what to change, with exit status 2 for invalid options and 1 for anything else
 * that stops the server from starting (an unreachable store, a port it cannot open).
 */
final class Startup {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private Startup() {}

  /** Why the server did not start, as the line to print and the exit status. */
  static final class Failed extends Exception {
    final int status;

    Failed(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  static SextantServer start(Config config, Clock clock) throws Failed {
    try {
      return new SextantServer(config, clock, System.out).start();
    } catch (IllegalArgumentException e) {
      throw new Failed(EXIT_USAGE, e.getMessage());
    } catch (StoreException e) {
      throw new Failed(EXIT_FAILURE, "cannot open the store: " + e.getMessage());
    } catch (CannotListen e) {
      throw new Failed(EXIT_FAILURE, e.getMessage() + "; " + advice(e));
    }
  }

  /** What to change, in the words of the options that set the listener's address. */
  static String advice(CannotListen e) {
    if (e.reason() == CannotListen.Reason.NOT_LOCAL) {
      return "listen on an address of this machine with --host or SEXTANT_HOST (0.0.0.0 for all of them)";
    }
    String port;
    String more = "";
    switch (e.listener()) {
      case "otlp-http":
        port = "--otlp-http-port or SEXTANT_OTLP_HTTP_PORT";
        more = " (-1 turns that listener off)";
        break;
      case "otlp-grpc":
        port = "--otlp-grpc-port or SEXTANT_OTLP_GRPC_PORT";
        more = " (-1 turns that listener off)";
        break;
      default:
        port = "--port or SEXTANT_PORT";
    }
    String why = e.reason() == CannotListen.Reason.PERMISSION_DENIED ? "choose a port above 1023 with " : "choose another port with ";
    return why + port + more;
  }
}
