package dev.sextant.store;

import java.util.List;

/** Lets tests in other packages compute percentiles exactly as the conformance suite does. */
public final class StoreConformanceAccess {
  private StoreConformanceAccess() {}

  public static double percentile(List<Double> values, double p) {
    return StoreConformance.percentile(values, p);
  }
}
