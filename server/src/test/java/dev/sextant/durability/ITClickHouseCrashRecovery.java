package dev.sextant.durability;

import dev.sextant.store.clickhouse.TestClickHouse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ITCrashRecovery} with runs and steps in ClickHouse: a Sextant node killed with SIGKILL in
 * the middle of ingest loses nothing it acknowledged, and stores nothing twice, whatever was in
 * flight between its ClickHouse inserts.
 */
class ITClickHouseCrashRecovery extends ITCrashRecovery {
  private static TestClickHouse clickhouse;

  @BeforeAll
  static void startClickHouse() {
    clickhouse = TestClickHouse.start(1);
  }

  @AfterAll
  static void stopClickHouse() {
    clickhouse.close();
  }

  @Override
  List<String> serveOptions() {
    return List.of("--store", "clickhouse", "--clickhouse-url", clickhouse.url(0).toString());
  }
}
