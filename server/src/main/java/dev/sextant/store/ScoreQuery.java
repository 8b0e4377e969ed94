package dev.sextant.store;

import java.util.List;

/**
 * Which scores to list: all conditions combined with AND, an empty list meaning "any". Newest
 * first, {@code limit} from {@code offset}.
 */
public record ScoreQuery(List<String> runIds, List<String> names, List<String> sources, int limit, int offset) {}
