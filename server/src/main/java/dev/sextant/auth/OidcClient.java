package dev.sextant.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenID Connect relying party, on the Nimbus OAuth 2.0 / OpenID Connect SDK: discovery, the
 * authorization request (code flow, PKCE S256, state, nonce), the code exchange and ID token
 * validation (signature from the provider's JWKS, issuer, audience, expiry, nonce). The provider's
 * metadata is read on first use, not at start, so the server starts while the provider is down.
 */
public final class OidcClient {
  private static final int TIMEOUT_MS = 5_000;
  private static final Set<JWSAlgorithm> ASYMMETRIC = new HashSet<>(JWSAlgorithm.Family.SIGNATURE);
  private final OidcConfig config;
  private volatile Provider provider;

  private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {}

  /** A sign-in that failed; the message says why, for the login page and the audit log. */
  public static final class Failure extends Exception {
    public Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** The values a login carries from its start to its callback (kept in a cookie, never on the server). */
  public record Pending(String state, String nonce, String verifier) {
    public static Pending create() {
      return new Pending(new State().getValue(), new Nonce().getValue(), new CodeVerifier().getValue());
    }
  }

  public OidcClient(OidcConfig config) {
    this.config = config;
  }

  public OidcConfig config() {
    return config;
  }

  /** Where to send the browser to sign in. */
  public URI authorizationUri(Pending pending, URI redirectUri) throws Failure {
    OIDCProviderMetadata meta = provider().metadata();
    return new AuthenticationRequest.Builder(new ResponseType("code"),
        new com.nimbusds.oauth2.sdk.Scope(config.scopes().toArray(new String[0])), new ClientID(config.clientId()),
        redirectUri)
        .endpointURI(meta.getAuthorizationEndpointURI())
        .state(new State(pending.state()))
        .nonce(new Nonce(pending.nonce()))
        .codeChallenge(new CodeVerifier(pending.verifier()), CodeChallengeMethod.S256)
        .build()
        .toURI();
  }

  /** Exchanges the code for tokens and returns the ID token's validated claims. */
  public IDTokenClaimsSet exchange(String code, Pending pending, URI redirectUri) throws Failure {
    Provider p = provider();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
        new CodeVerifier(pending.verifier()));
    URI endpoint = p.metadata().getTokenEndpointURI();
    TokenRequest request = config.clientSecret() == null
        ? new TokenRequest(endpoint, new ClientID(config.clientId()), grant)
        : new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(config.clientId()),
            new Secret(config.clientSecret())), grant);
    TokenResponse response;
    try {
      response = OIDCTokenResponseParser.parse(timed(request.toHTTPRequest()).send());
    } catch (IOException | ParseException e) {
      throw new Failure("the provider's token endpoint did not answer properly: " + e.getMessage());
    }
    if (!response.indicatesSuccess()) {
      TokenErrorResponse error = response.toErrorResponse();
      throw new Failure("the provider refused the code: " + error.getErrorObject().getCode()
          + (error.getErrorObject().getDescription() == null ? "" : " (" + error.getErrorObject().getDescription() + ")"));
    }
    JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    if (idToken == null) throw new Failure("the provider's answer has no ID token; is the openid scope asked for?");
    try {
      return p.validator().validate(idToken, new Nonce(pending.nonce()));
    } catch (Exception e) {
      throw new Failure("the ID token is not valid: " + e.getMessage());
    }
  }

  private Provider provider() throws Failure {
    Provider p = provider;
    if (p != null) return p;
    synchronized (this) {
      if (provider != null) return provider;
      try {
        OIDCProviderMetadata meta = OIDCProviderMetadata.resolve(new Issuer(config.issuer()), TIMEOUT_MS, TIMEOUT_MS);
        // any signing algorithm the provider announces with public keys; never "none" or an HMAC
        Set<JWSAlgorithm> algs = new HashSet<>();
        List<JWSAlgorithm> announced = meta.getIDTokenJWSAlgs();
        if (announced != null) for (JWSAlgorithm a : announced) if (ASYMMETRIC.contains(a)) algs.add(a);
        if (algs.isEmpty()) algs.add(JWSAlgorithm.RS256);
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(meta.getJWKSetURI().toURL()).build();
        IDTokenValidator validator = new IDTokenValidator(meta.getIssuer(), new ClientID(config.clientId()),
            new JWSVerificationKeySelector<>(algs, keys), null);
        provider = new Provider(meta, validator);
        return provider;
      } catch (Exception e) {
        throw new Failure("the provider " + config.issuer() + " cannot be reached or its discovery document is not"
            + " valid: " + e.getMessage());
      }
    }
  }

  private static HTTPRequest timed(HTTPRequest r) {
    r.setConnectTimeout(TIMEOUT_MS);
    r.setReadTimeout(TIMEOUT_MS);
    return r;
  }
}
