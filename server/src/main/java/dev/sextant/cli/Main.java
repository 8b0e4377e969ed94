package dev.sextant.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sextant} command: {@code serve}, {@code demo}, {@code export}, {@code import}, {@code version}. */
@Command(
    name = "sextant",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Self-hosted observability for AI agents.",
    subcommands = {ServeCommand.class, DemoCommand.class, ExportCommand.class, ImportCommand.class,
        VersionCommand.class, HealthCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
