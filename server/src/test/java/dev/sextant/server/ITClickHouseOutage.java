package dev.sextant.server;

import dev.sextant.store.clickhouse.ClickHouseStore;
import dev.sextant.store.clickhouse.TestClickHouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link StoreOutageCheck} on ClickHouse, killed with SIGKILL and started again on its data: an
 * acknowledged insert survives a restart of ClickHouse. The small state stays in SQLite.
 */
class ITClickHouseOutage extends StoreOutageCheck {
  private TestClickHouse clickhouse;

  @Override
  Config startStore(Path dir, Config defaults) {
    clickhouse = TestClickHouse.start(1);
    return defaults.toBuilder().store("clickhouse").clickhouse(new ClickHouseStore.ClickHouseConfig(
        List.of(clickhouse.url(0)), null, null, "sextant", null, Duration.ofSeconds(30))).build();
  }

  @Override
  void stopStore() {
    clickhouse.kill(0);
  }

  @Override
  void restartStore() {
    clickhouse.restart(0);
  }

  @Override
  void closeStore() {
    if (clickhouse != null) clickhouse.close();
  }
}
