package dev.heartlog.server;

import dev.heartlog.store.Store;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code heartlog serve}: ingest in PostgREST's RPC dialect (a worker configured for Supabase
 * can be pointed here by changing only the URL and key), a JSON query API, and maintenance of
 * the store. Stateless apart from the store, so several can run behind a load balancer.
 *
 * <pre>{@code
 * try (HeartlogServer server = HeartlogServer.builder().store(store).keysFile(home.resolve("keys")).build()) {
 *   server.start();   // 127.0.0.1:7070
 * }
 * }</pre>
 */
public final class HeartlogServer implements AutoCloseable {

  /** Port when none is given. */
  public static final int DEFAULT_PORT = 7070;
  /** Address bound when none is given: this machine only. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** Largest request body accepted (after gzip inflation); larger ones get 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  /** The most {@code --max-body} may be. */
  static final long MAX_BODY_BYTES_LIMIT = 1024L * 1024 * 1024;
  /**
   * The most records queued for the live tail's followers together, about 100 MB of records of
   * 1 KB; beyond it the follower furthest behind is ended. Each follower may fall behind by at
   * most 20,000 records of its own.
   */
  public static final int DEFAULT_TAIL_MAX_QUEUED = 100_000;
  /** How often the server runs partition maintenance and retention. */
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofHours(1);

  private final Builder config;
  private final ApiKeys keys;
  private final ApiKeys.Created created;
  private Javalin app;
  private ScheduledExecutorService maintenance;
  private LiveTail tail;
  private TailRoutes tailRoutes;

