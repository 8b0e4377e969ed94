package dev.sextant.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.model.Json;
import dev.sextant.store.Store;
import dev.sextant.store.postgres.PostgresStore;
import dev.sextant.store.postgres.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert conformance suite on a real PostgreSQL, and two nodes (each its own store, evaluator
 * and notifier over one database) evaluating at the same moments: each alert notifies once.
 */
class ITPostgresAlerts extends AlertConformance {
  private final String url = TestPostgres.shared().freshSchemaUrl();

  @Override
  protected Store open() {
    return PostgresStore.builder().url(url).poolSize(4).writerThreads(1).build();
  }

  @Test
  void twoNodes_evaluatingTogether_fireAndNotifyEachAlertOnce() throws Exception {
    try (WebhookReceiver hook = new WebhookReceiver(0); Store second = open();
        ChannelNotifier n1 = new ChannelNotifier(store, clock); ChannelNotifier n2 = new ChannelNotifier(second, clock)) {
      Channel ch = Channel.parse("ch", Json.read("{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\"" + hook.url()
          + "\",\"secret\":\"k\"}"));
      store.putAlertDoc(P, ChannelNotifier.CHANNEL, "ch", Json.write(ch));
      rule("budget", "{\"name\":\"daily spend\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":10,"
          + "\"channels\":[\"ch\"]}");
      spend("r1", 5, 11.0);
      List<AlertEvaluator> nodes = List.of(new AlertEvaluator(store, n1, clock), new AlertEvaluator(second, n2, clock));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CyclicBarrier together = new CyclicBarrier(2);
      List<Future<?>> done = new ArrayList<>();
      for (AlertEvaluator node : nodes) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            together.await(10, TimeUnit.SECONDS);
            node.evaluate();
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      await().atMost(Duration.ofSeconds(10)).until(() -> store.alertLog(P, ChannelNotifier.DELIVERIES, 10).size() >= 2);
      Thread.sleep(300); // a duplicate, were there one, would have been sent by now
      assertThat(hook.received).extracting(r -> Json.read(new String(r.body(), StandardCharsets.UTF_8))
          .at("/labels/threshold_pct").asText()).containsExactlyInAnyOrder("80", "100");
      assertThat(store.alertLog(P, AlertEvaluator.HISTORY, 10)).hasSize(2);
    }
  }
}
