package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.FileErrors;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.server.HeartlogServerBuilder;
import dev.heartlog.store.SchemaStatus;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    description = "Serves heartbeats in PostgREST's RPC dialect (point a Supabase-configured worker here by changing "
        + "its URL and key), a JSON query API, the web viewer and Prometheus metrics, on the embedded store or --db-url. "
        + "Runs until Ctrl-C.",
    mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

  /**
   * The server's connections by default. A fleet of 10,000 over HTTP held on 8, on a database on
   * the same machine, in some runs of BENCHMARKS.md §4 (that 2-core machine was the limit, not the pool).
   */
  static final int DEFAULT_DB_POOL = 10;
  static final int MAX_DB_POOL = 1_000;
  /** How many requests may use or wait for the store for each connection, before more are answered at once. */
  static final int REQUESTS_PER_CONNECTION = 10;

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:HEARTLOG_PORT:-7070}",
      description = "Port to listen on (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:HEARTLOG_BIND:-127.0.0.1}",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for all).")
  String bind;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "16m",
      description = "Largest request body, after gzip inflation, 1k to 1g; larger ones get 413 (default ${DEFAULT-VALUE}).")
  String maxBody;

  @Option(names = "--keys", paramLabel = "FILE", defaultValue = "${env:HEARTLOG_KEYS_FILE}",
      description = "Keys file (hashes only; default <home>/keys). HEARTLOG_WRITER_KEYS and HEARTLOG_READER_KEYS add keys.")
  Path keysFile;

  @Option(names = "--db-pool", paramLabel = "CONNECTIONS", defaultValue = "${env:HEARTLOG_DB_POOL:-" + DEFAULT_DB_POOL + "}",
      description = "Connections to the database, 1 to " + MAX_DB_POOL + "; up to ten requests for each wait for one, "
          + "more are answered 503 at once (default ${DEFAULT-VALUE}). More for a database far away, whose calls "
          + "take longer; no more than its max_connections (or its pooler's) leaves room for.")
  int dbPool;

  @Option(names = "--tail-max-queued", paramLabel = "RECORDS", defaultValue = "" + HeartlogServer.DEFAULT_TAIL_MAX_QUEUED,
      description = "Most records the live tail holds for its followers together, at least 1000; beyond it the "
          + "follower furthest behind is ended, and may follow again with after=<its last id> (default ${DEFAULT-VALUE}).")
  int tailMaxQueued;

  @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "${env:HEARTLOG_RETENTION}",
      description = "Keep records and heartbeats this long, with its unit: 48h, 7d, at least 1h; the hourly "
          + "maintenance drops a day once all of it is older (default: the database's heartlog.retention, else 48h).")
  String retention;

  @Option(names = "--cors-origins", paramLabel = "LIST", split = ",", defaultValue = "${env:HEARTLOG_CORS_ORIGINS}",
      description = "The origins of web pages a browser lets call this server, its key still needed: "
          + "https://ops.example.com,http://localhost:3000, or * for any (default $HEARTLOG_CORS_ORIGINS, else none).")
  List<String> corsOrigins;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    HeartlogServerBuilder settings;
    Duration kept = null;
    try {   // checked before the store is opened (an embedded one takes seconds to start)
      settings = HeartlogServer.builder()
          .bind(bind)
          .port(port)
          .maxBodyBytes(AgentEnvironment.bytes("--max-body", maxBody))
          .tailMaxQueued(tailMaxQueued)
          .corsOrigins(corsOrigins == null ? List.of() : corsOrigins);
      if (dbPool < 1 || dbPool > MAX_DB_POOL) {
        throw new IllegalArgumentException("--db-pool must be 1 to " + MAX_DB_POOL + " connections (got " + dbPool + ")");
      }
      settings.storeRequestLimit(dbPool * REQUESTS_PER_CONNECTION);
      if (retention != null) {
        kept = RetentionOption.parse(spec, retention);
        settings.retention(kept);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    // A database started beside the server (Compose's depends_on, a pod's two containers) is
    // waited for: exiting, the server stayed down, or Kubernetes restarted it after ever longer waits.
    StoreOptions.Opened opened = storeOptions.isEmbedded() ? storeOptions.openPooled(dbPool)
        : new DatabaseWait("heartlog serve", spec.commandLine().getErr()).open(() -> storeOptions.openPooled(dbPool), null);
    Path keys = keysFile != null ? keysFile : storeOptions.home.resolve("keys");
    HeartlogServer server;
    try {
      server = settings
          .store(opened.store())
          .connectionPool(opened.connectionPool())
          .listenTo(opened.jdbcUrl(), opened.database().user(), opened.database().password())
          .keysFile(keys)
          .writerKeys(System.getenv("HEARTLOG_WRITER_KEYS"))
          .readerKeys(System.getenv("HEARTLOG_READER_KEYS"))
          .build();
    } catch (IOException e) {
      // The keys file could not be read or made (--keys ''), said as such: it was "unexpected
      // java.io.UncheckedIOException: java.io.IOException: Is a directory".
      closeQuietly(opened);
      throw new IllegalArgumentException("cannot use the keys file " + keys.toAbsolutePath() + " ("
          + FileErrors.describe(e) + "); give --keys (or HEARTLOG_KEYS_FILE) a file heartlog may read and write", e);
    } catch (RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
    try {
      server.start();
    } catch (RuntimeException e) {
      closeQuietly(opened);
      printCreatedKeys(server, out, null, opened.embedded() == null ? keys : null);   // stored already: shown now or never
      throw cannotListen(e, "--port or --bind");
    }
    opened.onShutdown(() -> {
      server.close();
      stopped.countDown();
    });
    String host = urlHost(bind);
    String base = "http://" + host + ":" + server.port();
    boolean everyAddress = !host.equals(bind) && !host.equals("[" + bind + "]");
    out.println("heartlog serve: listening on " + base + (everyAddress ? ", every address of this machine" : "")
        + " (store " + opened.store().displayUrl() + ")");
    out.println("  viewer: GET  " + base + "/  (reader key: the page asks for it, or give it as ?key=)");
    out.println("  ingest: POST " + base + "/rest/v1/rpc/func_worker_heartbeat_with_logs  (writer key)");
    out.println("  query:  GET  " + base + "/api/workers, /api/logs, /api/tasks, /api/tasks/{id}, /api/workers/{id}"
        + "  (reader key)");
    out.println("  tail:   GET  " + base + "/api/tail (server-sent events), or ws://" + host + ":" + server.port()
        + "/api/tail (WebSocket)  (reader key)");
    out.println("  probes: GET  " + base + "/healthz (serving), " + base + "/readyz (the database answers)  (no key)");
    out.println("  metrics: GET " + base + "/metrics (Prometheus's text format)  (reader key)");
    if (!server.corsOrigins().isEmpty()) {
      out.println("  cors:   pages on " + String.join(", ", server.corsOrigins()) + " may call it from a browser, with a key");
    }
    if (!opened.namedStatements()) {
      out.println("  a pooler or proxy sits between heartlog and PostgreSQL: statements go unnamed, "
          + "and the live tail polls every second");
    }
    if (opened.embedded() == null && opened.store().isStandby()) {
      out.println("  the store is a standby (read replica): queries, the viewer and the live tail work; heartbeats "
          + "sent here fail, and maintenance and retention are left to the primary");
    }
    printCreatedKeys(server, out, base, opened.embedded() == null ? keys : null);
    PrintWriter err = spec.commandLine().getErr();
    if (opened.embedded() == null) {   // the embedded store was migrated as it started
      schemaWarning(opened.store()).ifPresent(warning -> err.println("heartlog serve: warning: " + warning));
      if (kept != null && !opened.store().isStandby()) {
        RetentionOption.cronKeepsLess(opened.store(), kept)
            .ifPresent(warning -> err.println("heartlog serve: warning: " + warning));
      }
    }
    AgentEnvironment.current().unknownVariables().forEach(warning -> err.println("heartlog serve: warning: " + warning));
    err.flush();
    stopped.await();
    return 0;
  }

  /**
   * The host for the addresses printed at start: workers and browsers cannot reach {@code
   * 0.0.0.0} or {@code ::}, which mean every address of this machine, so its name stands for
   * them; an IPv6 address goes in brackets.
   */
  static String urlHost(String bind) {
    try {
      if (InetAddress.getByName(bind).isAnyLocalAddress()) {
        return InetAddress.getLocalHost().getHostName();
      }
    } catch (UnknownHostException e) {
      // A name that does not resolve was refused when binding; as given.
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  /**
   * A server's failed start, as one sentence when its address could not be bound: taken (another
   * heartlog serve?) or not this machine's. Other failures are returned as they are.
   *
   * @param options the options that choose the address, for the hint
   */
  static RuntimeException cannotListen(RuntimeException failure, String options) {
    if (failure instanceof UncheckedIOException io && io.getCause() instanceof BindException taken) {
      return new IllegalArgumentException(taken.getMessage() + (taken.getMessage().contains("in use")
          ? ": stop what listens there (another heartlog serve?), or give " + options
          : ": give --bind an address of this machine (127.0.0.1; 0.0.0.0 for all of its addresses)"), failure);
    }
    return failure;
  }

  /**
   * The keys made because none existed: their hashes are stored, so this is the one chance to see
   * them.
   *
   * @param keptApart the keys file, for a store of the server's own (not the embedded one, whose
   *     folder holds both): the keys are in that file only, and other servers of the store, behind
   *     the same load balancer, or this one started again without the file (a container without a
   *     volume), would make keys of their own, refusing the workers given these
   */
  private static void printCreatedKeys(HeartlogServer server, PrintWriter out, String base, Path keptApart) {
    server.createdKeys().ifPresent(keys -> {
      out.println("Created keys (shown once; only their hashes are kept):");
      out.println("  writer (any worker): " + keys[0]);
      out.println("  reader:              " + keys[1]);
      if (base != null) {
        out.println("  e.g. HEARTLOG_URL=" + base + " HEARTLOG_KEY=" + keys[0] + " ...");
        out.println("  the viewer: " + base + "/?key=" + keys[1]);
      }
      if (keptApart != null) {
        out.println("  Their hashes are kept in " + keptApart.toAbsolutePath() + ", on this machine only: another heartlog "
            + "serve of this store, or this one started again without that file (a container without a volume), makes "
            + "keys of its own and refuses these. Give every server the same keys instead: HEARTLOG_WRITER_KEYS="
            + keys[0] + " HEARTLOG_READER_KEYS=" + keys[1]);
      }
    });
    out.flush();
  }

  /**
   * What to say at start about a database that {@code heartlog migrate} has not prepared for this
   * heartlog: until it has, workers' heartbeats are refused and every page fails, and the reason
   * would otherwise show only in their answers. Empty when the schema is current, and when the
   * schema history cannot be read (a role that may only read the logs).
   */
  static Optional<String> schemaWarning(Store store) {
    SchemaStatus status;
    try {
      status = store.schemaStatus();
    } catch (StoreException cannotTell) {
      return Optional.empty();
    }
    String migrate = "run heartlog migrate --db-url with the same URL";
    if (status.missing()) {
      return Optional.of(store.displayUrl() + " has no heartlog schema yet, so heartbeats and queries fail: " + migrate);
    }
    if (status.newer()) {
      return Optional.of(store.displayUrl() + " was migrated by a newer heartlog (schema version " + status.version()
          + "): this server may fail its calls; serve with that heartlog");
    }
    if (status.onlyFunctionsDiffer()) {
      return Optional.of(store.displayUrl() + " holds other versions of heartlog's functions ("
          + String.join(", ", status.pending()) + ") than this heartlog's: after an upgrade, " + migrate);
    }
    if (!status.upToDate()) {
      return Optional.of(store.displayUrl() + " was migrated by an older heartlog (" + String.join(", ", status.pending())
          + " not applied yet): " + migrate);
    }
    return Optional.empty();
  }

  private static void closeQuietly(StoreOptions.Opened opened) {
    try {
      opened.close();
    } catch (IOException ignored) {
      // Shutting down anyway.
    }
  }
}
