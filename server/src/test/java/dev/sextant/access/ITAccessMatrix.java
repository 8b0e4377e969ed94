package dev.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.auth.Secrets;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.model.Scope;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Invite;
import dev.sextant.store.Membership;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import dev.sextant.store.Store;
import dev.sextant.store.User;
import dev.sextant.model.ContentPolicy;
import dev.sextant.testing.Caller;
import dev.sextant.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access matrix: every endpoint × every kind of caller × the caller's own project and another
 * project, with the status each cell must answer. Users are members of project {@code alpha} only;
 * API keys belong to {@code alpha}; {@code k_default} is the bootstrap key of project
 * {@code default} (every scope); {@code k_revoked} and {@code k_expired} had every scope. A cell is {@code own/other}, or one status where the endpoint names
 * no project. State-changing endpoints act on a fresh target per cell, so cells do not interfere.
 * Single sign-on is not configured here (its endpoints answer 404); ITOidcLogin covers it.
 */
class ITAccessMatrix {
  private static final String OWN = "alpha";
  private static final String OTHER = "beta";

  private static final String TABLE = """
      endpoint                                  | anon | owner   | admin   | member  | viewer  | k_ingest | k_read  | k_admin | k_default | k_revoked | k_expired | k_metrics
      GET /health                               | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /health/live                          | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /health/ready                         | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /openapi.json                         | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /metrics                              | 401  | 200     | 403     | 403     | 403     | 403      | 403     | 403     | 200       | 401       | 401       | 200
      POST /v1/auth/login                       | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /v1/auth/me                           | 401  | 200     | 200     | 200     | 200     | 403      | 200     | 403     | 200       | 401       | 401       | 403
      GET /v1/auth/providers                    | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      GET /v1/auth/oidc/login                   | 404  | 404     | 404     | 404     | 404     | 404      | 404     | 404     | 404       | 404       | 404       | 404
      GET /v1/auth/oidc/callback                | 404  | 404     | 404     | 404     | 404     | 404      | 404     | 404     | 404       | 404       | 404       | 404
      POST /v1/invites/inspect                  | 200  | 200     | 200     | 200     | 200     | 200      | 200     | 200     | 200       | 200       | 200       | 200
      POST /v1/invites/accept                   | 201  | 201     | 201     | 201     | 201     | 201      | 201     | 201     | 201       | 201       | 201       | 201
      GET /v1/runs                              | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/runs/{run_id}                     | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/runs/{run_id}/steps/{step_id}     | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/stats                             | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/timeseries                        | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/compare                           | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/prices                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/prices/unknown                    | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      PUT /v1/prices                            | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 403/403   | 401/401   | 401/401   | 403/403
      DELETE /v1/prices                         | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/history                    | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/rules                      | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/alerts/rules                     | 401  | 201/201 | 201/404 | 403/404 | 403/404 | 403/403  | 403/403 | 201/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/rules/{rule_id}            | 401  | 404/404 | 404/404 | 404/404 | 404/404 | 403/403  | 404/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      PUT /v1/alerts/rules/{rule_id}            | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      DELETE /v1/alerts/rules/{rule_id}         | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/silences                   | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/alerts/silences                  | 401  | 201/201 | 201/404 | 403/404 | 403/404 | 403/403  | 403/403 | 201/403 | 403/403   | 401/401   | 401/401   | 403/403
      DELETE /v1/alerts/silences/{silence_id}   | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/channels                   | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/alerts/channels                  | 401  | 201/201 | 201/404 | 403/404 | 403/404 | 403/403  | 403/403 | 201/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/channels/{channel_id}      | 401  | 404/404 | 404/404 | 404/404 | 404/404 | 403/403  | 404/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      PUT /v1/alerts/channels/{channel_id}      | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      DELETE /v1/alerts/channels/{channel_id}   | 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/alerts/channels/{channel_id}/test| 401  | 404/404 | 404/404 | 403/404 | 403/404 | 403/403  | 403/403 | 404/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/alerts/deliveries                 | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/agents                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/metrics                           | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/dashboard/runs/roots                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/dashboard/runs/{run_id}/hierarchy                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/dashboard/stats/summary                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/export                               | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/scores                            | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/scores                           | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /runs/{run_id}                        | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /runs/query                          | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /sessions                             | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /sessions/{session_id}                | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /feedback                            | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /feedback                             | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /feedback/{feedback_id}               | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/runs/{run_id}                 | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/v1/runs/query                   | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/sessions                      | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/sessions/{session_id}         | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/v1/feedback                     | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/feedback                      | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /api/v1/feedback/{feedback_id}        | 401  | 200/200 | 200/404 | 200/404 | 200/404 | 403/403  | 200/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/ingest                           | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/import/{format}                           | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /v1/traces                           | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      POST /api/public/otel/v1/traces           | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      POST /otel/v1/traces                      | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      POST /api/v1/otel/v1/traces               | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      GET /info                                 | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      GET /api/v1/info                          | 401  | 403     | 403     | 403     | 403     | 200      | 403     | 403     | 200       | 401       | 401       | 403
      POST /runs/batch                          | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/v1/runs/batch                   | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /runs/multipart                      | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/v1/runs/multipart               | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /runs                                | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/v1/runs                         | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 202/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      PATCH /runs/{run_id}                      | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      PATCH /api/v1/runs/{run_id}               | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 200/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      POST /api/public/ingestion                | 401  | 403/403 | 403/403 | 403/403 | 403/403 | 207/403  | 403/403 | 403/403 | 403/403   | 401/401   | 401/401   | 403/403
      GET /v1/projects                          | 401  | 200     | 200     | 200     | 200     | 403      | 403     | 200     | 200       | 401       | 401       | 403
      POST /v1/projects                         | 401  | 201     | 403     | 403     | 403     | 403      | 403     | 403     | 201       | 401       | 401       | 403
      PATCH /v1/projects/{project_id}           | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      GET /v1/projects/{project_id}/api-keys    | 401  | 200/200 | 200/404 | 200/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      POST /v1/projects/{project_id}/api-keys   | 401  | 201/201 | 201/404 | 201/404 | 403/404 | 403/403  | 403/403 | 201/403 | 201/201   | 401/401   | 401/401   | 403/403
      POST admin key                            | 401  | 201/201 | 201/404 | 403/404 | 403/404 | 403/403  | 403/403 | 201/403 | 201/201   | 401/401   | 401/401   | 403/403
      DELETE /v1/projects/{project_id}/api-keys/{public_id} | 401  | 204/204 | 204/404 | 204/404 | 403/404 | 403/403  | 403/403 | 204/403 | 204/204   | 401/401   | 401/401   | 403/403
      DELETE admin key                          | 401  | 204/204 | 204/404 | 403/404 | 403/404 | 403/403  | 403/403 | 204/403 | 204/204   | 401/401   | 401/401   | 403/403
      GET /v1/projects/{project_id}/members     | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      PUT /v1/projects/{project_id}/members/{username} | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      DELETE /v1/projects/{project_id}/members/{username} | 401  | 204/204 | 204/404 | 403/404 | 403/404 | 403/403  | 403/403 | 204/403 | 204/204   | 401/401   | 401/401   | 403/403
      GET /v1/projects/{project_id}/invites     | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      POST /v1/projects/{project_id}/invites    | 401  | 201/201 | 201/404 | 403/404 | 403/404 | 403/403  | 403/403 | 201/403 | 201/201   | 401/401   | 401/401   | 403/403
      DELETE /v1/projects/{project_id}/invites/{invite_id} | 401  | 204/204 | 204/404 | 403/404 | 403/404 | 403/403  | 403/403 | 204/403 | 204/204   | 401/401   | 401/401   | 403/403
      GET /v1/users                             | 401  | 200     | 403     | 403     | 403     | 403      | 403     | 403     | 200       | 401       | 401       | 403
      PATCH /v1/users/{username}                | 401  | 200     | 403     | 403     | 403     | 403      | 403     | 403     | 200       | 401       | 401       | 403
      DELETE /v1/users/{username}               | 401  | 204     | 403     | 403     | 403     | 403      | 403     | 403     | 204       | 401       | 401       | 403
      GET /v1/audit                             | 401  | 200     | 403     | 403     | 403     | 403      | 403     | 200     | 200       | 401       | 401       | 403
      GET /v1/audit?project                     | 401  | 200/200 | 200/404 | 403/404 | 403/404 | 403/403  | 403/403 | 200/403 | 200/200   | 401/401   | 401/401   | 403/403
      """;

