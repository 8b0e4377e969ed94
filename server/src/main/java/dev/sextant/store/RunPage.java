package dev.sextant.store;

import java.util.List;

public record RunPage(List<RunSummary> runs, String nextCursor) {}
