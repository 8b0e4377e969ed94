package dev.sextant.sdk;

import java.util.Map;

/**
 * An immutable snapshot of a run as handed to an {@link Exporter}. A run may be exported more than
 * once: with status {@link RunStatus#RUNNING} when its first step ends, and again when it ends.
 *
 * @param endEpochNanos {@code 0} while the run is running
 * @param failure {@code null} unless the run failed
 * @param input {@code null} unless content capture is enabled
 * @param output {@code null} unless content capture is enabled
 */
public record RunData(
    String runId,
    String agentId,
    String agentVersion,
    String environment,
    String name,
    String sessionId,
    Map<String, String> labels,
    long startEpochNanos,
    long endEpochNanos,
    RunStatus status,
    Failure failure,
    Map<String, Object> metadata,
    Object input,
    Object output) {}
