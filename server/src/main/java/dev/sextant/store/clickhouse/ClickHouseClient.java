package dev.sextant.store.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * ClickHouse over its HTTP interface, on the JDK's client: statements in the request body, rows in
 * and out as {@code JSONEachRow}, inserts gzip-compressed. Thread-safe; one connection pool per
 * instance (and shared by the clients {@link #withDatabase} and {@link #withSettings} derive).
 *
 * <p>Written against 18.16 (Debian's package), whose HTTP interface differs from today's:
 *
 * <ul>
 *   <li>there are no query parameters, so values go into the SQL text through {@link #quote};
 *   <li>responses are never compressed ({@code compress=1} answers an empty body), while gzip request
 *       bodies work with just {@code Content-Encoding: gzip};
 *   <li>64-bit integers are JSON strings unless {@code output_format_json_quote_64bit_integers=0},
 *       which every select sets, so they come back as numbers (a UInt64 above 2^63 as a big integer);
 *   <li>an error is a non-200 answer whose body reads {@code Code: 60, e.displayText() = ...}; there
 *       is no {@code X-ClickHouse-Exception-Code} header yet (it is preferred when a newer server sends
 *       it);
 *   <li>an error after the first rows of a select were sent arrives as a 200 answer: the rows, then the
 *       error text. {@link #select(String, Consumer)} recognizes that and throws.
 * </ul>
 */
public final class ClickHouseClient {
  /**
   * Writes rows, each a JSON object named by column, one after another to {@code out} (whose
   * {@code writeTree} and {@code writeObject} use the shared mapper's settings).
   */
  @FunctionalInterface
  public interface RowWriter {
    void writeRows(JsonGenerator out) throws IOException;
  }

  /**
   * Reads the answers: what this server stored itself, so without the ingest limit on string length
   * (that limit held when the rows were written, and may have been raised since).
   */
  private static final ObjectReader ROWS = Json.create(64, Integer.MAX_VALUE).readerFor(ObjectNode.class);
  /** Writes the rows: the one mapper, but without a flush of the gzip stream after every row. */
  private static final ObjectMapper WRITER = Json.MAPPER.copy().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  private static final SerializedString NEWLINE = new SerializedString("\n");
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How much of an error answer is read, and how much of its message is kept. */
  private static final int ERROR_BYTES = 64 * 1024;
  private static final int MESSAGE_LENGTH = 1000;
  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)[.,]\\s*");

  private final URI root;
  private final String user;
  private final String password;
  private final String database;
  private final Duration timeout;
  private final Map<String, String> settings;
  private final HttpClient http;

  /**
   * @param base the server's HTTP address, e.g. {@code http://127.0.0.1:8123}
   * @param user null for the server's default user
   * @param password null or empty for none
   * @param database the database of unqualified table names, null for the user's default
   * @param timeout how long a request may wait for the start of its answer
   */
  public ClickHouseClient(URI base, String user, String password, String database, Duration timeout) {
    this(root(base), user, password, database, timeout, Map.of(), HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
        .build());
  }

  private ClickHouseClient(URI root, String user, String password, String database, Duration timeout,
      Map<String, String> settings, HttpClient http) {
    this.root = root;
    this.user = user == null || user.isEmpty() ? null : user;
    this.password = password == null || password.isEmpty() ? null : password;
    this.database = database == null || database.isEmpty() ? null : database;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.settings = settings;
    this.http = http;
  }

  /** The server's address, without a trailing slash. */
  public URI base() {
    String s = root.toString();
    return URI.create(s.substring(0, s.length() - 1));
  }

  /** The database of unqualified table names, null for the user's default. */
  public String database() {
    return database;
  }

  /** A client of the same server and connection pool for another database. */
  public ClickHouseClient withDatabase(String other) {
    return new ClickHouseClient(root, user, password, other, timeout, settings, http);
  }

  /**
   * A client that passes these settings (e.g. {@code insert_distributed_sync=1}) with every request,
   * besides those it already passes. Same server and connection pool.
   */
  public ClickHouseClient withSettings(Map<String, ?> more) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    more.forEach((name, value) -> {
      if (!SETTING_NAME.matcher(name).matches() || name.equals("query") || name.equals("database")) {
        throw new IllegalArgumentException("not a setting name: " + name);
      }
      all.put(name, String.valueOf(value));
    });
    return new ClickHouseClient(root, user, password, database, timeout, Map.copyOf(all), http);
  }

  /** Runs a statement without a result: DDL, {@code ALTER}, {@code INSERT ... SELECT}. */
  public void execute(String sql) {
    HttpRequest req = request(Map.of()).POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
        .build();
    send(req, sql, false, ClickHouseClient::drain);
  }

  /**
   * Answers whether the server says it is up ({@code GET /ping} answers {@code Ok.}).
   *
   * @throws StoreException when it cannot be reached at all
   */
  public boolean ping() {
    HttpRequest req = HttpRequest.newBuilder(root.resolve("ping")).timeout(timeout).GET().build();
    HttpResponse<String> res = sendOnce(req, true, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return res.statusCode() == 200 && res.body().strip().equals("Ok.");
  }

  /**
   * Inserts the rows: JSON objects named by column, where a missing column takes its default and an
   * unknown one is an error. Nothing is sent for no rows.
   */
  public void insert(String table, List<? extends JsonNode> rows) {
    if (rows.isEmpty()) return;
    insert(table, out -> {
      for (JsonNode row : rows) out.writeTree(row);
    });
  }

  /**
   * Inserts the rows that {@code rows} writes, straight into the compressed body of the request, so
   * that a large batch costs no copy of its JSON text. Nothing is sent when it writes none.
   */
  public void insert(String table, RowWriter rows) {
    Objects.requireNonNull(table, "table");
    String sql = "INSERT INTO " + table + " FORMAT JSONEachRow";
    Body body = new Body();
    int count;
    try (OutputStream gzip = new FastGzip(body); JsonGenerator out = WRITER.getFactory().createGenerator(gzip)) {
      out.setRootValueSeparator(NEWLINE);
      rows.writeRows(out);
      if (!out.getOutputContext().inRoot()) {
        throw new IllegalStateException("a row written for " + table + " was left unfinished");
      }
      count = out.getOutputContext().getEntryCount();
    } catch (IOException e) {
      throw new StoreException("could not encode the rows for " + table + ": " + e.getMessage(), e);
    }
    if (count == 0) return;
    HttpRequest req = request(Map.of("input_format_skip_unknown_fields", "0", "query", sql))
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes(), 0, body.size()))
        .build();
    send(req, sql, false, ClickHouseClient::drain);
  }

  /** The rows of a {@code SELECT}, which must not have a {@code FORMAT} clause. */
  public List<ObjectNode> select(String sql) {
    List<ObjectNode> out = new ArrayList<>();
    select(sql, out::add);
    return out;
  }

  /**
   * Hands each row of a {@code SELECT} (without a {@code FORMAT} clause) to {@code each} as it is
   * parsed, so a large result takes little memory. When the query fails after its first rows were
   * sent, {@code each} has seen those rows before this throws.
   */
  public void select(String sql, Consumer<? super ObjectNode> each) {
    String full = withoutTrailingSemicolon(sql) + "\nFORMAT JSONEachRow";
    HttpRequest req = request(Map.of("output_format_json_quote_64bit_integers", "0"))
        .POST(HttpRequest.BodyPublishers.ofString(full, StandardCharsets.UTF_8))
        .build();
    send(req, full, true, in -> {
      TailInputStream tail = new TailInputStream(in);
      try (MappingIterator<ObjectNode> rows = ROWS.readValues(tail)) {
        while (rows.hasNextValue()) each.accept(rows.nextValue());
      } catch (JsonProcessingException e) {
        throw brokenAnswer(tail, full, e);
      }
    });
  }

  /**
   * A ClickHouse string literal holding exactly {@code s}: backslash and quote escaped, control
   * characters as escapes, everything else (all of Unicode) as is, since the SQL goes out as UTF-8.
   * A string with an unpaired surrogate has no UTF-8 form and cannot be quoted faithfully.
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8).append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\0' -> b.append("\\0");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('\'').toString();
  }

  /**
   * The strings as a comma-separated list of literals, for {@code IN (...)}. No strings give
   * {@code NULL}: ClickHouse refuses an empty {@code IN ()}, and {@code x IN (NULL)} is false for every
   * {@code x} (and {@code NOT IN} true), just as for an empty set.
   */
  public static String quoteAll(Collection<String> values) {
    if (values.isEmpty()) return "NULL";
    StringBuilder b = new StringBuilder(values.size() * 16);
    for (String v : values) {
      if (b.length() > 0) b.append(", ");
      b.append(quote(v));
    }
    return b.toString();
  }

  private HttpRequest.Builder request(Map<String, String> params) {
    StringBuilder query = new StringBuilder();
    if (database != null) param(query, "database", database);
    settings.forEach((name, value) -> param(query, name, value));
    params.forEach((name, value) -> param(query, name, value));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + "?" + query)).timeout(timeout);
    if (user != null) b.header("X-ClickHouse-User", user);
    if (password != null) b.header("X-ClickHouse-Key", password);
    return b;
  }

  private static void param(StringBuilder query, String name, String value) {
    if (query.length() > 0) query.append('&');
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private interface AnswerReader {
    void read(InputStream in) throws IOException;
  }

  /** Sends the request and hands a 200 answer's body to {@code reader}; any other answer throws. */
  private void send(HttpRequest req, String sql, boolean idempotent, AnswerReader reader) {
    HttpResponse<InputStream> res = sendOnce(req, idempotent, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = res.body()) {
      if (res.statusCode() != 200) throw refusal(res, in.readNBytes(ERROR_BYTES), sql);
      reader.read(in);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Sends the request; an idempotent one is sent once more when the connection broke without a
   * timeout or a refused connect, which is the pool reusing a connection the server had just closed
   * after its keep-alive time.
   */
  private <T> HttpResponse<T> sendOnce(HttpRequest req, boolean idempotent, HttpResponse.BodyHandler<T> handler) {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.send(req, handler);
      } catch (HttpTimeoutException | ConnectException e) {
        throw unreachable(e);
      } catch (IOException e) {
        if (!idempotent || attempt > 1 || Thread.currentThread().isInterrupted()) throw unreachable(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for ClickHouse at " + base(), e);
      }
    }
  }

  private StoreException unreachable(IOException e) {
    if (Thread.currentThread().isInterrupted()) {
      return new StoreException("interrupted while waiting for ClickHouse at " + base(), e);
    }
    String why;
    if (e instanceof HttpConnectTimeoutException) {
      why = "no connection within " + http.connectTimeout().orElse(timeout).toMillis() + " ms";
    } else if (e instanceof HttpTimeoutException) {
      why = "no answer within " + timeout.toMillis() + " ms";
    } else if (e instanceof ConnectException) {
      // the JDK's client says nothing more about a refused connection than the exception's name
      String detail = firstMessage(e);
      why = "cannot connect" + (detail == null ? "" : " (" + detail + ")");
    } else {
      String detail = firstMessage(e);
      why = e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail);
    }
    return new StoreException("ClickHouse at " + base() + " is unreachable: " + why, e);
  }

  private static String firstMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
    }
    return null;
  }

  private static ClickHouseException refusal(HttpResponse<?> res, byte[] body, String sql) {
    String text = new String(body, StandardCharsets.UTF_8);
    int code = res.headers().firstValue("X-ClickHouse-Exception-Code").map(ClickHouseClient::number).orElse(-1);
    Matcher m = ERROR_CODE.matcher(text.stripLeading());
    if (code < 0 && m.lookingAt()) code = number(m.group(1));
    String message = message(text);
    return new ClickHouseException(code, code < 0 ? "HTTP " + res.statusCode() + ": " + message : message, sql);
  }

  /**
   * What a select's answer that would not parse was: when ClickHouse failed after sending the first
   * rows, the rest of the body is its error text.
   */
  private StoreException brokenAnswer(TailInputStream tail, String sql, JsonProcessingException e) {
    String text;
    try {
      text = tail.tailAndRest(ERROR_BYTES);
    } catch (IOException ignored) {
      text = tail.tail();
    }
    Matcher m = ERROR_CODE.matcher(text);
    int at = -1;
    int code = -1;
    while (m.find()) {
      at = m.start();
      code = number(m.group(1));
    }
    if (at < 0) {
      return new StoreException("ClickHouse at " + base() + " answered malformed JSON: " + e.getOriginalMessage(), e);
    }
    return new ClickHouseException(code, message(text.substring(at)), sql);
  }

  /** The server's words in an error text: without the code and the C++ wrapping, on one line, shortened. */
  private static String message(String text) {
    String m = text.strip();
    Matcher code = ERROR_CODE.matcher(m);
    if (code.lookingAt()) m = m.substring(code.end());
    if (m.startsWith("e.displayText() = ")) m = m.substring("e.displayText() = ".length());
    int what = m.lastIndexOf(", e.what() = ");
    if (what >= 0) m = m.substring(0, what);
    if (m.startsWith("DB::Exception: ")) m = m.substring("DB::Exception: ".length());
    m = m.replaceAll("\\s*\\R\\s*", " ").strip();
    return m.length() <= MESSAGE_LENGTH ? m : m.substring(0, MESSAGE_LENGTH) + "...";
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  private static String withoutTrailingSemicolon(String sql) {
    String s = sql.stripTrailing();
    while (s.endsWith(";")) s = s.substring(0, s.length() - 1).stripTrailing();
    return s;
  }

  /** {@code base} as the root of request paths: checked, ending in a slash. */
  private static URI root(URI base) {
    if (base.getScheme() == null || base.getHost() == null || !base.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("not an http(s) address of ClickHouse: " + base);
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the address of ClickHouse takes no query, fragment or credentials: " + base);
    }
    String s = base.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  /** A request body that hands out its buffer rather than a copy. */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(8192);
    }

    byte[] bytes() {
      return buf;
    }
  }

  /** Gzip at the fastest level: rows compress well anyway, and the CPU is better spent elsewhere. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /**
   * Passes a stream through while remembering its last bytes, so that when the parser stumbles on an
   * error text that ClickHouse appended to a streamed answer, that text can still be read.
   */
  private static final class TailInputStream extends FilterInputStream {
    private final byte[] ring = new byte[16 * 1024];
    private long total;

    TailInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) ring[(int) (total++ % ring.length)] = (byte) b;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      for (int i = 0; i < n; ) {
        int at = (int) (total % ring.length);
        int chunk = Math.min(n - i, ring.length - at);
        System.arraycopy(b, off + i, ring, at, chunk);
        total += chunk;
        i += chunk;
      }
      return n;
    }

    /** The last bytes read. */
    String tail() {
      return new String(tailBytes(), StandardCharsets.UTF_8);
    }

    /** The last bytes read followed by up to {@code limit} bytes not read yet. */
    String tailAndRest(int limit) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tailBytes());
      out.write(in.readNBytes(limit));
      return out.toString(StandardCharsets.UTF_8);
    }

    private byte[] tailBytes() {
      int size = (int) Math.min(total, ring.length);
      int start = (int) ((total - size) % ring.length);
      byte[] out = new byte[size];
      int first = Math.min(size, ring.length - start);
      System.arraycopy(ring, start, out, 0, first);
      System.arraycopy(ring, 0, out, first, size - first);
      return out;
    }
  }
}
