package dev.sextant.cost;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model prices with the days they apply from. A model's price at a time is its row with the
 * latest {@code effective_from} on or before that day (its earliest row before the first one), so
 * old runs keep the price of their day. Model names are matched after {@link #normalize}.
 */
public final class PriceTable {
  /** Read from the classpath: the built-in table. */
  private static final String BUILT_IN = "prices/models.csv";

  private static final String HEADER = "model,provider,effective_from,input,output,cached_input,reasoning";

  /** A version or date a provider appends to a model name: -2024-08-06, -20241022, -0613, -002, -latest, -v2:0, @20240620. */
  private static final Pattern SUFFIX =
      Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-\\d{4}|-\\d{3}|-latest|-v\\d+(:\\d+)?|@\\d{8}|:\\d+)$");

  /** Cloud vendors' model id prefixes: {@code us.anthropic.}, {@code anthropic.}, {@code meta.}. */
  private static final Pattern VENDOR = Pattern.compile("^((us|eu|apac|global)\\.)?(anthropic|meta|mistral|cohere|amazon)\\.");

  private static final PriceTable EMPTY = new PriceTable(Map.of());

  /** How many model names, as sent, {@link #rowsOf} remembers the rows of before it starts over. */
  static final int MAX_REMEMBERED = 4096;

  private final Map<String, List<ModelPrice>> byModel;

  /**
   * The rows of model names as sent (an empty list: no price). Every step without a sent cost is
   * priced on the write path, and {@link #normalize} runs regular expressions; a workload names a
   * few models over and over.
   */
  private final Map<String, List<ModelPrice>> remembered = new ConcurrentHashMap<>();

  private PriceTable(Map<String, List<ModelPrice>> byModel) {
    this.byModel = byModel;
  }

  public static PriceTable empty() {
    return EMPTY;
  }

  /** The table that ships with this release. */
  public static PriceTable builtIn() {
    try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) throw new IllegalStateException("the built-in price table " + BUILT_IN + " is missing");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILT_IN);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in price table", e);
    }
  }

  /** The built-in table with the rows of a price file over it ({@code --prices}). */
  public static PriceTable builtInWith(Path file) throws IOException {
    return builtIn().with(parse(Files.readString(file), file.toString()).rows());
  }

  /**
   * Parses a price file: CSV with the header {@value #HEADER}; {@code #} starts a comment line.
   *
   * @throws IllegalArgumentException naming the source and line of the first bad row
   */
  public static PriceTable parse(String csv, String source) {
    List<ModelPrice> rows = new ArrayList<>();
    boolean header = false;
    int n = 0;
    for (String raw : csv.split("\r?\n")) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (!header) {
        if (!line.equalsIgnoreCase(HEADER)) {
          throw new IllegalArgumentException(source + " line " + n + ": the first line must be the header " + HEADER);
        }
        header = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 7) {
        throw new IllegalArgumentException(source + " line " + n + ": expected 7 fields (" + HEADER + "), got " + f.length);
      }
      try {
        rows.add(new ModelPrice(f[0].strip(), f[1].strip(), LocalDate.parse(f[2].strip()), number(f[3]), number(f[4]),
            optional(f[5]), optional(f[6])));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(source + " line " + n + ": effective_from must be YYYY-MM-DD, got " + f[2]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + " line " + n + ": " + e.getMessage());
      }
    }
    if (!header) throw new IllegalArgumentException(source + ": no header line " + HEADER);
    return EMPTY.with(rows);
  }

  private static double number(String v) {
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a price must be a number, got \"" + v.strip() + "\"");
    }
  }

  private static Double optional(String v) {
    return v.isBlank() ? null : number(v);
  }

  /** This table with {@code rows} over it: a row replaces the one of the same model and day. */
  public PriceTable with(Collection<ModelPrice> rows) {
    if (rows.isEmpty()) return this;
    Map<String, TreeMap<LocalDate, ModelPrice>> merged = new HashMap<>();
    for (Map.Entry<String, List<ModelPrice>> e : byModel.entrySet()) {
      TreeMap<LocalDate, ModelPrice> days = new TreeMap<>();
      for (ModelPrice p : e.getValue()) days.put(p.effectiveFrom(), p);
      merged.put(e.getKey(), days);
    }
    for (ModelPrice p : rows) merged.computeIfAbsent(normalize(p.model()), k -> new TreeMap<>()).put(p.effectiveFrom(), p);
    Map<String, List<ModelPrice>> out = new HashMap<>();
    for (Map.Entry<String, TreeMap<LocalDate, ModelPrice>> e : merged.entrySet()) {
      out.put(e.getKey(), List.copyOf(e.getValue().values()));
    }
    return new PriceTable(out);
  }

  /** The price of {@code model} at {@code atNanos} (epoch nanoseconds), or null when the model has none. */
  public ModelPrice find(String model, long atNanos) {
    if (model == null) return null;
    List<ModelPrice> rows = rowsOf(model);
    if (rows.isEmpty()) return null;
    LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(0, atNanos), ZoneOffset.UTC);
    ModelPrice found = rows.get(0);
    for (ModelPrice p : rows) {
      if (p.effectiveFrom().isAfter(day)) break;
      found = p;
    }
    return found;
  }

  /** Whether {@code model} has a price on any day. */
  public boolean prices(String model) {
    return model != null && !rowsOf(model).isEmpty();
  }

  private List<ModelPrice> rowsOf(String model) {
    List<ModelPrice> rows = remembered.get(model);
    if (rows != null) return rows;
    rows = byModel.getOrDefault(normalize(model), List.of());
    // names made up per request (ids in a model field) must not grow it without end
    if (remembered.size() >= MAX_REMEMBERED) remembered.clear();
    remembered.put(model, rows);
    return rows;
  }

  /** Every row, by model and day. */
  public List<ModelPrice> rows() {
    List<ModelPrice> all = new ArrayList<>();
    for (List<ModelPrice> r : byModel.values()) all.addAll(r);
    all.sort(Comparator.comparing(ModelPrice::model).thenComparing(ModelPrice::effectiveFrom));
    return all;
  }

  /**
   * The name a model is priced under: lower case, without a provider path ({@code openai/gpt-4o},
   * {@code models/gemini-2.5-pro}), a cloud vendor prefix ({@code anthropic.claude-…}) or a
   * version or date suffix ({@code gpt-4o-2024-08-06}, {@code claude-3-5-sonnet-20241022},
   * {@code mistral-large-latest}).
   */
  public static String normalize(String model) {
    String m = model.strip().toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1);
    m = VENDOR.matcher(m).replaceFirst("");
    String before;
    do {
      before = m;
      m = SUFFIX.matcher(m).replaceFirst("");
    } while (!m.equals(before) && !m.isEmpty());
    return m.isEmpty() ? before : m;
  }
}
