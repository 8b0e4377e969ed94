package dev.sextant.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Bootstrap;
import dev.sextant.forward.Forwarder;
import dev.sextant.http.BodyBudget;
import dev.sextant.http.Cors;
import dev.sextant.http.JsonErrorHandler;
import dev.sextant.http.RequestFraming;
import dev.sextant.http.RequestLogging;
import dev.sextant.http.SecurityHeaders;
import dev.sextant.http.HttpOptions;
import dev.sextant.http.Routes;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.Pseudonyms;
import dev.sextant.ingest.WriteQueue;
import dev.sextant.store.Store;
import dev.sextant.store.StoreException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import dev.sextant.alert.AlertEvaluator;
import dev.sextant.alert.ChannelNotifier;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sextant process: store, write queue, ingest pipeline and the HTTP listeners, wired
 * explicitly from a {@link Config}. {@link #start()} opens everything; {@link #close()} drains the
 * queue and closes the store.
 */
public final class SextantServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SextantServer.class);
  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

  private final Config config;
  private final Clock clock;
  private final PrintStream console;
  private Store store;
  private WriteQueue queue;
  private RetentionWorker retention;
  private ChannelNotifier alertNotifier;
  private AlertEvaluator alertEvaluator;
  private Forwarder forwarder;
  private IngestPipeline pipeline;
  private Server server;
  private Server otlpHttp;
  private Server otlpGrpc;
  private AuditRetention auditRetention;
  private EventLoopGroup workers;

  public SextantServer(Config config, Clock clock, PrintStream console) {
    this.config = config;
    this.clock = clock;
    this.console = console;
  }

  /**
   * Opens the store and every listener.
   *
   * @throws CannotListen when a listener cannot open its port; what was already opened is closed
   */
  public SextantServer start() {
    try {
      open();
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** How long a PostgreSQL store may stay unreachable at start (a database starting beside the server). */
  static final Duration POSTGRES_START_WAIT = Duration.ofSeconds(60);

  /**
   * Migrates the store; PostgreSQL is tried again for up to {@link #POSTGRES_START_WAIT} while it
   * cannot be reached, since it often starts at the same moment as the server (compose, a busy host).
   */
  private void migrateWhenReachable() {
    long deadline = System.nanoTime() + POSTGRES_START_WAIT.toNanos();
    long pauseMs = 500;
    while (true) {
      try {
        store.migrate();
        return;
      } catch (StoreException e) {
        if (!"postgres".equals(config.store()) || System.nanoTime() + pauseMs * 1_000_000 > deadline) throw e;
        console.println("sextant: PostgreSQL is not reachable yet (" + e.getMessage() + "); trying again in "
            + pauseMs + " ms");
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMs = Math.min(5_000, pauseMs * 2);
      }
    }
  }

  private void open() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    store = Stores.open(config);
    migrateWhenReachable();
    // nodes starting together on one database must not each create a key or admin password
    store.exclusively("bootstrap", () -> new Bootstrap(store, clock, console)
        .run(config.bootstrapApiKey(), config.bootstrapPublicKey(), config.bootstrapAdminPassword()));

    auditRetention = new AuditRetention(store, clock, config.access().auditRetention()).start();
    queue = new WriteQueue(store, config.queueCapacityItems(), config.maxCommitItems(), registry).start();
    if (config.roles().contains(Config.Role.INGEST)) {
      retention = new RetentionWorker(store, config.retention(), clock, 500, Duration.ofMillis(20))
          .start(Duration.ofMinutes(1));
    }
    if (config.forwarding().enabled()) forwarder = new Forwarder(config.forwarding(), registry).start();
    pipeline = new IngestPipeline(config.limits(), new Pseudonyms(store, Pseudonyms.randomSecrets()), queue, registry,
        forwarder);
    // a pool of their own for ingest requests where the store's reads do not wait on a network
    if ("sqlite".equals(config.store())) pipeline.poolRequests();
    Authenticator authenticator = new Authenticator(store, clock);
    BodyBudget budget = new BodyBudget(config.security().bodyBudget(config.limits().maxBodyBytes()), registry);

    // one event loop per processor, shared by every listener (Armeria's own default is two per
    // processor): server/RATIONALE.md, "Event loops: one per processor"
    workers = EventLoopGroups.newEventLoopGroup(PROCESSORS, "sextant-http", true);
    ServerBuilder sb = Server.builder()
        .workerGroup(workers, false)
        .port(new ServerPort(new InetSocketAddress(config.host(), config.port()), protocol()))
        .meterRegistry(registry)
        .maxRequestLength(config.limits().maxBodyBytes())
        .requestTimeout(config.settings().requestTimeout())
        .errorHandler(new JsonErrorHandler())
        // no quiet period, as on the OTLP listeners: a stop waits for the requests in flight only
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(10))
        .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("sextant_http")));
    harden(sb);
    alertNotifier = new ChannelNotifier(store, clock);
    alertEvaluator = new AlertEvaluator(store, alertNotifier, clock).start(config.settings().alertInterval());
    Routes.register(sb, httpOptions(config), store, pipeline, authenticator, budget, registry, clock, alertNotifier);
    decorate(sb, true);
    server = listen("http", config.port(), sb);
    if (config.roles().contains(Config.Role.INGEST)) {
      boolean required = config.otlpCredentialRequired();
      if (config.otlpHttpPort() >= 0) {
        otlpHttp = listener("otlp-http", config.otlpHttpPort(), registry,
            b -> Routes.registerOtlpHttp(b, store, pipeline, authenticator, budget, required));
      }
      if (config.otlpGrpcPort() >= 0) {
        otlpGrpc = listener("otlp-grpc", config.otlpGrpcPort(), registry,
            b -> Routes.registerOtlpGrpc(b, store, pipeline, authenticator, budget, required));
      }
    }
  }

  /** A separate listener with its own routes, so each port serves only its protocol. */
  private Server listener(String name, int port, PrometheusMeterRegistry registry,
      java.util.function.Consumer<ServerBuilder> routes) {
    ServerBuilder b = Server.builder()
        .workerGroup(workers, false)
        .port(new ServerPort(new InetSocketAddress(config.host(), port), protocol()))
        .meterRegistry(registry)
        .maxRequestLength(config.limits().maxBodyBytes())
        .requestTimeout(config.settings().requestTimeout())
        .errorHandler(new JsonErrorHandler())
        // exporters keep connections open between exports: without a quiet period, shutdown waits
        // only for requests in flight (whose spans are being committed), not for idle connections
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(10))
        .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("sextant_" + name.replace('-', '_'))));
    harden(b);
    routes.accept(b);
    decorate(b, name.equals("otlp-http"));
    return listen(name, port, b);
  }

  /**
   * Trace ids and the access log on every listener; CORS, when origins are configured, where
   * browsers call (the main port and OTLP/HTTP), added last so that it runs first and answers
   * preflight requests before authentication.
   */
  private void decorate(ServerBuilder b, boolean browsersCall) {
    b.decorator(RequestLogging.decorator(config.settings().accessLog()));
    List<String> origins = config.settings().corsOrigins();
    if (browsersCall && !origins.isEmpty()) b.decorator(Cors.decorator(origins));
  }

  /**
   * What every listener does around every route: TLS when configured, refusing requests framed
   * two ways, the security headers.
   */
  private void harden(ServerBuilder b) {
    Security security = config.security();
    if (security.tls()) b.tls(Tls.keyPair(security.tlsCert(), security.tlsKey()));
    RequestFraming framing = new RequestFraming();
    b.childChannelPipelineCustomizer(framing::install);
    b.decorator(framing);
    b.decorator(new SecurityHeaders(security.tls()));
  }

  /** HTTPS on every listener when a certificate is configured, plain HTTP (and h2c) otherwise. */
  private SessionProtocol protocol() {
    return config.security().tls() ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
  }

  /** Builds and starts one listener and logs where it listens. */
  private Server listen(String name, int port, ServerBuilder b) {
    Server s = b.build();
    try {
      s.start().join();
    } catch (CompletionException e) {
      s.closeAsync();
      throw CannotListen.of(name, config.host(), port, e.getCause() != null ? e.getCause() : e);
    }
    s.activePorts().values().forEach(p ->
        log.info("Listening: {} on {}://{}:{}", name, config.security().tls() ? "https" : "http",
            p.localAddress().getHostString(), p.localAddress().getPort()));
    return s;
  }

  /** The main HTTP port actually bound (useful with port 0). */
  public int port() {
    return server.activeLocalPort(protocol());
  }

  /** The OTLP/HTTP port actually bound, or -1 when that listener is off. */
  public int otlpHttpPort() {
    return otlpHttp == null ? -1 : otlpHttp.activeLocalPort(protocol());
  }

  /** The OTLP/gRPC port actually bound, or -1 when that listener is off. */
  public int otlpGrpcPort() {
    return otlpGrpc == null ? -1 : otlpGrpc.activeLocalPort(protocol());
  }

  public Store store() {
    return store;
  }

  public IngestPipeline pipeline() {
    return pipeline;
  }

  /** Blocks until the process is asked to stop. */
  public void awaitTermination() {
    server.whenClosed().join();
  }

  @Override
  public void close() {
    // The listeners drain in parallel, each waiting only for its own requests in flight; graceful
    // shutdown never holds the process forever.
    List<Server> listeners = new ArrayList<>();
    for (Server s : new Server[] {otlpHttp, otlpGrpc, server}) if (s != null) listeners.add(s);
    CompletableFuture<?> stopped = CompletableFuture.allOf(listeners.stream().map(Server::stop).toArray(CompletableFuture<?>[]::new));
    try {
      awaitDrained(listeners, stopped, TimeUnit.SECONDS.toNanos(20));
    } catch (TimeoutException e) {
      log.warn("HTTP listeners did not stop within 20 s; closing the store anyway");
    } catch (ExecutionException e) {
      log.warn("an HTTP listener stopped with an error: {}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (alertEvaluator != null) alertEvaluator.close();
    if (alertNotifier != null) alertNotifier.close();
    if (retention != null) retention.close();
    if (auditRetention != null) auditRetention.close();
    if (pipeline != null) pipeline.close();
    if (queue != null) queue.close();
    if (forwarder != null) forwarder.close();
    if (store != null) store.close();
    if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /**
   * Waits until every listener has stopped or drained. A listener closes its port only after its
   * graceful shutdown (quiet period and requests in flight), then closes its connections, and only
   * then stops its accept thread, which takes Netty's fixed quiet period of 2 s more; the store can
   * close as soon as the port and the connections are gone, so that last step is not waited for.
   */
  private static void awaitDrained(List<Server> listeners, CompletableFuture<?> stopped, long timeoutNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!stopped.isDone() && !listeners.stream().allMatch(s -> s.activePorts().isEmpty() && s.numConnections() == 0)) {
      if (System.nanoTime() - deadline > 0) throw new TimeoutException();
      Thread.sleep(10);
    }
    if (stopped.isDone()) stopped.get();
  }

  /** What the endpoints read of the configuration. */
  static HttpOptions httpOptions(Config config) {
    return new HttpOptions(config.roles().contains(Config.Role.INGEST), config.roles().contains(Config.Role.QUERY),
        config.roles().contains(Config.Role.UI), config.settings().metricsSeriesLimit(), config.settings().metricsCache(),
        config.langsmithMultipart(), config.security().tls(), config.access().oidc());
  }
}
