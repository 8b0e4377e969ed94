package dev.sextant.auth;

/** What a caller may be allowed to do in one project; {@link Principal#may} decides. */
public enum Permission {
  /** Runs, steps, stats, agents. */
  READ,
  /** Every ingest protocol. API keys only: a UI session never ingests. */
  INGEST,
  /** List keys, create and revoke ingest and read keys. */
  MANAGE_KEYS,
  /** Change the project, its members, invites and admin keys; read its audit log. */
  MANAGE_PROJECT
}
