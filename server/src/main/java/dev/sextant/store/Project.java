package dev.sextant.store;

import dev.sextant.model.ContentPolicy;
import java.time.Instant;

/** A tenant: its runs, API keys and content policy. */
public record Project(String projectId, String name, ContentPolicy contentPolicy, Instant createdAt) {}
