package dev.sextant.privacy;

import dev.sextant.store.postgres.TestPostgres;
import dev.sextant.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The privacy probe on PostgreSQL: the text of every row of every table of the server's schema. */
class ITPrivacyAtRestPostgres extends PrivacyAtRest {
  private String url;

  @Override
  protected TestServer start() {
    url = TestPostgres.shared().freshSchemaUrl();
    return TestServer.start(c -> c.toBuilder().store("postgres").postgresUrl(url).build());
  }

  @Override
  protected String atRest(TestServer server) {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
          + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String table : tables) {
        // a row's text form holds every column, JSON and arrays included
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (rs.next()) out.append(table).append(": ").append(rs.getString(1)).append('\n');
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  @Override
  protected String afterStop(TestServer server) {
    return "";
  }
}
