package dev.sextant.ingest;

import dev.sextant.model.ItemError;
import java.util.List;

/**
 * What the pipeline committed of one request, and what it rejected: the decoder's rejections,
 * then the pipeline's, each named by the protocol's reference for the item.
 */
public record IngestResult<R>(int acceptedRuns, int acceptedSteps, List<ItemError<R>> errors) {}
