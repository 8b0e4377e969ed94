package dev.sextant.store.clickhouse;

import dev.sextant.store.StoreException;

/**
 * ClickHouse answered, and refused a statement: its error code and message, with the start of the
 * statement so that a log line says which one. Unlike a plain {@link StoreException} (the server
 * could not be reached), retrying the same statement will usually fail the same way.
 */
public final class ClickHouseException extends StoreException {
  /** How much of the statement the message repeats. */
  static final int SQL_LENGTH = 200;

  private final int code;
  private final String serverMessage;
  private final String sql;

  /**
   * @param code ClickHouse's error code, -1 when the answer named none
   * @param serverMessage the server's own words, already shortened
   * @param sql the statement, of which the first {@value #SQL_LENGTH} characters are kept
   */
  ClickHouseException(int code, String serverMessage, String sql) {
    super("ClickHouse error " + code + ": " + serverMessage + " (in: " + shorten(sql) + ")");
    this.code = code;
    this.serverMessage = serverMessage;
    this.sql = shorten(sql);
  }

  /** ClickHouse's error code (e.g. 60 for an unknown table), -1 when the answer named none. */
  public int code() {
    return code;
  }

  /** What the server said, without the code. */
  public String serverMessage() {
    return serverMessage;
  }

  /** The first {@value #SQL_LENGTH} characters of the statement. */
  public String sql() {
    return sql;
  }

  private static String shorten(String sql) {
    if (sql == null) return "";
    return sql.length() <= SQL_LENGTH ? sql : sql.substring(0, SQL_LENGTH) + "...";
  }
}
