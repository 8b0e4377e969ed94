package dev.sextant.store;

/** The count, sum and sum of squares of one value over the raw runs under a filter: a mean and its spread. */
public record RunMoments(long runs, double sum, double sumOfSquares) {}
