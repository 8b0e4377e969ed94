package dev.sextant.http;

import dev.sextant.auth.OidcConfig;
import java.time.Duration;

/**
 * What the HTTP endpoints need from the server's configuration: which roles this node serves and
 * the few settings endpoints read.
 *
 * @param secureCookies whether session cookies are marked {@code Secure} (the server serves TLS)
 * @param oidc single sign-on, or null
 */
public record HttpOptions(boolean ingest, boolean query, boolean ui, int metricsSeriesLimit, Duration metricsCache,
    boolean langsmithMultipart, boolean secureCookies, OidcConfig oidc) {}