  /** Endpoints the table leaves out, with the reason. */
  private static final Map<String, String> NOT_IN_TABLE = Map.of(
      "POST /v1/auth/logout", "needs no credential and ends the caller's session; ITAuth covers it");

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Store store;
  private static final Map<String, Caller> callers = new LinkedHashMap<>();
  private static final AtomicInteger fresh = new AtomicInteger();

  /** One request of a cell: method, path and JSON body (or raw bytes with their content type). */
  private record Req(String method, String path, String contentType, byte[] body) {}

  @BeforeAll
  static void start() {
    store = server.server().store();
    Instant now = Instant.now();
    for (String p : List.of(OWN, OTHER)) {
      store.putProject(new Project(p, p, ContentPolicy.METADATA_ONLY, now));
      String ingest = key(p, EnumSet.of(Scope.INGEST), null);
      TestServer.Response r = Caller.key(server, ingest).post("/v1/ingest", "{\"runs\":[{\"run_id\":\"r1\","
          + "\"agent_id\":\"a\",\"agent_version\":\"v1\"},{\"run_id\":\"r2\",\"agent_id\":\"sess\","
          + "\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\",\"status\":\"success\"}],"
          + "\"steps\":[{\"run_id\":\"r1\",\"step_id\":\"s1\",\"seq\":1}]}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      store.putScores(p, List.of(new Score("fb1", "r1", null, "k", 1.0, null, null, "api", null, now)));
    }
    callers.put("anon", Caller.anonymous(server));
    callers.put("owner", Caller.login(server, "admin", TestServer.ADMIN_PASSWORD));
    for (ProjectRole role : List.of(ProjectRole.ADMIN, ProjectRole.MEMBER, ProjectRole.VIEWER)) {
      String name = role.wire() + "-user";
      store.putUser(new User(name, Secrets.hashPassword("password-" + name), now));
      store.putMembership(new Membership(OWN, name, role, now));
      callers.put(role.wire(), Caller.login(server, name, "password-" + name));
    }
    callers.put("k_ingest", Caller.key(server, key(OWN, EnumSet.of(Scope.INGEST), null)));
    callers.put("k_read", Caller.key(server, key(OWN, EnumSet.of(Scope.READ), null)));
    callers.put("k_admin", Caller.key(server, key(OWN, EnumSet.of(Scope.ADMIN), null)));
    callers.put("k_default", Caller.key(server, TestServer.API_KEY));
    String revoked = key(OWN, EnumSet.allOf(Scope.class), null);
    store.revokeApiKey(OWN, store.apiKeyBySecretHash(Secrets.sha256(revoked)).orElseThrow().publicId(), now);
    callers.put("k_revoked", Caller.key(server, revoked));
    callers.put("k_expired", Caller.key(server, key(OWN, EnumSet.allOf(Scope.class), now.minusSeconds(1))));
    callers.put("k_metrics", Caller.key(server, key(OWN, EnumSet.of(Scope.METRICS), null)));
    store.putUser(new User("zed", "", now));
  }

  /** Creates a key directly in the store (fixtures; the calls under test go through HTTP) and returns its secret. */
  private static String key(String project, Set<Scope> scopes, Instant expires) {
    String secret = "sk-matrix-" + Secrets.random(24);
    store.putApiKey(new ApiKey("pk-matrix-" + fresh.incrementAndGet(), Secrets.sha256(secret), project, scopes, null,
        Instant.now().minusSeconds(5), "test", null, expires, null));
    return secret;
  }

  private static String freshName() {
    return "fresh-" + fresh.incrementAndGet();
  }

  /** The request each endpoint of the table sends, for project {@code p}. */
  private static Req request(String endpoint, String p) {
    String q = "?project=" + p;
    String otlp = "{\"resourceSpans\":[]}";
    String batch = "{\"post\":[],\"patch\":[]}";
    String lsRun = "{\"id\":\"0f3c2a6e-2f4b-4d5e-9a7b-1c2d3e4f5a6b\",\"name\":\"x\",\"run_type\":\"chain\","
        + "\"start_time\":\"2026-11-22T10:00:00Z\"}";
    return switch (endpoint) {
      case "GET /v1/runs", "GET /v1/stats", "GET /v1/timeseries", "GET /v1/agents", "GET /v1/metrics" ->
          get(endpoint.substring(4) + q);
      case "GET /v1/runs/{run_id}" -> get("/v1/runs/r1" + q);
      case "GET /v1/runs/{run_id}/steps/{step_id}" -> get("/v1/runs/r1/steps/s1" + q);
      case "GET /v1/compare" -> get("/v1/compare" + q + "&agent=a&a=v1&b=v2");
      case "GET /v1/prices", "GET /v1/prices/unknown" -> get(endpoint.substring(4) + q);
      case "PUT /v1/prices" -> json("PUT", "/v1/prices" + q,
          "{\"model\":\"" + freshName() + "\",\"effective_from\":\"2026-01-01\",\"input\":1,\"output\":2}");
      case "DELETE /v1/prices" -> delete("/v1/prices" + q + "&model=" + freshName() + "&effective_from=2026-01-01");
      case "POST /v1/ingest" -> json("POST", "/v1/ingest" + q, "{\"runs\":[]}");
      case "GET /v1/export" -> get("/v1/export" + q);
      case "GET /v1/scores" -> get("/v1/scores" + q + "&run_id=r1");
      case "POST /v1/scores" -> json("POST", "/v1/scores" + q, "{\"run_id\":\"r1\",\"name\":\"n\",\"value\":1}");
      case "GET /runs/{run_id}", "GET /api/v1/runs/{run_id}" -> get(endpoint.substring(4).replace("{run_id}", "r1") + q);
      case "POST /runs/query", "POST /api/v1/runs/query" -> json("POST", endpoint.substring(5) + q, "{}");
      case "GET /sessions", "GET /api/v1/sessions" -> get(endpoint.substring(4) + q);
      case "GET /sessions/{session_id}", "GET /api/v1/sessions/{session_id}" -> get(endpoint.substring(4)
          .replace("{session_id}", UUID.nameUUIDFromBytes("sextant-agent:sess".getBytes(StandardCharsets.UTF_8)).toString()) + q);
      case "POST /feedback", "POST /api/v1/feedback" -> json("POST", endpoint.substring(5) + q,
          "{\"run_id\":\"r1\",\"key\":\"k\",\"score\":1}");
      case "GET /feedback", "GET /api/v1/feedback" -> get(endpoint.substring(4) + q);
      case "GET /feedback/{feedback_id}", "GET /api/v1/feedback/{feedback_id}" ->
          get(endpoint.substring(4).replace("{feedback_id}", "fb1") + q);
      case "GET /api/v1/dashboard/runs/roots", "GET /api/v1/dashboard/stats/summary" -> get(endpoint.substring(4) + q);
      case "GET /api/v1/dashboard/runs/{run_id}/hierarchy" -> get("/api/v1/dashboard/runs/r1/hierarchy" + q);
      case "POST /v1/import/{format}" -> new Req("POST", "/v1/import/native" + q, "application/x-ndjson",
          "{\"runs\":[{\"run_id\":\"imported\"}]}\n".getBytes());
      case "POST /v1/traces", "POST /api/public/otel/v1/traces", "POST /otel/v1/traces", "POST /api/v1/otel/v1/traces" ->
          json("POST", endpoint.substring(5), otlp);
      case "POST /runs/batch", "POST /api/v1/runs/batch" -> json("POST", endpoint.substring(5) + q, batch);
      case "POST /runs/multipart", "POST /api/v1/runs/multipart" -> new Req("POST", endpoint.substring(5) + q,
          "multipart/form-data; boundary=b", "--b--\r\n".getBytes());
      case "POST /runs", "POST /api/v1/runs" -> json("POST", endpoint.substring(5) + q, lsRun);
      case "PATCH /runs/{run_id}", "PATCH /api/v1/runs/{run_id}" -> json("PATCH",
          endpoint.substring(6).replace("{run_id}", "0f3c2a6e-2f4b-4d5e-9a7b-1c2d3e4f5a6b") + q,
          "{\"end_time\":\"2026-11-22T10:00:01Z\"}");
      case "POST /api/public/ingestion" -> json("POST", "/api/public/ingestion" + q, "{\"batch\":[]}");
      case "GET /v1/auth/providers", "GET /v1/auth/oidc/login", "GET /v1/auth/oidc/callback",
          "GET /info", "GET /api/v1/info", "GET /health", "GET /health/live", "GET /health/ready", "GET /openapi.json", "GET /metrics",
          "GET /v1/auth/me", "GET /v1/projects", "GET /v1/users", "GET /v1/audit" -> get(endpoint.substring(4));
      case "POST /v1/auth/login" -> json("POST", "/v1/auth/login",
          "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}");
      case "POST /v1/invites/inspect" -> json("POST", "/v1/invites/inspect", "{\"token\":\"" + invite(OWN).token + "\"}");
      case "POST /v1/invites/accept" -> json("POST", "/v1/invites/accept", "{\"token\":\"" + invite(OWN).token
          + "\",\"username\":\"" + freshName() + "\",\"password\":\"0123456789\"}");
      case "POST /v1/projects" -> json("POST", "/v1/projects", "{\"project_id\":\"" + freshName() + "\"}");
      case "PATCH /v1/projects/{project_id}" -> json("PATCH", "/v1/projects/" + p, "{\"name\":\"" + p + "\"}");
      case "GET /v1/projects/{project_id}/api-keys", "GET /v1/projects/{project_id}/members",
          "GET /v1/projects/{project_id}/invites" -> get(endpoint.substring(4).replace("{project_id}", p));
      case "POST /v1/projects/{project_id}/api-keys" -> json("POST", "/v1/projects/" + p + "/api-keys",
          "{\"scopes\":[\"ingest\",\"read\"]}");
      case "POST admin key" -> json("POST", "/v1/projects/" + p + "/api-keys", "{\"scopes\":[\"admin\"]}");
      case "DELETE /v1/projects/{project_id}/api-keys/{public_id}" -> delete("/v1/projects/" + p + "/api-keys/"
          + publicId(key(p, EnumSet.of(Scope.INGEST), null)));
      case "DELETE admin key" -> delete("/v1/projects/" + p + "/api-keys/" + publicId(key(p, EnumSet.of(Scope.ADMIN), null)));
      case "PUT /v1/projects/{project_id}/members/{username}" -> json("PUT", "/v1/projects/" + p + "/members/zed",
          "{\"role\":\"viewer\"}");
      case "DELETE /v1/projects/{project_id}/members/{username}" -> delete("/v1/projects/" + p + "/members/" + member(p));
      case "POST /v1/projects/{project_id}/invites" -> json("POST", "/v1/projects/" + p + "/invites", "{\"role\":\"viewer\"}");
      case "DELETE /v1/projects/{project_id}/invites/{invite_id}" ->
          delete("/v1/projects/" + p + "/invites/" + invite(p).invite.inviteId());
      case "PATCH /v1/users/{username}" -> json("PATCH", "/v1/users/" + member(OWN), "{\"disabled\":true}");
      case "DELETE /v1/users/{username}" -> delete("/v1/users/" + member(OWN));
      case "GET /v1/audit?project" -> get("/v1/audit" + q);
      case "GET /v1/alerts", "GET /v1/alerts/history", "GET /v1/alerts/rules", "GET /v1/alerts/silences",
          "GET /v1/alerts/channels", "GET /v1/alerts/deliveries" -> get(endpoint.substring(4) + q);
      case "POST /v1/alerts/rules" -> json("POST", "/v1/alerts/rules" + q,
          "{\"name\":\"n\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":1}");
      case "GET /v1/alerts/rules/{rule_id}" -> get("/v1/alerts/rules/" + freshName() + q);
      case "PUT /v1/alerts/rules/{rule_id}" -> json("PUT", "/v1/alerts/rules/" + freshName() + q,
          "{\"name\":\"n\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":1}");
      case "DELETE /v1/alerts/rules/{rule_id}" -> delete("/v1/alerts/rules/" + freshName() + q);
      case "POST /v1/alerts/silences" -> json("POST", "/v1/alerts/silences" + q,
          "{\"ends_at\":\"" + Instant.now().plusSeconds(3600) + "\"}");
      case "DELETE /v1/alerts/silences/{silence_id}" -> delete("/v1/alerts/silences/" + freshName() + q);
      case "POST /v1/alerts/channels" -> json("POST", "/v1/alerts/channels" + q,
          "{\"name\":\"n\",\"type\":\"webhook\",\"url\":\"http://127.0.0.1:1/hook\"}");
      case "GET /v1/alerts/channels/{channel_id}" -> get("/v1/alerts/channels/" + freshName() + q);
      case "PUT /v1/alerts/channels/{channel_id}" -> json("PUT", "/v1/alerts/channels/" + freshName() + q,
          "{\"name\":\"n\",\"type\":\"webhook\",\"url\":\"http://127.0.0.1:1/hook\"}");
      case "DELETE /v1/alerts/channels/{channel_id}" -> delete("/v1/alerts/channels/" + freshName() + q);
      case "POST /v1/alerts/channels/{channel_id}/test" -> json("POST",
          "/v1/alerts/channels/" + freshName() + "/test" + q, "{}");
      default -> throw new AssertionError("no request for " + endpoint);
    };
  }

  private static Req get(String path) {
    return new Req("GET", path, null, null);
  }

  private static Req delete(String path) {
    return new Req("DELETE", path, null, null);
  }

  private static Req json(String method, String path, String body) {
    return new Req(method, path, "application/json", body.getBytes());
  }

  private static String publicId(String secret) {
    return store.apiKeyBySecretHash(Secrets.sha256(secret)).orElseThrow().publicId();
  }

  private static String member(String project) {
    String name = freshName();
    store.putUser(new User(name, "", Instant.now()));
    store.putMembership(new Membership(project, name, ProjectRole.VIEWER, Instant.now()));
    return name;
  }

  private record FreshInvite(Invite invite, String token) {}

  private static FreshInvite invite(String project) {
    String token = Secrets.random(40);
    Invite i = new Invite("inv-m" + fresh.incrementAndGet(), Secrets.sha256(token), project, ProjectRole.VIEWER, "test",
        Instant.now(), Instant.now().plus(Duration.ofHours(1)), null, null);
    store.putInvite(i);
    return new FreshInvite(i, token);
  }

  private static TestServer.Response send(Caller c, Req r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + r.path())).method(r.method(),
        r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    if (r.contentType() != null) b.header("Content-Type", r.contentType());
    if (c.header() != null) b.header(c.header(), c.value());
    if ("Cookie".equals(c.header()) && !r.method().equals("GET")) b.header("X-Sextant-Csrf", "1");
    return server.send(b.build());
  }

