/**
 * Writes Sextant SDK runs as spans into an application's own OpenTelemetry {@code Tracer}; see {@link
 * dev.sextant.sdk.otel.OtelExporter}.
 */
package dev.sextant.sdk.otel;
