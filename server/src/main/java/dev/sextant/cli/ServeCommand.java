package dev.sextant.cli;

import dev.sextant.server.FatalErrors;
import dev.sextant.server.SextantServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Sextant server.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ServerOptions options;

  @Override
  public Integer call() {
    FatalErrors.install();
    SextantServer server;
    try {
      server = Startup.start(options.toConfig(), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    } catch (Startup.Failed e) {
      System.err.println("sextant: " + e.getMessage());
      return e.status;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sextant-shutdown"));
    server.awaitTermination();
    return 0;
  }
}
