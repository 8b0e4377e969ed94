package dev.sextant.store;

import java.time.Instant;
import java.util.List;

/**
 * One page of the runs list.
 *
 * @param rawDataFrom runs that started before this may have been deleted by retention (their
 *     aggregates remain in stats); null when retention has deleted nothing
 */
public record RunPage(List<RunSummary> runs, String nextCursor, Instant rawDataFrom) {
  public RunPage withRawDataFrom(Instant rawDataFrom) {
    return new RunPage(runs, nextCursor, rawDataFrom);
  }
}
