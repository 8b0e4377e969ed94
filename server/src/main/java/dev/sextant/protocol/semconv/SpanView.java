package dev.sextant.protocol.semconv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.StepEvent;
import java.util.List;
import java.util.Map;

/**
 * One span as any OpenTelemetry-shaped protocol describes it, before normalisation.
 *
 * @param attributes the span's attributes in wire order; values are JSON (strings, numbers,
 *     booleans, arrays for {@code arrayValue}, objects for {@code kvlistValue})
 * @param events span events with their attributes as sent
 * @param statusCode {@code 0} unset, {@code 1} ok, {@code 2} error (the OTLP numbering)
 * @param statusMessage the span status description, or null
 */
public record SpanView(
    String name,
    Map<String, JsonNode> attributes,
    List<StepEvent> events,
    Long startNanos,
    Long endNanos,
    int statusCode,
    String statusMessage) {

  public static final int STATUS_UNSET = 0;
  public static final int STATUS_OK = 1;
  public static final int STATUS_ERROR = 2;
}
