package dev.sextant.model;

/**
 * A record decoded from a request, with the reference its protocol names it by ({@code R}): a
 * {@link Position} for lists of runs and steps, a run id for LangSmith, the envelopes a record came
 * from for Langfuse. The pipeline keeps the reference with the record, so a rejection can be
 * reported in the protocol's own terms.
 */
public record Item<T, R>(T record, R ref) {}
