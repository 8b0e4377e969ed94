package dev.sextant.store;

/**
 * How long a project keeps its data, in days: raw runs and steps, and separately the rollups that
 * stats read. Null means the server's default ({@code --raw-retention-days},
 * {@code --rollup-retention-days}); 0 keeps forever.
 */
public record Retention(Integer rawDays, Integer rollupDays) {
  public static final Retention SERVER_DEFAULT = new Retention(null, null);
  /** The longest retention that can be set (100 years); longer is what 0, forever, is for. */
  public static final int MAX_DAYS = 36_500;

  /** This retention with the server's defaults filled in where it has none of its own. */
  public Retention orElse(Retention defaults) {
    return new Retention(rawDays != null ? rawDays : defaults.rawDays(),
        rollupDays != null ? rollupDays : defaults.rollupDays());
  }
}
