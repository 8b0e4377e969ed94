package dev.sextant.auth;

import dev.sextant.model.ProjectRole;
import dev.sextant.model.Scope;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling: an API key, bound to one project, or a UI user with a role per project.
 *
 * @param projectId the key's project, or null for a user
 * @param scopes the key's scopes; for a user {@code read} and {@code admin}, which let the request
 *     reach the handler, where {@link #may} decides per project
 * @param username the UI user, or null for an API key
 * @param owner whether the user is an instance owner
 * @param roles the user's role per project id (empty for a key)
 */
public record Principal(
    String projectId, Set<Scope> scopes, String username, String keyPublicId, boolean owner,
    Map<String, ProjectRole> roles) {

  /** An API key of {@code projectId}. */
  public static Principal key(String projectId, Set<Scope> scopes, String publicId) {
    return new Principal(projectId, Set.copyOf(scopes), null, publicId, false, Map.of());
  }

  /** A signed-in user. */
  public static Principal user(String username, boolean owner, Map<String, ProjectRole> roles) {
    return new Principal(null, Set.of(Scope.READ, Scope.ADMIN), username, null, owner, Map.copyOf(roles));
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
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

  /** The name the audit log records: the username, or {@code key:<public id>}. */
  public String actor() {
    return isSession() ? username : "key:" + keyPublicId;
  }

  /**
   * Whether the caller manages the whole instance (every project, users, the full audit log): an
   * owner, or an admin key of project {@code default}, which scripts use to set up an instance.
   */
  public boolean isInstanceAdmin() {
    return isSession() ? owner : has(Scope.ADMIN) && Bootstrap.DEFAULT_PROJECT.equals(projectId);
  }

  /** Whether the caller may do {@code what} in project {@code project}. */
  public boolean may(Permission what, String project) {
    if (!isSession()) {
      return switch (what) {
        case READ -> has(Scope.READ) && project.equals(projectId);
        case INGEST -> has(Scope.INGEST) && project.equals(projectId);
        case MANAGE_KEYS, MANAGE_PROJECT -> has(Scope.ADMIN) && (project.equals(projectId) || isInstanceAdmin());
      };
    }
    if (what == Permission.INGEST) return false;
    if (owner) return true;
    ProjectRole role = roles.get(project);
    if (role == null) return false;
    return switch (what) {
      case READ -> true;
      case MANAGE_KEYS -> role.atLeast(ProjectRole.MEMBER);
      default -> role.atLeast(ProjectRole.ADMIN);
    };
  }
}
