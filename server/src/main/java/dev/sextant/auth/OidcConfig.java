package dev.sextant.auth;

import java.util.List;

/**
 * An OpenID Connect provider for single sign-on.
 *
 * @param issuer the issuer URL; its {@code /.well-known/openid-configuration} is read at start
 * @param clientSecret the client secret, or null for a public client (PKCE only)
 * @param redirectUri where the provider sends the browser back: this server's
 *     {@code /v1/auth/oidc/callback}; null derives it from the request's Host header
 * @param scopes the scopes asked for ({@code openid} is always among them)
 * @param usernameClaim the claim that names the user (falls back to {@code email}, then {@code sub})
 * @param rolesClaim the claim (a string or an array of strings) mapped to roles: {@code owner}
 *     makes the user an instance owner, {@code <project>:<viewer|member|admin>} gives a role in a
 *     project; other values are ignored
 * @param displayName the provider's name on the login button
 */
public record OidcConfig(
    String issuer, String clientId, String clientSecret, String redirectUri, List<String> scopes,
    String usernameClaim, String rolesClaim, String displayName) {}
