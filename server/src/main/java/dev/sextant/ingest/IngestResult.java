package dev.sextant.ingest;

import dev.sextant.model.ItemError;
import java.util.List;

/**
 * What the pipeline committed of one request, and what it rejected: first what the decoder could
 * not read, then the runs and then the steps that failed validation, each in the batch's order.
 */
public record IngestResult<R>(int acceptedRuns, int acceptedSteps, List<ItemError<R>> errors) {}
