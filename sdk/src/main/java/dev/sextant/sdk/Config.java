package dev.sextant.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The resolved, immutable configuration of one {@link Sextant}: builder values, then environment. */
record Config(
    String agentId,
    String agentVersion,
    String environment,
    URI ingestUri,
    String apiKey,
    Map<String, String> labels,
    boolean disabled,
    Sextant.Mode mode,
    Exporter exporter,
    boolean captureContent,
    int queueCapacity,
    int maxBatchSize,
    Duration flushInterval,
    Duration requestTimeout,
    int maxExportAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration closeTimeout,
    boolean shutdownHook,
    boolean gzip,
    int maxEventsPerStep,
    int maxStepsPerRun,
    boolean systemLabels,
    java.nio.file.Path runDir) {}
