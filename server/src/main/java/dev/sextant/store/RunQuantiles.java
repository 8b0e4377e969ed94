package dev.sextant.store;

/**
 * Run durations under a filter at chosen fractions: how many runs have a duration, and the duration
 * (ms) at each fraction asked for, in the order asked (null when no run has one).
 */
public record RunQuantiles(long timedRuns, Double[] valuesMs) {}
