package dev.sextant.model;

/**
 * Every size limit enforced at the edge. One instance is shared by all decoders and the pipeline
 * so that a limit holds on every ingest path.
 *
 * @param maxStringLength the longest single JSON string (a prompt, a message) a parser accepts
 */
public record Limits(
    long maxBodyBytes,
    int maxRunsPerRequest,
    int maxStepsPerRequest,
    int maxJsonDepth,
    int maxIdLength,
    int maxNameLength,
    int maxStringLength,
    int maxEventsPerStep,
    int maxLabels,
    int maxLabelValueLength) {

  public static final Limits DEFAULT =
      new Limits(10L * 1024 * 1024, 1_000, 10_000, 32, 128, 256, 1024 * 1024, 10_000, 64, 256);

  public Limits withMaxBodyBytes(long bytes) {
    return new Limits(bytes, maxRunsPerRequest, maxStepsPerRequest, maxJsonDepth, maxIdLength, maxNameLength,
        maxStringLength, maxEventsPerStep, maxLabels, maxLabelValueLength);
  }
}
