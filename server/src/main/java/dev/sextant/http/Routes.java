package dev.sextant.http;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.OidcClient;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.metrics.AgentMetrics;
import dev.sextant.model.Scope;
import dev.sextant.auth.OidcConfig;
import dev.sextant.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.sextant.alert.ChannelNotifier;
import java.time.Clock;

/** Binds every HTTP endpoint to its handler, by role. The one place to look for "what is served". */
public final class Routes {
  private Routes() {}

  public static void register(
      ServerBuilder sb, HttpOptions config, Store store, IngestPipeline pipeline, Authenticator authenticator,
      BodyBudget budget, PrometheusMeterRegistry registry, Clock clock, ChannelNotifier alertNotifier) {
    RouteTable r = new RouteTable(sb);
    HttpService ui = config.ui() && UiService.available() ? UiService.create() : null;
    Endpoints e = new Endpoints(authenticator, store, budget, pipeline.limits().maxBodyBytes(), pipeline.requests());
    OpsService ops = new OpsService(store, registry, new AgentMetrics(store, config.metricsSeriesLimit(),
        config.metricsCache()));
    r.get("/health", "health", e.open(ops::health));
    r.get("/health/live", "health_live", e.open(ops::health));
    r.get("/health/ready", "health_ready", e.open(ops::ready));
    r.get("/openapi.json", "openapi", e.open(OpsService::openapi));

    if (config.ingest()) {
      NativeIngestService ingest = new NativeIngestService(pipeline);
      r.post("/v1/ingest", "ingest", e.ingest(ingest::ingest));
      OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, true, budget);
      r.post("/v1/traces", "otlp_http", new OtlpHttpService(otlp, "otlp"));
      r.post("/api/public/otel/v1/traces", "langfuse_otel", new OtlpHttpService(otlp, "langfuse-otel"));
      r.post(OtlpGrpcService.PATH, "otlp_grpc", new OtlpGrpcService(otlp));

      LangSmithService langsmith = new LangSmithService(pipeline, store, config.langsmithMultipart(), clock);
      LangSmithReadService langsmithRead = new LangSmithReadService(store, pipeline, clock);
      for (String prefix : new String[] {"", "/api/v1"}) {
        r.get(prefix + "/info", "langsmith_info", e.secured(Scope.INGEST, langsmith::info));
        r.post(prefix + "/runs/multipart", "langsmith_multipart", e.ingest(langsmith::multipart));
        r.post(prefix + "/runs/batch", "langsmith_batch", e.ingest(langsmith::batch));
        r.post(prefix + "/runs", "langsmith_runs", e.ingest(langsmith::create));
        r.patch(prefix + "/runs/{runId}", "langsmith_run", e.ingest(langsmith::update));
        // LangSmith's OTel mode (LANGSMITH_TRACING_MODE=otel) exports plain OTLP/HTTP here.
        r.post(prefix + "/otel/v1/traces", "langsmith_otel", new OtlpHttpService(otlp, "langsmith-otel"));
        r.post(prefix + "/feedback", "langsmith_feedback", e.secured(Scope.INGEST, langsmithRead::createFeedback));
      }
      ScoreService scores = new ScoreService(store, pipeline, clock);
      r.post("/v1/scores", "scores", e.secured(Scope.INGEST, scores::create));
      LangfuseService langfuse = new LangfuseService(pipeline, store);
      r.post("/api/public/ingestion", "langfuse_ingestion", e.ingest(langfuse::ingest));
      ImportService imports = new ImportService(pipeline);
      r.post("/v1/import/{format}", "import", e.secured(Scope.INGEST, imports::importFile));
    }

