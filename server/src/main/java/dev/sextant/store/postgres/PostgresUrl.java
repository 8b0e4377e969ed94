package dev.sextant.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location as users write it: either a JDBC URL ({@code jdbc:postgresql://host:port/db?…})
 * or the libpq URI that psql, managed-database consoles and most other tools print
 * ({@code postgresql://user:password@host:port/db?sslmode=require}). pgjdbc only understands the
 * first, so the second is turned into it with the credentials taken out as separate properties.
 */
record PostgresUrl(String jdbcUrl, String user, String password) {
  private static final String JDBC = "jdbc:postgresql:";

  static PostgresUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "--postgres-url is required with --store postgres, e.g. postgresql://user:password@host:5432/sextant");
    }
    String u = url.trim();
    if (u.startsWith(JDBC)) return new PostgresUrl(u, null, null);
    String rest;
    if (u.startsWith("postgresql://")) rest = u.substring("postgresql://".length());
    else if (u.startsWith("postgres://")) rest = u.substring("postgres://".length());
    else {
      throw new IllegalArgumentException("--postgres-url must start with jdbc:postgresql://, postgresql:// or"
          + " postgres://, got \"" + redact(u) + "\"");
    }
    int slash = rest.indexOf('/');
    int query = rest.indexOf('?');
    int authorityEnd = slash >= 0 ? slash : query >= 0 ? query : rest.length();
    String authority = rest.substring(0, authorityEnd);
    String tail = rest.substring(authorityEnd);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
      if (user.isEmpty()) user = null;
    }
    if (authority.isEmpty()) authority = "localhost";
    if (tail.isEmpty() || tail.startsWith("?")) tail = "/" + tail;
    return new PostgresUrl(JDBC + "//" + authority + tail, user, password);
  }

  /** The URL with any password replaced by {@code ***}, for messages and logs. */
  static String redact(String url) {
    if (url == null) return null;
    String s = url.replaceAll("(?i)(password=)[^&]*", "$1***");
    return s.replaceAll("(://[^/@:]*):[^/@]*@", "$1:***@");
  }

  private static String decode(String s) {
    // URLDecoder would turn '+' into a space, which a URI's user-info does not mean
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "PostgresUrl[" + redact(jdbcUrl) + ", user=" + user + "]";
  }
}
