package dev.sextant.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Failure;
import java.util.List;

/** A run with its step skeleton, ordered by seq. */
public record RunDetail(
    RunSummary run, JsonNode metadata, JsonNode input, JsonNode output, Failure failure, List<StepSummary> steps) {}
