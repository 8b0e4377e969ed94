package dev.sextant.auth;

import dev.sextant.model.Scope;
import java.util.Set;

/**
 * Who is calling. An API key is bound to one project; a UI session user may name any project.
 *
 * @param projectId the key's project, or null for a session user
 * @param username the UI user, or null for an API key
 */
public record Principal(String projectId, Set<Scope> scopes, String username, String keyPublicId) {
  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  public boolean isSession() {
    return username != null;
  }
}
