package dev.sextant.store;

import java.time.Instant;

/** A UI login session; only the hash of the cookie value is stored. */
public record Session(String tokenHash, String username, Instant expiresAt) {}
