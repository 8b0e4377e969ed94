package dev.sextant.store;

import dev.sextant.model.Scope;
import java.time.Instant;
import java.util.Set;

/** An API key of one project. Only the SHA-256 of the secret is stored. */
public record ApiKey(
    String publicId, String secretHash, String projectId, Set<Scope> scopes, String name, Instant createdAt) {}
