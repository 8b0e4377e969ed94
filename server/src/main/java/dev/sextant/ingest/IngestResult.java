package dev.sextant.ingest;

import dev.sextant.model.ItemError;
import java.util.List;

/** What the pipeline committed of one request, and what it rejected. */
public record IngestResult(int acceptedRuns, int acceptedSteps, List<ItemError> errors) {}
