package dev.heartlog.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Builds a server; only the store is required. Setters validate as values are set. */
public final class HeartlogServerBuilder {
  private Store store;
  private String jdbcUrl;
  private String user;
  private String password;
  private Path keysFile = Path.of("heartlog-data", "keys");
  private String writerKeys;
  private String readerKeys;
  private String bind = HeartlogServer.DEFAULT_BIND;
  private int port = HeartlogServer.DEFAULT_PORT;
  private long maxBodyBytes = HeartlogServer.DEFAULT_MAX_BODY_BYTES;
  private Duration maintenanceInterval = HeartlogServer.DEFAULT_MAINTENANCE_INTERVAL;
  private Duration retention;   // null: the store's own
  private int tailMaxQueued = HeartlogServer.DEFAULT_TAIL_MAX_QUEUED;
  private List<String> corsOrigins = List.of();
  private Duration tailKeepAlive = HeartlogServer.TAIL_KEEP_ALIVE;
  private int storeRequestLimit = StoreGuard.DEFAULT_LIMIT;
  private Clock clock = Clock.systemUTC();
  private PrintStream diagnostics = System.err;
  private HikariDataSource connectionPool;

  HeartlogServerBuilder() {}

  public HeartlogServerBuilder store(Store store) {
    this.store = Objects.requireNonNull(store, "store must not be null");
    return this;
  }

  /**
   * The connection pool behind the store, whose connections {@code GET /metrics} reports (in use,
   * idle, requests waiting); none by default.
   */
  public HeartlogServerBuilder connectionPool(HikariDataSource pool) {
    this.connectionPool = pool;
    return this;
  }

  /**
   * The store's JDBC URL for the live tail's {@code LISTEN} connection; without it there is no
   * live tail ({@code /api/tail}).
   */
  public HeartlogServerBuilder listenTo(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    return this;
  }

  /** Where key hashes are kept; created with one key of each role on a first start with none. */
  public HeartlogServerBuilder keysFile(Path file) {
    this.keysFile = Objects.requireNonNull(file, "keys file must not be null");
    return this;
  }

  /** Writer keys in plain text, {@code key[:worker-prefix],...} ({@code HEARTLOG_WRITER_KEYS}). */
  public HeartlogServerBuilder writerKeys(String keys) {
    this.writerKeys = keys;
    return this;
  }

  /** Reader keys in plain text, {@code key,...} ({@code HEARTLOG_READER_KEYS}). */
  public HeartlogServerBuilder readerKeys(String keys) {
    this.readerKeys = keys;
    return this;
  }

  /** Address to bind; default {@link HeartlogServer#DEFAULT_BIND}. */
  public HeartlogServerBuilder bind(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("bind address must not be blank");
    }
    this.bind = address;
    return this;
  }

  /** Port; default {@link HeartlogServer#DEFAULT_PORT}, 0 for any free port. */
  public HeartlogServerBuilder port(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    this.port = port;
    return this;
  }

  /** Largest request body; default {@link HeartlogServer#DEFAULT_MAX_BODY_BYTES}. */
  public HeartlogServerBuilder maxBodyBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maximum body size must be at least 1024 bytes");
    }
    if (bytes > HeartlogServer.MAX_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("maximum body size must be at most 1g: a body is read into one array");
    }
    this.maxBodyBytes = bytes;
    return this;
  }

  /**
   * How long records and heartbeats are kept; default the store's own: the database's {@code
   * heartlog.retention}, else {@link Store#DEFAULT_RETENTION}, 48 hours. Maintenance drops a
   * day's partition once all of it is older than this.
   */
  public HeartlogServerBuilder retention(Duration retention) {
    if (retention == null || retention.compareTo(Store.MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("retention must be an hour or more (got " + retention + ")");
    }
    this.retention = retention;
    return this;
  }

  /** Default {@link HeartlogServer#DEFAULT_MAINTENANCE_INTERVAL}. */
  public HeartlogServerBuilder maintenanceInterval(Duration interval) {
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("maintenance interval must be positive");
    }
    this.maintenanceInterval = interval;
    return this;
  }

  /** The most records queued for the live tail's followers together; default {@link HeartlogServer#DEFAULT_TAIL_MAX_QUEUED}. */
  public HeartlogServerBuilder tailMaxQueued(int records) {
    if (records < 1_000) {
      throw new IllegalArgumentException("the live tail's queue must hold at least 1000 records");
    }
    this.tailMaxQueued = records;
    return this;
  }

  /**
   * The origins of the web pages that may call the server from a browser ({@code
   * https://ops.example.com}, {@code http://localhost:3000}, or {@code *} for any); none by
   * default. Each call still needs its key.
   *
   * @throws IllegalArgumentException for one that is no origin (a path, no scheme)
   */
  public HeartlogServerBuilder corsOrigins(List<String> origins) {
    this.corsOrigins = CorsOrigins.checked(Objects.requireNonNull(origins, "origins must not be null"));
    return this;
  }

  /**
   * How long a quiet event stream of the live tail waits for its keep-alive comment, and how often
   * a WebSocket of it is pinged; for tests.
   */
  HeartlogServerBuilder tailKeepAlive(Duration quiet) {
    this.tailKeepAlive = Objects.requireNonNull(quiet);
    return this;
  }

  /**
   * How many requests may use or wait for the store at once; more are answered 503 at once
   * (default 100: ten for each of serve's connections, ten by default).
   */
  public HeartlogServerBuilder storeRequestLimit(int requests) {
    if (requests < 1) {
      throw new IllegalArgumentException("the store request limit must be at least 1 (got " + requests + ")");
    }
    this.storeRequestLimit = requests;
    return this;
  }

  public HeartlogServerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  public HeartlogServerBuilder diagnostics(PrintStream out) {
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
    ServerConfig config = new ServerConfig(store, jdbcUrl, user, password, bind, port, maxBodyBytes,
        maintenanceInterval, retention, tailMaxQueued, corsOrigins, tailKeepAlive, storeRequestLimit, clock, diagnostics,
        connectionPool);
    return new HeartlogServer(config, keys, created[0]);
  }
}
