package dev.sextant.alert;

import java.util.List;

/** Delivers alert transitions to notification channels (webhooks, Slack). */
public interface AlertNotifier {

  /**
   * Queues {@code event} for each of the project's channels named in {@code channelIds} and returns
   * at once; delivery, retries and the delivery log are the notifier's. Never throws: an unknown
   * channel is recorded as a failed delivery.
   */
  void send(AlertEvent event, List<String> channelIds);

  /** A notifier that delivers nothing, for servers and tests without channels. */
  AlertNotifier NONE = (event, channelIds) -> {};
}
