package dev.sextant.auth;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Scope;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Project;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.io.PrintStream;
import java.time.Clock;
import java.util.EnumSet;

/**
 * First-start set-up: project {@code default}, an API key with every scope and the UI user
 * {@code admin}, the instance owner. Values given through the environment are ensured on every start; generated ones
 * are created only on an empty store and printed once.
 */
public final class Bootstrap {
  public static final String DEFAULT_PROJECT = "default";
  public static final String DEFAULT_PUBLIC_KEY = "pk-sextant-default";

  private final Accounts store;
  private final Clock clock;
  private final PrintStream out;

  public Bootstrap(Accounts store, Clock clock, PrintStream out) {
    this.store = store;
    this.clock = clock;
    this.out = out;
  }

  public void run(String apiKey, String publicKey, String adminPassword) {
    if (store.project(DEFAULT_PROJECT).isEmpty()) {
      store.putProject(new Project(DEFAULT_PROJECT, DEFAULT_PROJECT, ContentPolicy.METADATA_ONLY, clock.instant()));
    }
    String pub = publicKey == null || publicKey.isBlank() ? DEFAULT_PUBLIC_KEY : publicKey;
    if (apiKey != null && !apiKey.isBlank()) {
      if (store.apiKeyBySecretHash(Secrets.sha256(apiKey)).isEmpty()) {
        if (store.apiKeyByPublicId(pub).isPresent()) pub = pub + "-" + Secrets.random(6).toLowerCase();
        store.putApiKey(new ApiKey(pub, Secrets.sha256(apiKey), DEFAULT_PROJECT, EnumSet.allOf(Scope.class),
            "bootstrap", clock.instant()));
      }
    } else if (!store.hasApiKeys()) {
      String secret = "sk-sextant-" + Secrets.random(32);
      store.putApiKey(new ApiKey(pub, Secrets.sha256(secret), DEFAULT_PROJECT, EnumSet.allOf(Scope.class),
          "bootstrap", clock.instant()));
      out.println("Created API key for project default (shown once, store it now):");
      out.println("  public id: " + pub);
      out.println("  secret:    " + secret);
    }
    if (adminPassword != null && !adminPassword.isBlank()) {
      // the environment's password is the way back in: it also makes admin an enabled owner again
      User admin = store.user("admin").orElse(null);
      boolean same = admin != null && Secrets.verifyPassword(adminPassword, admin.passwordHash());
      if (admin == null) {
        store.putUser(new User("admin", Secrets.hashPassword(adminPassword), clock.instant(), true, false, null));
      } else if (!same || !admin.owner() || admin.disabled()) {
        String hash = same ? admin.passwordHash() : Secrets.hashPassword(adminPassword);
        store.putUser(admin.withPasswordHash(hash).withOwner(true).withDisabled(false));
      }
    } else if (store.user("admin").isEmpty()) {
      String password = Secrets.random(20);
      store.putUser(new User("admin", Secrets.hashPassword(password), clock.instant(), true, false, null));
      out.println("Created UI user admin, the instance owner (shown once, store it now):");
      out.println("  password:  " + password);
    }
  }

}
