package dev.sextant.server;

import dev.sextant.auth.OidcConfig;
import java.time.Duration;

/**
 * Settings of team access: how long the audit log is kept and, when set, the OpenID Connect
 * provider users sign in with.
 *
 * @param auditRetention entries older than this are deleted (checked hourly)
 * @param oidc the single sign-on provider, or null when only passwords are used
 */
public record AccessConfig(Duration auditRetention, OidcConfig oidc) {
  public static final AccessConfig DEFAULT = new AccessConfig(Duration.ofDays(365), null);

  public AccessConfig withOidc(OidcConfig value) {
    return new AccessConfig(auditRetention, value);
  }

  public AccessConfig withAuditRetention(Duration value) {
    return new AccessConfig(value, oidc);
  }
}