    if (config.query()) {
      r.get("/metrics", "metrics", e.secured(Scope.METRICS, ops::metrics));
      r.get("/v1/metrics", "project_metrics", e.secured(Scope.READ, ops::projectMetrics));
      AuditLog audit = new AuditLog(store, clock);
      AccountService accounts = new AccountService(store, clock, config.secureCookies(), audit);
      r.post("/v1/auth/login", "auth_login", e.openAsync(accounts::login));
      r.post("/v1/auth/logout", "auth_logout", e.open(accounts::logout));
      r.get("/v1/auth/me", "auth_me", e.secured(Scope.READ, accounts::whoami));
      OidcConfig oidc = config.oidc();
      OidcService sso = new OidcService(oidc == null ? null : new OidcClient(oidc), store, clock, audit, accounts);
      r.get("/v1/auth/providers", "oidc_providers", e.open(sso::providers));
      r.get("/v1/auth/oidc/login", "oidc_login", e.open(sso::login));
      r.get("/v1/auth/oidc/callback", "oidc_callback", e.open(sso::callback));
      r.get("/v1/projects", "projects", e.secured(Scope.ADMIN, accounts::listProjects));
      r.post("/v1/projects", "projects", e.secured(Scope.ADMIN, accounts::createProject));
      r.patch("/v1/projects/{projectId}", "project", e.secured(Scope.ADMIN, accounts::updateProject));

      KeyService keys = new KeyService(store, clock, audit);
      r.get("/v1/projects/{projectId}/api-keys", "api_keys", e.secured(Scope.ADMIN, keys::list));
      r.post("/v1/projects/{projectId}/api-keys", "api_keys", e.secured(Scope.ADMIN, keys::create));
      r.delete("/v1/projects/{projectId}/api-keys/{publicId}", "api_key", e.secured(Scope.ADMIN, keys::revoke));

      UserService users = new UserService(store, clock, audit);
      r.get("/v1/users", "users", e.secured(Scope.ADMIN, users::list));
      r.patch("/v1/users/{username}", "user", e.secured(Scope.ADMIN, users::update));
      r.delete("/v1/users/{username}", "user", e.secured(Scope.ADMIN, users::remove));
      r.get("/v1/projects/{projectId}/members", "members", e.secured(Scope.ADMIN, users::members));
      r.put("/v1/projects/{projectId}/members/{username}", "member", e.secured(Scope.ADMIN, users::putMember));
      r.delete("/v1/projects/{projectId}/members/{username}", "member", e.secured(Scope.ADMIN, users::removeMember));

      InviteService invites = new InviteService(store, clock, audit);
      r.get("/v1/projects/{projectId}/invites", "invites", e.secured(Scope.ADMIN, invites::list));
      r.post("/v1/projects/{projectId}/invites", "invites", e.secured(Scope.ADMIN, invites::create));
      r.delete("/v1/projects/{projectId}/invites/{inviteId}", "invite", e.secured(Scope.ADMIN, invites::revoke));
      r.post("/v1/invites/inspect", "invite_inspect", e.open(invites::inspect));
      r.post("/v1/invites/accept", "invite_accept", e.open(invites::accept));

      r.get("/v1/audit", "audit", e.secured(Scope.ADMIN, new AuditService(store)::list));

      QueryService q = new QueryService(store);
      r.get("/v1/runs", "runs", e.secured(Scope.READ, q::runs));
      r.get("/v1/runs/{runId}", "run", e.secured(Scope.READ, q::run));
      r.get("/v1/runs/{runId}/steps/{stepId}", "step", e.secured(Scope.READ, q::step));
      r.get("/v1/stats", "stats", e.secured(Scope.READ, q::stats));
      r.get("/v1/timeseries", "timeseries", e.secured(Scope.READ, q::timeseries));
      r.get("/v1/compare", "compare", e.secured(Scope.READ, q::compare));
      r.get("/v1/agents", "agents", e.secured(Scope.READ, q::agents));
      PriceService prices = new PriceService(store, audit);
      r.get("/v1/prices", "prices", e.secured(Scope.READ, prices::list));
      r.put("/v1/prices", "prices", e.secured(Scope.ADMIN, prices::put));
      r.delete("/v1/prices", "prices", e.secured(Scope.ADMIN, prices::delete));
      r.get("/v1/prices/unknown", "prices_unknown", e.secured(Scope.READ, prices::unknown));
      AlertService alerts = new AlertService(store, alertNotifier, clock, audit);
      r.get("/v1/alerts", "alerts", e.secured(Scope.READ, alerts::current));
      r.get("/v1/alerts/history", "alerts_history", e.secured(Scope.READ, alerts::history));
      r.get("/v1/alerts/rules", "alert_rules", e.secured(Scope.READ, alerts::listRules));
      r.post("/v1/alerts/rules", "alert_rules", e.secured(Scope.ADMIN, alerts::createRule));
      r.get("/v1/alerts/rules/{ruleId}", "alert_rule", e.secured(Scope.READ, alerts::getRule));
      r.put("/v1/alerts/rules/{ruleId}", "alert_rule", e.secured(Scope.ADMIN, alerts::putRule));
      r.delete("/v1/alerts/rules/{ruleId}", "alert_rule", e.secured(Scope.ADMIN, alerts::deleteRule));
      r.get("/v1/alerts/silences", "alert_silences", e.secured(Scope.READ, alerts::listSilences));
      r.post("/v1/alerts/silences", "alert_silences", e.secured(Scope.ADMIN, alerts::createSilence));
      r.delete("/v1/alerts/silences/{silenceId}", "alert_silence", e.secured(Scope.ADMIN, alerts::deleteSilence));
      r.get("/v1/alerts/channels", "alert_channels", e.secured(Scope.READ, alerts::listChannels));
      r.post("/v1/alerts/channels", "alert_channels", e.secured(Scope.ADMIN, alerts::createChannel));
      r.get("/v1/alerts/channels/{channelId}", "alert_channel", e.secured(Scope.READ, alerts::getChannel));
      r.put("/v1/alerts/channels/{channelId}", "alert_channel", e.secured(Scope.ADMIN, alerts::putChannel));
      r.delete("/v1/alerts/channels/{channelId}", "alert_channel", e.secured(Scope.ADMIN, alerts::deleteChannel));
      r.post("/v1/alerts/channels/{channelId}/test", "alert_channel_test", e.secured(Scope.ADMIN, alerts::testChannel));
      r.get("/v1/alerts/deliveries", "alert_deliveries", e.secured(Scope.READ, alerts::deliveries));
      AgentSpyService spy = new AgentSpyService(store, clock);
      r.get("/api/v1/dashboard/runs/roots", "agentspy_roots", e.secured(Scope.READ, spy::roots));
      r.get("/api/v1/dashboard/runs/{runId}/hierarchy", "agentspy_hierarchy", e.secured(Scope.READ, spy::hierarchy));
      r.get("/api/v1/dashboard/stats/summary", "agentspy_summary", e.secured(Scope.READ, spy::summary));
      r.get("/v1/export", "export", e.secured(Scope.READ, new ExportService(store, clock)::export));
      r.get("/v1/scores", "scores", e.secured(Scope.READ, new ScoreService(store, pipeline, clock)::list));

      // LangSmith's read calls; GET /runs/{id} is also the UI's run page, which a browser asks for as HTML
      LangSmithReadService langsmith = new LangSmithReadService(store, pipeline, clock);
      for (String prefix : new String[] {"", "/api/v1"}) {
        HttpService readRun = e.secured(Scope.READ, langsmith::run);
        r.get(prefix + "/runs/{runId}", "langsmith_read_run", prefix.isEmpty() ? UiService.orApi(ui, readRun) : readRun);
        r.post(prefix + "/runs/query", "langsmith_query", e.secured(Scope.READ, langsmith::query));
        r.get(prefix + "/sessions", "langsmith_sessions", e.secured(Scope.READ, langsmith::sessions));
        r.get(prefix + "/sessions/{sessionId}", "langsmith_session", e.secured(Scope.READ, langsmith::session));
        r.get(prefix + "/feedback", "langsmith_feedback", e.secured(Scope.READ, langsmith::listFeedback));
        r.get(prefix + "/feedback/{feedbackId}", "langsmith_feedback_one", e.secured(Scope.READ, langsmith::readFeedback));
      }
    }

    r.bindUnmatched(ui);
  }

  /** The OTLP/HTTP listener (default port 4318): {@code POST /v1/traces} only. */
  public static void registerOtlpHttp(
      ServerBuilder sb, Store store, IngestPipeline pipeline, Authenticator authenticator, BodyBudget budget,
      boolean credentialRequired) {
    OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, credentialRequired, budget);
    RouteTable r = new RouteTable(sb);
    r.post("/v1/traces", "otlp_http", new OtlpHttpService(otlp, "otlp"));
    r.bindUnmatched(null);
  }

  /** The OTLP/gRPC listener (default port 4317): {@code TraceService/Export} only. */
  public static void registerOtlpGrpc(
      ServerBuilder sb, Store store, IngestPipeline pipeline, Authenticator authenticator, BodyBudget budget,
      boolean credentialRequired) {
    OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, credentialRequired, budget);
    RouteTable r = new RouteTable(sb);
    r.post(OtlpGrpcService.PATH, "otlp_grpc", new OtlpGrpcService(otlp));
    r.bindUnmatched(null);
  }
}
