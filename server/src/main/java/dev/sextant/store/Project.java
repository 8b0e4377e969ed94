package dev.sextant.store;

import dev.sextant.model.ContentPolicy;
import java.time.Instant;

/** A tenant: its runs, API keys, content policy and retention. */
public record Project(String projectId, String name, ContentPolicy contentPolicy, Instant createdAt,
    Retention retention) {

  /** A project that keeps its data as long as the server's defaults say. */
  public Project(String projectId, String name, ContentPolicy contentPolicy, Instant createdAt) {
    this(projectId, name, contentPolicy, createdAt, Retention.SERVER_DEFAULT);
  }
}
