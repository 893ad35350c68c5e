package dev.heartlog.server;

import dev.heartlog.store.Maintenance;
import dev.heartlog.store.Store;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.plugin.bundled.CorsPluginConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code heartlog serve}: ingest in PostgREST's RPC dialect (a worker configured for Supabase
 * can be pointed here by changing only the URL and key), a JSON query API, and maintenance of
 * the store. Stateless apart from the store and its keys, so several given the same keys can run
 * behind a load balancer.
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

  /** The methods a path the server does not serve is answered for, with an error in JSON. */
  private static final List<HandlerType> ANSWERED_METHODS =
      List.of(HandlerType.GET, HandlerType.POST, HandlerType.PATCH, HandlerType.PUT, HandlerType.DELETE);
  /**
   * The most records queued for the live tail's followers together, about 100 MB of records of
   * 1 KB; beyond it the follower furthest behind is ended. Each follower may fall behind by at
   * most 20,000 records of its own.
   */
  public static final int DEFAULT_TAIL_MAX_QUEUED = 100_000;
  /**
   * How long a live tail's event stream goes without a record before it is sent a comment line,
   * and how often its WebSockets are pinged, which keeps them open through proxies: half nginx's
   * 60 s {@code proxy_read_timeout}, and within the 30 s of the shortest load balancers.
   */
  static final Duration TAIL_KEEP_ALIVE = Duration.ofSeconds(15);
  /** How often the server runs partition maintenance and retention. */
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofHours(1);

  private final ServerConfig config;
  private final ApiKeys keys;
  private final ApiKeys.Created created;
  private Javalin app;
  private ScheduledExecutorService maintenance;
  private LiveTail tail;
  private TailRoutes tailRoutes;
  private HealthRoutes health;
  private StoreGuard guard;
  private ServerMetrics metrics;
  /** Whether maintenance has said it leaves a standby to its primary: once. */
  private boolean saidStandby;

  HeartlogServer(ServerConfig config, ApiKeys keys, ApiKeys.Created created) {
    this.config = config;
    this.keys = keys;
    this.created = created;
  }

  public static HeartlogServerBuilder builder() {
    return new HeartlogServerBuilder();
  }

  /** A new random reader key ({@code hlr_...}), for a caller that passes it to {@link HeartlogServerBuilder#readerKeys}. */
  public static String newReaderKey() {
    return ApiKeys.newKey("hlr_");
  }

  /**
   * Binds and starts serving; returns once requests are accepted.
   *
   * @throws UncheckedIOException with a {@link BindException} when the address is taken (another
   *     server on the port) or not this machine's
   */
  public HeartlogServer start() {
    checkAddressFree(config.bind(), config.port());
    KeyCheck check = new KeyCheck(keys);
    guard = new StoreGuard(config.store(), config.storeRequestLimit(), config.diagnostics());
    QueryRoutes query = new QueryRoutes(config.store(), guard, check, config.clock());
    tail = config.jdbcUrl() == null ? null
        : new LiveTail(config.store(), guard, config.jdbcUrl(), config.user(), config.password(), config.tailMaxQueued(),
            config.diagnostics());
    LiveTail followed = tail;
    metrics = new ServerMetrics(config.store(), guard, check, () -> followed == null ? 0 : followed.followers(),
        config.connectionPool());
    IngestRoutes ingest = new IngestRoutes(config.store(), guard, check, config.maxBodyBytes(), metrics);
    app = Javalin.create(javalin -> {
      javalin.showJavalinBanner = false;
      javalin.http.maxRequestSize = config.maxBodyBytes();
      javalin.useVirtualThreads = false;
      javalin.jetty.modifyServer(server -> server.setErrorHandler(new BadMessages()));
      javalin.requestLogger.http(metrics::requestAnswered);
      // The web viewer: static files shipped in the jar, no CDN.
      javalin.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/viewer";
        files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
      });
      if (!config.corsOrigins().isEmpty()) {
        javalin.bundledPlugins.enableCors(cors -> cors.addRule(this::allowOrigins));
      }
    });
    // RFC 7694: tell clients they may compress request bodies.
    app.before(ctx -> ctx.header("Accept-Encoding", "gzip"));
    health = new HealthRoutes(config.store(), config.diagnostics());
    health.register(app);
    metrics.register(app);
    app.post(IngestRoutes.RPC_PATH, ingest::heartbeat);
    app.patch(IngestRoutes.WORKERS_PATH, ingest::patchWorker);
    for (HandlerType method : ANSWERED_METHODS) {
      app.addHttpHandler(method, "/rest/v1/<path>", ingest::notServed);   // after the paths served
    }
    app.get("/api/logs", query::logs);
    app.get("/api/tasks", query::tasks);
    app.get("/api/errors", query::errors);
    app.get("/api/errors/{kind}", query::errorKind);
    app.get("/api/volume", query::volume);
    // An id may hold a '/' ("render/clip-7"): the viewer writes it %2F, which nginx decodes before
    // passing the path on when its proxy_pass names a URI (as it must to serve under a path), so
    // <id> takes slashes. The longer paths come first: the first path that matches answers.
    app.get("/api/tasks/<id>/records", query::taskRecords);
    app.get("/api/tasks/<id>", query::task);
    app.get("/api/workers", query::workers);
    app.get("/api/clocks", query::clocks);
    app.get("/api/workers/<id>/heartbeats", query::heartbeats);
    app.get("/api/workers/<id>", query::worker);
    if (tail != null) {
      tailRoutes = new TailRoutes(tail, check, config.tailKeepAlive());
      tailRoutes.register(app);
    }
    for (HandlerType method : ANSWERED_METHODS) {
      app.addHttpHandler(method, "/api/<path>", QueryRoutes::notServed);   // after the paths served
    }
    app.exception(PostgrestError.class, (e, ctx) -> {
      if (e.retryAfter != null) {
        ctx.header("Retry-After", Long.toString(e.retryAfter.toSeconds()));
      }
      ctx.status(e.status).contentType("application/json").result(e.json());
    });
    app.exception(Exception.class, (e, ctx) ->
        ctx.status(500).contentType("application/json").result(
            new PostgrestError(500, "HL500", "Internal error: " + e, null, null).json()));
    try {
      app.start(config.bind(), config.port());
    } catch (RuntimeException e) {   // taken since the check: the live tail must not outlive this
      close();
      throw e;
    }
    startMaintenance();
    return this;
  }

  /**
   * Fails before anything starts when the address cannot be bound, with a sentence instead of
   * Javalin's logged error and exception, and before the live tail starts listening. Port 0
   * (any free one) checks the address alone.
   */
  private static void checkAddressFree(String bind, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);   // as Jetty binds: a socket of a stopped server in TIME_WAIT is no obstacle
      probe.bind(new InetSocketAddress(bind, port));
    } catch (IOException e) {
      BindException taken = new BindException("cannot listen on " + bind + ":" + port + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      taken.initCause(e);
      throw new UncheckedIOException(taken);
    }
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** The origins whose pages a browser lets call this server, as browsers send them; none by default. */
  public List<String> corsOrigins() {
    return config.corsOrigins();
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
    if (health != null) {
      health.close();
    }
    if (guard != null) {
      guard.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (app != null) {
      app.stop();
    }
  }

  /** The origins whose pages a browser lets call this server (CORS), with the key. */
  private void allowOrigins(CorsPluginConfig.CorsRule rule) {
    List<String> origins = config.corsOrigins();
    if (origins.contains(CorsOrigins.ANY)) {
      rule.anyHost();
    } else {
      rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
    }
    rule.maxAge = (int) Duration.ofMinutes(10).toSeconds();   // a browser asks again after that
  }

  private void startMaintenance() {
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "heartlog-maintenance");
      thread.setDaemon(true);
      return thread;
    });
    long period = config.maintenanceInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintainQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Catches everything: a scheduled task that throws is silently cancelled by its executor. */
  private void maintainQuietly() {
    try {
      if (config.store().isStandby()) {
        // Read-only: the primary's own maintenance (another heartlog serve, heartlog maintain,
        // pg_cron) creates and drops the partitions, and the standby replays it.
        if (!saidStandby) {
          saidStandby = true;
          config.diagnostics().println("heartlog serve: the database is a standby (read replica): maintenance and "
              + "retention are left to the primary's (a heartlog serve or heartlog maintain on it, or pg_cron)");
        }
        return;
      }
      Maintenance result = config.store().maintain(config.retention(), Store.DEFAULT_DAYS_AHEAD);
      if (result.partitionsInUse() > 0) {
        int left = result.partitionsInUse();
        config.diagnostics().println("heartlog serve: maintenance left " + (left == 1 ? "1 partition" : left + " partitions")
            + " for its next run: a long read of system_logs held the locks needed to create or drop them");
      }
    } catch (Exception | Error e) {   // an OutOfMemoryError too: it would end retention for good
      config.diagnostics().println("heartlog serve: maintenance failed, will retry: " + e);
    }
  }
}
