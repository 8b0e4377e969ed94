package dev.sextant.cli;

import dev.sextant.logging.LogSetup;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Log format and file of {@code serve} and {@code demo}. */
final class LogOptions {
  @Option(names = "--log-format", defaultValue = "${env:SEXTANT_LOG_FORMAT:-text}", description = "text or json: one JSON object per line with the request's trace id and, where known, project and run ids (SEXTANT_LOG_FORMAT).")
  String format;

  @Option(names = "--log-file", defaultValue = "${env:SEXTANT_LOG_FILE}", description = "Also write the log to this file, rolled over by size (SEXTANT_LOG_FILE).")
  Path file;

  @Option(names = "--log-max-size", defaultValue = "${env:SEXTANT_LOG_MAX_SIZE:-100MiB}", description = "Size at which --log-file rolls over to FILE.1 (SEXTANT_LOG_MAX_SIZE).")
  String maxSize;

  @Option(names = "--log-max-files", defaultValue = "${env:SEXTANT_LOG_MAX_FILES:-10}", description = "Rolled log files kept, FILE.1 (newest) to FILE.N (SEXTANT_LOG_MAX_FILES).")
  int maxFiles;

  /** Applies the options to the process's logging; call before anything else logs. */
  void apply() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("--log-format must be text or json, got \"" + format + "\"");
    }
    if (maxFiles < 1 || maxFiles > 100) {
      throw new IllegalArgumentException("--log-max-files must be 1 to 100, got " + maxFiles);
    }
    long bytes = Sizes.bytes("--log-max-size", maxSize);
    LogSetup.apply(format.equals("json"), file, bytes, maxFiles);
  }
}
