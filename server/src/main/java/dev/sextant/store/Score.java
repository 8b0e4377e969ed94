package dev.sextant.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A score (LangSmith calls it feedback) given to a run or to one step of it: a number, a category
 * ({@code stringValue}) or both, with an optional comment. Sent natively, as LangSmith feedback or
 * as a Langfuse score; {@code source} says which.
 *
 * @param stepId the step rated, or null when the score is about the whole run
 * @param metadata what else the sender said (LangSmith's correction and feedback source, …), or null
 */
public record Score(
    String scoreId,
    String runId,
    String stepId,
    String name,
    Double value,
    String stringValue,
    String comment,
    String source,
    JsonNode metadata,
    Instant createdAt) {}
