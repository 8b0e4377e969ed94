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

  /**
   * Whether this caller administers the whole instance rather than one project: the UI login, or
   * an admin key of project {@code default}.
   */
  public boolean isInstanceAdmin() {
    return isSession() || (has(Scope.ADMIN) && Bootstrap.DEFAULT_PROJECT.equals(projectId));
  }

  /**
   * Whether this caller may use an endpoint that needs {@code scope}. The instance-wide metrics
   * are open to the {@code metrics} scope and to instance administrators, never to a project's
   * read key, since they count every project.
   */
  public boolean may(Scope scope) {
    return has(scope) || (scope == Scope.METRICS && isInstanceAdmin());
  }

  public boolean isSession() {
    return username != null;
  }
}
