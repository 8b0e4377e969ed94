package dev.sextant.sdk;

/**
 * Self-statistics of a {@link Sextant} instance. A record is a run snapshot or a finished step.
 * After {@link Sextant#close()} returns, {@code exported + dropped + failed == produced}.
 *
 * @param produced records handed to the export pipeline
 * @param exported records the exporter delivered (for HTTP: accepted by the server)
 * @param dropped records discarded without an export attempt: queue full, still queued at close, or
 *     (inline mode) steps over the per-run limit and steps of runs never ended by close
 * @param failed records whose export failed for good, or that the server rejected
 * @param pending records queued or being exported right now
 * @param eventsDropped stream events over the per-step limit
 * @param rejectedValues labels, metadata values and other inputs that failed validation and were
 *     dropped, and texts cut to their length limit
 * @param internalErrors unexpected errors inside the SDK, caught and logged
 */
public record Stats(
    long produced,
    long exported,
    long dropped,
    long failed,
    long pending,
    long eventsDropped,
    long rejectedValues,
    long internalErrors) {}