  @Test
  void everyCell_answersItsStatus() {
    List<String> lines = TABLE.strip().lines().toList();
    List<String> columns = cells(lines.get(0));
    assertThat(columns.subList(1, columns.size())).containsExactlyElementsOf(callers.keySet());
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      List<String> row = cells(line);
      String endpoint = row.get(0);
      for (int i = 1; i < row.size(); i++) {
        String[] expected = row.get(i).split("/");
        Caller caller = callers.get(columns.get(i));
        for (int side = 0; side < expected.length; side++) {
          String project = side == 0 ? OWN : OTHER;
          TestServer.Response r;
          try {
            r = send(caller, request(endpoint, project));
          } catch (IllegalStateException e) {
            // A refusal is sent from the headers, before the body is read, and the rest of the
            // request is then reset; now and then the client sees the reset before the answer.
            // That is the transport, not the access decision: ask once more.
            r = send(caller, request(endpoint, project));
          }
          checked++;
          if (!Integer.toString(r.status()).equals(expected[side])) {
            wrong.add(endpoint + " as " + columns.get(i) + " on " + (expected.length == 1 ? "-" : project) + ": expected "
                + expected[side] + ", got " + r.status() + " " + r.body());
          } else if (r.status() >= 400) {
            JsonNode body = Json.read(r.body());
            if (body == null || body.path("error").asText().isEmpty() || body.path("message").asText().isEmpty()) {
              wrong.add(endpoint + " as " + columns.get(i) + ": " + r.status() + " without a JSON error: " + r.body());
            }
          }
        }
      }
    }
    assertThat(wrong).as("%d cells checked", checked).isEmpty();
  }

  /** The table names every operation of the published API, so a new endpoint cannot skip it. */
  @Test
  void table_coversEveryDocumentedOperation() throws Exception {
    Set<String> documented = new TreeSet<>();
    try (InputStream in = ITAccessMatrix.class.getResourceAsStream("/openapi.json")) {
      JsonNode paths = Json.MAPPER.readTree(in).path("paths");
      for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
      }
    }
    Set<String> inTable = new TreeSet<>();
    for (String line : TABLE.strip().lines().skip(1).toList()) inTable.add(cells(line).get(0).replace("?project", ""));
    inTable.addAll(NOT_IN_TABLE.keySet());
    Function<String, String> canonical = s -> s.replaceAll("\\{[a-z_]+}", "{}");
    Set<String> missing = new TreeSet<>();
    Set<String> tableCanonical = new TreeSet<>();
    inTable.forEach(s -> tableCanonical.add(canonical.apply(s)));
    for (String op : documented) if (!tableCanonical.contains(canonical.apply(op))) missing.add(op);
    assertThat(missing).as("operations in openapi.json without a row").isEmpty();
  }

  private static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    for (String c : line.split("\\|")) out.add(c.trim());
    return out;
  }
}