  private HeartlogServer(Builder config, ApiKeys keys, ApiKeys.Created created) {
    this.config = config;
    this.keys = keys;
    this.created = created;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A new random reader key ({@code hlr_...}), for a caller that passes it to {@link Builder#readerKeys}. */
  public static String newReaderKey() {
    return ApiKeys.newKey("hlr_");
  }

  /** Binds and starts serving; returns once requests are accepted. */
  public HeartlogServer start() {
    KeyCheck check = new KeyCheck(keys);
    IngestRoutes ingest = new IngestRoutes(config.store, check, config.maxBodyBytes);
    QueryRoutes query = new QueryRoutes(config.store, check, config.clock);
    tail = config.jdbcUrl == null ? null
        : new LiveTail(config.store, config.jdbcUrl, config.user, config.password, config.tailMaxQueued,
            config.diagnostics);
    app = Javalin.create(javalin -> {
      javalin.showJavalinBanner = false;
      javalin.http.maxRequestSize = config.maxBodyBytes;
      javalin.useVirtualThreads = false;
      // The web viewer: static files shipped in the jar, no CDN.
      javalin.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/viewer";
        files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
      });
    });
    // RFC 7694: tell clients they may compress request bodies.
    app.before(ctx -> ctx.header("Accept-Encoding", "gzip"));
    app.post(IngestRoutes.RPC_PATH, ingest::heartbeat);
    app.patch(IngestRoutes.WORKERS_PATH, ingest::patchWorker);
    app.get("/api/logs", query::logs);
    app.get("/api/tasks/{id}", query::task);
    app.get("/api/workers", query::workers);
    app.get("/api/workers/{id}", query::worker);
    app.get("/api/workers/{id}/heartbeats", query::heartbeats);
    if (tail != null) {
      tailRoutes = new TailRoutes(tail, check);
      tailRoutes.register(app);
    }
    app.exception(PostgrestError.class, (e, ctx) ->
        ctx.status(e.status).contentType("application/json").result(e.json()));
    app.exception(Exception.class, (e, ctx) ->
        ctx.status(500).contentType("application/json").result(
            new PostgrestError(500, "HL500", "Internal error: " + e, null, null).json()));
    app.start(config.bind, config.port);
    startMaintenance();
    return this;
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** Keys made because none existed, to show once; empty otherwise. */
  public java.util.Optional<String[]> createdKeys() {
    return created == null ? java.util.Optional.empty() : java.util.Optional.of(new String[] {created.writerKey(), created.readerKey()});
  }

  @Override
  public void close() {
    if (tail != null) {
      tail.close();
    }
    if (tailRoutes != null) {
      tailRoutes.close();
    }
    if (maintenance != null) {
      maintenance.shutdownNow();
    }
    if (app != null) {
      app.stop();
    }
  }

  private void startMaintenance() {
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "heartlog-maintenance");
      thread.setDaemon(true);
      return thread;
    });
    long period = config.maintenanceInterval.toMillis();
    maintenance.scheduleWithFixedDelay(this::maintainQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Catches everything: a scheduled task that throws is silently cancelled by its executor. */
  private void maintainQuietly() {
    try {
      config.store.maintain(Store.DEFAULT_RETENTION, Store.DEFAULT_DAYS_AHEAD);
    } catch (Exception e) {
      config.diagnostics.println("heartlog serve: maintenance failed, will retry: " + e.getMessage());
    }
  }

  /** Builds a server; only the store is required. Setters validate as values are set. */
  public static final class Builder {
    private Store store;
    private String jdbcUrl;
    private String user;
    private String password;
    private Path keysFile = Path.of("heartlog-data", "keys");
    private String writerKeys;
    private String readerKeys;
    private String bind = DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration maintenanceInterval = DEFAULT_MAINTENANCE_INTERVAL;
    private int tailMaxQueued = DEFAULT_TAIL_MAX_QUEUED;
    private Clock clock = Clock.systemUTC();
    private PrintStream diagnostics = System.err;

    private Builder() {}

    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store must not be null");
      return this;
    }

    /**
     * The store's JDBC URL for the live tail's {@code LISTEN} connection; without it there is no
     * live tail ({@code /api/tail}).
     */
    public Builder listenTo(String jdbcUrl, String user, String password) {
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
      return this;
    }

    /** Where key hashes are kept; created with one key of each role on a first start with none. */
    public Builder keysFile(Path file) {
      this.keysFile = Objects.requireNonNull(file, "keys file must not be null");
      return this;
    }

    /** Writer keys in plain text, {@code key[:worker-prefix],...} ({@code HEARTLOG_WRITER_KEYS}). */
    public Builder writerKeys(String keys) {
      this.writerKeys = keys;
      return this;
    }

    /** Reader keys in plain text, {@code key,...} ({@code HEARTLOG_READER_KEYS}). */
    public Builder readerKeys(String keys) {
      this.readerKeys = keys;
      return this;
    }

    /** Address to bind; default {@link #DEFAULT_BIND}. */
    public Builder bind(String address) {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("bind address must not be blank");
      }
      this.bind = address;
      return this;
    }

    /** Port; default {@link #DEFAULT_PORT}, 0 for any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535");
      }
      this.port = port;
      return this;
    }

    /** Largest request body; default {@link #DEFAULT_MAX_BODY_BYTES}. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maximum body size must be at least 1024 bytes");
      }
      if (bytes > MAX_BODY_BYTES_LIMIT) {
        throw new IllegalArgumentException("maximum body size must be at most 1g: a body is read into one array");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Default {@link #DEFAULT_MAINTENANCE_INTERVAL}. */
    public Builder maintenanceInterval(Duration interval) {
      if (interval == null || interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("maintenance interval must be positive");
      }
      this.maintenanceInterval = interval;
      return this;
    }

    /** The most records queued for the live tail's followers together; default {@link #DEFAULT_TAIL_MAX_QUEUED}. */
    public Builder tailMaxQueued(int records) {
      if (records < 1_000) {
        throw new IllegalArgumentException("the live tail's queue must hold at least 1000 records");
      }
      this.tailMaxQueued = records;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder diagnostics(PrintStream out) {
      this.diagnostics = Objects.requireNonNull(out);
      return this;
    }

    /**
     * Loads (or creates) the keys; call {@link HeartlogServer#start()} to serve.
     *
     * @throws IOException when the keys file cannot be read or written
     * @throws IllegalArgumentException for a malformed key
     */
    public HeartlogServer build() throws IOException {
      if (store == null) {
        throw new IllegalStateException("a store is required");
      }
      ApiKeys.Created[] created = new ApiKeys.Created[1];
      ApiKeys keys = ApiKeys.load(keysFile, writerKeys, readerKeys, created);
      return new HeartlogServer(this, keys, created[0]);
    }
  }
}
