package dev.sextant.http;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.auth.Authenticator;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Scope;
import dev.sextant.server.Config;
import dev.sextant.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Set;

/** Binds every HTTP endpoint to its handler, by role. The one place to look for "what is served". */
public final class Routes {
  private Routes() {}

  public static void register(
      ServerBuilder sb, Config config, Store store, IngestPipeline pipeline, Authenticator authenticator,
      PrometheusMeterRegistry registry, Clock clock) {
    Set<Config.Role> roles = config.roles();
    Endpoints e = new Endpoints(authenticator, store);
    OpsService ops = new OpsService(store, registry);
    sb.route().get("/health").build(e.open(ops::health));
    sb.route().get("/health/live").build(e.open(ops::health));
    sb.route().get("/health/ready").build(e.open(ops::ready));
    sb.route().get("/openapi.json").build(e.open(OpsService::openapi));

    if (roles.contains(Config.Role.INGEST)) {
      NativeIngestService ingest = new NativeIngestService(pipeline);
      sb.route().post("/v1/ingest").build(e.secured(Scope.INGEST, ingest::ingest));
      OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, true);
      sb.route().post("/v1/traces").build(new OtlpHttpService(otlp, "otlp"));
      sb.route().post("/api/public/otel/v1/traces").build(new OtlpHttpService(otlp, "langfuse-otel"));
      sb.route().post(OtlpGrpcService.PATH).build(new OtlpGrpcService(otlp));

      LangSmithService langsmith = new LangSmithService(pipeline, config.langsmithMultipart(), clock);
      for (String prefix : new String[] {"", "/api/v1"}) {
        sb.route().get(prefix + "/info").build(e.secured(Scope.INGEST, langsmith::info));
        sb.route().post(prefix + "/runs/multipart").build(e.secured(Scope.INGEST, langsmith::multipart));
        sb.route().post(prefix + "/runs/batch").build(e.secured(Scope.INGEST, langsmith::batch));
        sb.route().post(prefix + "/runs").build(e.secured(Scope.INGEST, langsmith::create));
        sb.route().patch(prefix + "/runs/{runId}").build(e.secured(Scope.INGEST, langsmith::update));
        // LangSmith's OTel mode (LANGSMITH_TRACING_MODE=otel) exports plain OTLP/HTTP here.
        sb.route().post(prefix + "/otel/v1/traces").build(new OtlpHttpService(otlp, "langsmith-otel"));
      }
      LangfuseService langfuse = new LangfuseService(pipeline);
      sb.route().post("/api/public/ingestion").build(e.secured(Scope.INGEST, langfuse::ingest));
    }

    if (roles.contains(Config.Role.QUERY)) {
      sb.route().get("/metrics").build(e.secured(Scope.READ, ops::metrics));
      AccountService accounts = new AccountService(store, clock);
      sb.route().post("/v1/auth/login").build(e.open(accounts::login));
      sb.route().post("/v1/auth/logout").build(e.open(accounts::logout));
      sb.route().get("/v1/auth/me").build(e.secured(Scope.READ, accounts::whoami));
      sb.route().get("/v1/projects").build(e.secured(Scope.ADMIN, accounts::listProjects));
      sb.route().post("/v1/projects").build(e.secured(Scope.ADMIN, accounts::createProject));
      sb.route().patch("/v1/projects/{projectId}").build(e.secured(Scope.ADMIN, accounts::updateProject));
      sb.route().post("/v1/projects/{projectId}/api-keys").build(e.secured(Scope.ADMIN, accounts::createKey));

      QueryService q = new QueryService(store);
      sb.route().get("/v1/runs").build(e.secured(Scope.READ, q::runs));
      sb.route().get("/v1/runs/{runId}").build(e.secured(Scope.READ, q::run));
      sb.route().get("/v1/runs/{runId}/steps/{stepId}").build(e.secured(Scope.READ, q::step));
      sb.route().get("/v1/stats").build(e.secured(Scope.READ, q::stats));
      sb.route().get("/v1/timeseries").build(e.secured(Scope.READ, q::timeseries));
      sb.route().get("/v1/compare").build(e.secured(Scope.READ, q::compare));
      sb.route().get("/v1/agents").build(e.secured(Scope.READ, q::agents));
    }

    if (roles.contains(Config.Role.UI) && UiService.available()) {
      sb.serviceUnder("/", UiService.create());
    }
  }

  /** The OTLP/HTTP listener (default port 4318): {@code POST /v1/traces} only. */
  public static void registerOtlpHttp(
      ServerBuilder sb, Store store, IngestPipeline pipeline, Authenticator authenticator, boolean credentialRequired) {
    OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, credentialRequired);
    sb.route().post("/v1/traces").build(new OtlpHttpService(otlp, "otlp"));
  }

  /** The OTLP/gRPC listener (default port 4317): {@code TraceService/Export} only. */
  public static void registerOtlpGrpc(
      ServerBuilder sb, Store store, IngestPipeline pipeline, Authenticator authenticator, boolean credentialRequired) {
    OtlpIngest otlp = new OtlpIngest(pipeline, authenticator, store, credentialRequired);
    sb.route().post(OtlpGrpcService.PATH).build(new OtlpGrpcService(otlp));
  }
}
