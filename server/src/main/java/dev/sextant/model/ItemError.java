package dev.sextant.model;

/**
 * One rejected item of a batch.
 *
 * @param kind {@code run} or {@code step} (decoders may use their own, e.g. {@code span})
 * @param index position of the item in the request's own list
 * @param message what was wrong and how to fix it
 */
public record ItemError(String kind, int index, String message) {}
