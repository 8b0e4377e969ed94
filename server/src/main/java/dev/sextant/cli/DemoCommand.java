package dev.sextant.cli;

import dev.sextant.auth.Bootstrap;
import dev.sextant.auth.Secrets;
import dev.sextant.demo.DemoData;
import dev.sextant.server.Config;
import dev.sextant.server.FatalErrors;
import dev.sextant.server.SextantServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the server and fill project default with generated agent runs.")
final class DemoCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

  @Mixin ServerOptions options;

  @Option(names = "--runs", defaultValue = "1200", description = "How many runs to generate.")
  int runs;

  @Override
  public Integer call() throws Exception {
    FatalErrors.install();
    Config config;
    try {
      config = options.toConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("sextant: " + e.getMessage());
      return Startup.EXIT_USAGE;
    }
    Clock clock = Clock.systemUTC();
    String demoPassword = null;
    if (config.bootstrapAdminPassword() == null) {
      // A demo is for looking around: give a fresh UI password on every start rather than once.
      demoPassword = Secrets.random(16);
      config = config.toBuilder().bootstrapAdminPassword(demoPassword).build();
    }
    SextantServer server;
    try {
      server = Startup.start(config, clock);
    } catch (Startup.Failed e) {
      System.err.println("sextant: " + e.getMessage());
      return e.status;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sextant-shutdown"));
    if (demoPassword != null) System.out.println("Demo login: admin / " + demoPassword);
    int written = new DemoData(clock, 42).write(server.pipeline(),
        server.store().project(Bootstrap.DEFAULT_PROJECT).orElseThrow(), runs);
    log.info("Demo: wrote {} runs to project default", written);
    System.out.println("Open http://" + config.host() + ":" + server.port() + "/");
    server.awaitTermination();
    return 0;
  }
}
