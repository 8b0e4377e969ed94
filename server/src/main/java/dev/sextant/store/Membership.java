package dev.sextant.store;

import dev.sextant.model.ProjectRole;
import java.time.Instant;

/** A user's role in one project. */
public record Membership(String projectId, String username, ProjectRole role, Instant createdAt) {}
