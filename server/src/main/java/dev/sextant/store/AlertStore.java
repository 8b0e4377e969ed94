package dev.sextant.store;

import java.util.List;
import java.util.Optional;

/**
 * Alerting state per project: rules, channels, silences and alert states as small JSON documents
 * (read whole, a handful per project), and two append-only logs, {@code history} (every alert
 * transition) and {@code deliveries} (every notification attempt's outcome).
 */
public interface AlertStore {
  /** Inserts or replaces the document {@code kind}/{@code id} of the project. */
  void putAlertDoc(String projectId, String kind, String id, String json);

  /** The project's documents of {@code kind}, by id. */
  List<String> alertDocs(String projectId, String kind);

  Optional<String> alertDoc(String projectId, String kind, String id);

  /** False when there was none. */
  boolean deleteAlertDoc(String projectId, String kind, String id);

  /** Appends an entry to the project's log {@code log}. */
  void appendAlertLog(String projectId, String log, long atNanos, String json);

  /** The newest {@code limit} entries of the project's log {@code log}, newest first. */
  List<String> alertLog(String projectId, String log, int limit);
}
