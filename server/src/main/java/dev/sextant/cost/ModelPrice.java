package dev.sextant.cost;

import java.time.LocalDate;

/**
 * What a model's tokens cost from a day on, in US dollars per million tokens.
 *
 * @param provider informational (the table is keyed by model name); null when any provider
 * @param cachedInput the price of input tokens read from the provider's prompt cache; null when
 *     they cost the input price
 * @param reasoning the price of reasoning tokens; null when they cost the output price
 */
public record ModelPrice(String model, String provider, LocalDate effectiveFrom, double input, double output,
    Double cachedInput, Double reasoning) {

  /** The longest model or provider name a price may carry. */
  public static final int MAX_NAME = 200;

  public ModelPrice {
    if (model == null || model.isBlank()) throw new IllegalArgumentException("model is required");
    if (model.length() > MAX_NAME || provider != null && provider.length() > MAX_NAME) {
      throw new IllegalArgumentException("model and provider must be at most " + MAX_NAME + " characters");
    }
    if (effectiveFrom == null) throw new IllegalArgumentException("effective_from is required (YYYY-MM-DD)");
    check("input", input);
    check("output", output);
    if (cachedInput != null) check("cached_input", cachedInput);
    if (reasoning != null) check("reasoning", reasoning);
    model = model.strip();
    provider = provider == null || provider.isBlank() ? null : provider.trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static void check(String field, double v) {
    if (!Double.isFinite(v) || v < 0 || v > 1_000_000) {
      throw new IllegalArgumentException(field + " must be a price in USD per million tokens between 0 and 1000000, got " + v);
    }
  }

  /**
   * The cost of one call. Token counts follow Sextant's data model: {@code input} counts every
   * prompt token including the {@code cacheRead} ones, {@code output} every generated token
   * including the {@code reasoning} ones. Null counts are zero.
   */
  public double cost(Long input, Long output, Long cacheRead, Long reasoning) {
    long in = Math.max(0, input == null ? 0 : input);
    long out = Math.max(0, output == null ? 0 : output);
    long cached = Math.min(in, Math.max(0, cacheRead == null ? 0 : cacheRead));
    long thought = Math.min(out, Math.max(0, reasoning == null ? 0 : reasoning));
    double usd = (in - cached) * this.input
        + cached * (cachedInput == null ? this.input : cachedInput)
        + (out - thought) * this.output
        + thought * (this.reasoning == null ? this.output : this.reasoning);
    return usd / 1_000_000.0;
  }
}
