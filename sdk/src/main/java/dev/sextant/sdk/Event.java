package dev.sextant.sdk;

import java.util.Map;

/**
 * A timestamped point inside a step, such as a stream chunk.
 *
 * @param name the event name
 * @param epochNanos when it happened, in nanoseconds since the epoch
 * @param attributes safe attribute values, never {@code null}
 */
public record Event(String name, long epochNanos, Map<String, Object> attributes) {}
