package dev.sextant.store;

import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import java.time.LocalDate;
import java.util.List;

/** Model prices per project: the server's table with the project's own rows over it. */
public interface ModelPriceStore {
  /** The prices the project's costs are computed with. */
  PriceTable prices(String projectId);

  /** The project's own rows: overrides of the server's table and additions to it. */
  List<ModelPrice> priceOverrides(String projectId);

  /** Adds a row, or replaces the project's row of the same model and day; applies to later ingests. */
  void putPrice(String projectId, ModelPrice price);

  /** Removes the project's row of that model and day; false when there was none. */
  boolean deletePrice(String projectId, String model, LocalDate effectiveFrom);

  /** Every model the project's steps named, over all kept rollups, with calls, tokens and cost. */
  List<Stats.ModelCost> modelUsage(String projectId);
}
