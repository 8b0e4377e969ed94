package dev.sextant.model;

import java.util.Comparator;

/**
 * An item named by where it stands in the request: Sextant's own ingest body, OTLP and imports
 * report problems this way.
 *
 * @param kind {@code run} or {@code step} (decoders may use their own, e.g. {@code session})
 * @param index position of the item in the request's own list of that kind
 */
public record Position(String kind, int index) implements Comparable<Position> {
  private static final Comparator<Position> ORDER =
      Comparator.comparing(Position::kind).thenComparingInt(Position::index);

  public static Position run(int index) {
    return new Position("run", index);
  }

  public static Position step(int index) {
    return new Position("step", index);
  }

  /** By kind, then index: runs before steps, each in request order. */
  @Override
  public int compareTo(Position o) {
    return ORDER.compare(this, o);
  }
}
