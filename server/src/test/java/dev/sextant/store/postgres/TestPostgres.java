package dev.sextant.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the tests run against: one embedded server per test JVM (real PostgreSQL
 * binaries from Maven, no Docker), or the database named by {@code SEXTANT_TEST_POSTGRES_URL}.
 * Each test gets a fresh schema, which is much cheaper than a fresh database and isolates as well.
 */
public final class TestPostgres {
  public static final String ENV = "SEXTANT_TEST_POSTGRES_URL";
  private static TestPostgres shared;

  private final PostgresUrl base;
  private final boolean external;
  private final List<String> schemas = new ArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();

  private TestPostgres(PostgresUrl base, boolean external) {
    this.base = base;
    this.external = external;
  }

  /** The JVM-wide instance, started on first use and stopped when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      String url = System.getenv(ENV);
      if (url != null && !url.isBlank()) {
        shared = new TestPostgres(PostgresUrl.parse(url), true);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::dropSchemas, "drop-test-schemas"));
      } else {
        EmbeddedPostgres pg = start(null, 0);
        shared = new TestPostgres(new PostgresUrl(pg.getJdbcUrl("postgres", "postgres"), null, null), false);
      }
    }
    return shared;
  }

  /**
   * Starts an embedded PostgreSQL of its own, e.g. to stop it in the middle of a test. With a
   * {@code dataDir} that already holds a database and the same {@code port}, this is a restart.
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    try {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "300")
          .setOutputRedirector(java.lang.ProcessBuilder.Redirect.DISCARD);
      if (dataDir != null) b.setDataDirectory(dataDir).setCleanDataDirectory(false);
      if (port > 0) b.setPort(port);
      return b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  public boolean external() {
    return external;
  }

  /** A JDBC URL whose default schema is new and empty. */
  public String freshSchemaUrl() {
    String schema = "sextant_test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
    }
    synchronized (schemas) {
      schemas.add(schema);
    }
    return urlFor(base, schema);
  }

  /** {@code base} with its default schema set and the credentials, if any, as parameters. */
  static String urlFor(PostgresUrl base, String schema) {
    StringBuilder url = new StringBuilder(base.jdbcUrl());
    url.append(base.jdbcUrl().contains("?") ? '&' : '?').append("currentSchema=").append(schema);
    if (base.user() != null) url.append("&user=").append(URLEncoder.encode(base.user(), StandardCharsets.UTF_8));
    if (base.password() != null) {
      url.append("&password=").append(URLEncoder.encode(base.password(), StandardCharsets.UTF_8));
    }
    return url.toString();
  }

  private Connection admin() throws SQLException {
    Properties p = new Properties();
    if (base.user() != null) p.setProperty("user", base.user());
    if (base.password() != null) p.setProperty("password", base.password());
    return DriverManager.getConnection(base.jdbcUrl(), p);
  }

  private void dropSchemas() {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      synchronized (schemas) {
        for (String schema : schemas) s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (SQLException e) {
      System.err.println("could not drop the test schemas: " + e.getMessage());
    }
  }
}
