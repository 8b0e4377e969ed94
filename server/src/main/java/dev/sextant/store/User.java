package dev.sextant.store;

import java.time.Instant;

/** A UI user. The password is stored as a salted PBKDF2 hash. */
public record User(String username, String passwordHash, Instant createdAt) {}
