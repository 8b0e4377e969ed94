package dev.sextant.store.clickhouse;

import dev.sextant.store.StoreException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The ClickHouse servers the tests run against: throwaway {@code clickhouse-server} processes, each on
 * free ports in a temporary directory of its own, all of them shards of a cluster named
 * {@value #CLUSTER} in every server's configuration (for {@code Distributed} tables).
 *
 * <p>{@link #shared()} is one server for the whole JVM, started on first use and stopped when the JVM
 * exits, or the server that {@value #ENV} names (then no process is started). Tests that kill or
 * restart servers, or need several, {@link #start} their own, which takes the local binary in any
 * case. Each test takes a fresh database of its own with {@link #newDatabase()}, which is cheap.
 */
public final class TestClickHouse implements AutoCloseable {
  /** An external server for {@link #shared()}, e.g. {@code http://user:password@host:8123}. */
  public static final String ENV = "SEXTANT_CLICKHOUSE_URL";
  /** The cluster of all servers of one {@link #start}, for {@code Distributed(sextant, db, table)}. */
  public static final String CLUSTER = "sextant";
  /** Error code of {@code CREATE DATABASE} for a name that is taken. */
  private static final int DATABASE_ALREADY_EXISTS = 82;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;
  private static TestClickHouse shared;

  private final List<Server> servers;
  private final Path dir;
  private final boolean external;
  private final AtomicInteger databases = new AtomicInteger();
  private final List<String> created = Collections.synchronizedList(new ArrayList<>());
  private boolean closed;

  private TestClickHouse(List<Server> servers, Path dir, boolean external) {
    this.servers = servers;
    this.dir = dir;
    this.external = external;
  }

  /** The JVM-wide server: started on first use and stopped at exit, or the one {@value #ENV} names. */
  public static synchronized TestClickHouse shared() {
    if (shared == null) {
      String url = System.getenv(ENV);
      shared = url != null && !url.isBlank() ? externalServer(url.strip()) : start(1);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-test-clickhouse"));
    }
    return shared;
  }

  /**
   * Starts {@code count} servers side by side and waits until all of them answer. The caller closes
   * them (try-with-resources or an {@code @AfterAll}).
   */
  public static TestClickHouse start(int count) {
    if (count < 1) throw new IllegalArgumentException("at least one server, not " + count);
    String binary = binary();
    for (int attempt = 1; ; attempt++) {
      TestClickHouse cluster = prepare(binary, count);
      try {
        for (Server s : cluster.servers) s.launch();
        for (Server s : cluster.servers) s.awaitUp();
        return cluster;
      } catch (RuntimeException e) {
        boolean portTaken = cluster.servers.stream().anyMatch(s -> s.log().contains("Address already in use"));
        cluster.close();
        // the free ports were picked before the servers bound them, so another process may have won one
        if (!portTaken || attempt == START_ATTEMPTS) throw e;
      }
    }
  }

  /** How many servers there are. */
  public int size() {
    return servers.size();
  }

  /** Whether this is the server that {@value #ENV} names, which can be neither killed nor restarted. */
  public boolean external() {
    return external;
  }

  /** The HTTP address of server {@code i}, e.g. {@code http://127.0.0.1:41234}. */
  public URI url(int i) {
    return server(i).url;
  }

  /** The user the servers are reached as, null for ClickHouse's {@code default}. */
  public String user() {
    return server(0).user;
  }

  /** That user's password, null for none. */
  public String password() {
    return server(0).password;
  }

  /** The native protocol port of server {@code i}, as the cluster configuration names it. */
  public int tcpPort(int i) {
    ownServers("has no known native port");
    return server(i).tcpPort;
  }

  /** A client of server 0 for {@code database}. */
  public ClickHouseClient client(String database) {
    return client(0, database);
  }

  /** A client of server {@code i} for {@code database}; all clients of a server share its connections. */
  public ClickHouseClient client(int i, String database) {
    return server(i).admin.withDatabase(database);
  }

  /**
   * Creates a new, empty database with the same name on every server and answers its name,
   * {@code sextant_test_<n>}.
   */
  public String newDatabase() {
    String prefix = external ? "sextant_test_" + ProcessHandle.current().pid() + "_" : "sextant_test_";
    while (true) {
      String name = prefix + databases.incrementAndGet();
      try {
        for (Server s : servers) s.admin.execute("CREATE DATABASE " + name);
        created.add(name);
        return name;
      } catch (ClickHouseException e) {
        // left behind on an external server by an earlier run: take the next name
        if (e.code() != DATABASE_ALREADY_EXISTS) throw e;
      }
    }
  }

  /** Kills server {@code i} with SIGKILL, as a crash would, and waits until it is gone. */
  public void kill(int i) {
    ownServers("cannot be killed");
    server(i).kill();
  }

  /**
   * Starts server {@code i} again on the same directory and ports (stopping it first if it runs) and
   * waits until it answers.
   */
  public void restart(int i) {
    ownServers("cannot be restarted");
    Server s = server(i);
    s.stop();
    s.launch();
    s.awaitUp();
  }

  /**
   * Kills every server and deletes their directories; for an external server, drops the databases
   * created here instead.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (external) {
      for (String name : created) {
        try {
          servers.get(0).admin.execute("DROP DATABASE IF EXISTS " + name);
        } catch (StoreException e) {
          System.err.println("could not drop the test database " + name + ": " + e.getMessage());
        }
      }
      return;
    }
    for (Server s : servers) s.kill();
    deleteRecursively(dir);
  }

  private Server server(int i) {
    if (i < 0 || i >= servers.size()) {
      throw new IndexOutOfBoundsException("server " + i + " of " + servers.size());
    }
    return servers.get(i);
  }

  private void ownServers(String what) {
    if (external) throw new IllegalStateException("the external server of " + ENV + " " + what + ": use start(n)");
  }

  private static TestClickHouse externalServer(String url) {
    URI given = URI.create(url);
    String user = null;
    String password = null;
    if (given.getRawUserInfo() != null) {
      String[] parts = given.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      if (parts.length > 1) password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    }
    URI base;
    try {
      base = new URI(given.getScheme(), null, given.getHost(), given.getPort(), given.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(ENV + " is not a URL: " + url, e);
    }
    Server s = new Server(null, null, -1, base, user, password);
    return new TestClickHouse(List.of(s), null, true);
  }

  /** Picks the ports, and writes the directories and configurations of {@code count} servers. */
  private static TestClickHouse prepare(String binary, int count) {
    try {
      Path root = Files.createTempDirectory(dataParent(), "sextant-clickhouse-");
      int[] ports = freePorts(2 * count);
      StringBuilder shards = new StringBuilder();
      for (int i = 0; i < count; i++) {
        shards.append("<shard><replica><host>127.0.0.1</host><port>").append(ports[2 * i + 1])
            .append("</port></replica></shard>");
      }
      List<Server> servers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path dir = Files.createDirectory(root.resolve("server-" + i));
        int http = ports[2 * i];
        int tcp = ports[2 * i + 1];
        Files.writeString(dir.resolve("config.xml"), config(dir, http, tcp, shards));
        Files.writeString(dir.resolve("users.xml"), USERS);
        servers.add(new Server(binary, dir, tcp, URI.create("http://127.0.0.1:" + http), null, null));
      }
      return new TestClickHouse(List.copyOf(servers), root, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the directories of ClickHouse servers", e);
    }
  }

  /**
   * Where the servers keep their data: in memory ({@code /dev/shm}) where there is one. ClickHouse
   * 18.16 writes a file per column for every part, and the tests insert many small parts, so on a disk
   * creating those files costs most of each insert (119 ms per insert into {@code runs} on disk,
   * 41 ms in memory, in the rollup property test); the tests' data is a few megabytes.
   */
  private static Path dataParent() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * A server's configuration: its own directory and ports, logging at warning only, and no
   * interserver port (only replication uses it), so that any number run side by side.
   */
  private static String config(Path dir, int http, int tcp, CharSequence shards) {
    String d = xml(dir.toString());
    return "<?xml version=\"1.0\"?>\n<yandex>\n"
        + "  <logger><level>warning</level><log>" + d + "/server.log</log><errorlog>" + d + "/error.log</errorlog>"
        + "<console>0</console></logger>\n"
        + "  <listen_host>127.0.0.1</listen_host>\n"
        + "  <http_port>" + http + "</http_port>\n"
        + "  <tcp_port>" + tcp + "</tcp_port>\n"
        + "  <path>" + d + "/data/</path>\n"
        + "  <tmp_path>" + d + "/tmp/</tmp_path>\n"
        + "  <format_schema_path>" + d + "/format_schemas/</format_schema_path>\n"
        + "  <users_config>" + d + "/users.xml</users_config>\n"
        + "  <default_profile>default</default_profile>\n"
        + "  <default_database>default</default_database>\n"
        + "  <mark_cache_size>5368709</mark_cache_size>\n"
        + "  <max_concurrent_queries>100</max_concurrent_queries>\n"
        + "  <remote_servers><" + CLUSTER + ">" + shards + "</" + CLUSTER + "></remote_servers>\n"
        + "</yandex>\n";
  }

  /** The user {@code default} without a password, from this machine only. */
  private static final String USERS = "<?xml version=\"1.0\"?>\n<yandex>\n"
      + "  <profiles><default>"
      + "<allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>"
      + "</default></profiles>\n"
      + "  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>"
      + "<profile>default</profile><quota>default</quota></default></users>\n"
      + "  <quotas><default></default></quotas>\n"
      + "</yandex>\n";

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** {@code /usr/sbin/clickhouse-server}, or {@code clickhouse-server} on the PATH. */
  private static String binary() {
    Path usual = Path.of("/usr/sbin/clickhouse-server");
    if (Files.isExecutable(usual)) return usual.toString();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (d.isEmpty()) continue;
        Path p = Path.of(d, "clickhouse-server");
        if (Files.isExecutable(p)) return p.toString();
      }
    }
    throw new IllegalStateException("the ClickHouse tests need clickhouse-server (at " + usual + " or on the PATH):"
        + " sudo apt-get install -y clickhouse-server");
  }

  /** Distinct ports that are free now: all sockets are held open together, then closed. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) s.close();
    }
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) return;
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }

  /** One server: its directory, ports and process (none for an external server). */
  private static final class Server {
    final String binary;
    final Path dir;
    final int tcpPort;
    final URI url;
    final String user;
    final String password;
    /** For the tests' requests, and for waiting until the server answers. */
    final ClickHouseClient admin;
    final ClickHouseClient probe;
    private Process process;

    Server(String binary, Path dir, int tcpPort, URI url, String user, String password) {
      this.binary = binary;
      this.dir = dir;
      this.tcpPort = tcpPort;
      this.url = url;
      this.user = user;
      this.password = password;
      this.admin = new ClickHouseClient(url, user, password, null, REQUEST_TIMEOUT);
      this.probe = new ClickHouseClient(url, user, password, null, Duration.ofSeconds(1));
    }

    synchronized void launch() {
      try {
        process = new ProcessBuilder(binary, "--config-file=" + dir.resolve("config.xml"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + binary, e);
      }
    }

    /** Waits until the server answers {@code /ping}; fails with its log when it exits or takes too long. */
    void awaitUp() {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      String last = "no answer yet";
      while (System.nanoTime() < deadline) {
        Process p = process();
        if (!p.isAlive()) {
          throw new IllegalStateException("ClickHouse at " + url + " exited with status " + p.exitValue()
              + " while starting; its log in " + dir + " ends:\n" + log());
        }
        try {
          if (probe.ping()) return;
          last = "/ping did not answer Ok.";
        } catch (StoreException e) {
          last = e.getMessage();
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for ClickHouse at " + url, e);
        }
      }
      throw new IllegalStateException("ClickHouse at " + url + " did not answer within " + START_TIMEOUT.toSeconds()
          + " s (" + last + "); its log in " + dir + " ends:\n" + log());
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
      Process p = process();
      if (p == null) return;
      p.destroyForcibly();
      awaitExit(p, Duration.ofSeconds(30));
    }

    /** SIGTERM, SIGKILL when it takes too long. */
    void stop() {
      Process p = process();
      if (p == null || !p.isAlive()) return;
      p.destroy();
      if (!awaitExit(p, Duration.ofSeconds(30))) kill();
    }

    private synchronized Process process() {
      return process;
    }

    private static boolean awaitExit(Process p, Duration limit) {
      try {
        return p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** The ends of the error log and of what the process printed, for a failure message. */
    String log() {
      if (dir == null) return "";
      return tail(dir.resolve("error.log")) + tail(dir.resolve("console.log"));
    }

    private static String tail(Path file) {
      try {
        if (!Files.exists(file)) return "";
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (text.isBlank()) return "";
        return "--- " + file.getFileName() + "\n" + text.substring(Math.max(0, text.length() - 3000));
      } catch (IOException e) {
        return "--- " + file.getFileName() + ": " + e.getMessage() + "\n";
      }
    }
  }
}
