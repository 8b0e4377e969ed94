package dev.sextant.model;

import java.util.Locale;

/**
 * What a user may do in one project. Each role includes the ones before it: a {@code viewer} reads
 * runs and stats; a {@code member} also lists, creates and revokes the project's ingest and read
 * API keys; an {@code admin} also changes the project (content policy, name), manages its members,
 * invites and admin keys, and reads its audit log.
 */
public enum ProjectRole {
  VIEWER, MEMBER, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(ProjectRole other) {
    return compareTo(other) >= 0;
  }

  /** The role named {@code s}, or null when {@code s} names none. */
  public static ProjectRole parse(String s) {
    for (ProjectRole r : values()) if (r.wire().equals(s)) return r;
    return null;
  }
}
