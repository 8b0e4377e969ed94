package dev.sextant.model;

/**
 * Where an item stands in a request's own lists: the protocol's kind of item ({@code run},
 * {@code step}, {@code span}, {@code session}, …) and its index in that list.
 */
public record Position(String kind, int index) implements Comparable<Position> {
  @Override
  public int compareTo(Position o) {
    int k = kind.compareTo(o.kind);
    return k != 0 ? k : Integer.compare(index, o.index);
  }
}
