package dev.heartlog.cli;

import dev.heartlog.agent.Destination;
import dev.heartlog.agent.FileErrors;
import dev.heartlog.agent.PostgresUrl;
import dev.heartlog.store.EmbeddedStore;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where a command finds its store: {@code --db-url} (or {@code HEARTLOG_DB_URL}: a JDBC URL, or
 * the {@code postgresql://} URI libpq and Supabase give), else the
 * embedded PostgreSQL whose data lives in {@code --home} (or {@code HEARTLOG_HOME}, default
 * {@code ./heartlog-data}).
 */
final class StoreOptions {

  /**
   * How long a server's request waits for a pooled connection before it is answered (504 while
   * the database answers but every connection is busy, 503 when it cannot be reached): a third of
   * a heartbeat's own 30 s wait, where HikariCP's 30 s default made each request of a fleet
   * hold a web server thread for all of it while the database was down.
   */
  private static final long SERVE_CONNECTION_WAIT_MS = 10_000;

  /**
   * How long a pooled connection waits for the database's answer before it is given up as dead.
   * A failover or a network that drops a connection's packets leaves a query waiting for an
   * answer that never comes, until the kernel gives up on the connection (about 15 minutes on
   * Linux); the connection meanwhile counts as in use, and once every connection of the server's
   * pool waited so, the server answered nothing, a database that answered again or not. As long
   * as a heartbeat's own call waits ({@code PostgrestTransport}'s 30 s), and far longer than any
   * of the server's queries takes. A {@code socketTimeout} in the URL (pgjdbc's, in seconds)
   * wins.
   */
  static final Duration POOLED_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      defaultValue = "${env:HEARTLOG_DB_URL}",
      description = "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), or the URI psql and Supabase show "
          + "(postgresql://user:password@host:5432/db). Default: $HEARTLOG_DB_URL, else the embedded store.")
  String url;

  @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:HEARTLOG_DB_USER:-${env:PGUSER}}",
      description = "Database user, unless the URL names it. Default: $HEARTLOG_DB_USER, else $PGUSER (as psql).")
  String user;

  @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:HEARTLOG_DB_PASSWORD:-${env:PGPASSWORD}}",
      description = "Database password, unless the URL holds it. Default: $HEARTLOG_DB_PASSWORD, else $PGPASSWORD "
          + "(as psql; prefer either: flags show in ps), else the line for the host, port, database and user in "
          + "~/.pgpass or $PGPASSFILE.")
  String password;

  /** {@link #POOLED_SOCKET_TIMEOUT}, shorter in tests. */
  Duration pooledSocketTimeout = POOLED_SOCKET_TIMEOUT;

  /** The embedded store's folder when none is given. */
  static final String DEFAULT_HOME = "heartlog-data";

  Path home = Path.of(DEFAULT_HOME);

  /**
   * A blank folder is none given, as a blank variable is none for the agent: {@code HEARTLOG_HOME=}
   * (a compose file's or an {@code .env}'s) put the embedded store's data files into the working
   * folder.
   */
  @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:HEARTLOG_HOME}",
      description = "Folder of the embedded store's data. Default: $HEARTLOG_HOME, else ./" + DEFAULT_HOME + ".")
  void home(String folder) {
    home = Path.of(folder == null || folder.isBlank() ? DEFAULT_HOME : folder);
  }

  /**
   * An open store, with the embedded server (and connection pool) behind it when there is one.
   * On SIGTERM or Ctrl-C, a shutdown hook first runs the actions a command registered with
   * {@link #onShutdown} (final heartbeats, stopping a wrapped process) and only then stops the
   * embedded server, which has no hook of its own for that reason.
   */
  static final class Opened implements AutoCloseable {
    private final Store store;
    private final EmbeddedStore embedded;
    private final Destination database;
    private final AutoCloseable pool;
    private final boolean namedStatements;
    private final List<Runnable> beforeExit = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::exit, "heartlog-exit");
    private volatile IntSupplier exitStatus;

    Opened(Store store, EmbeddedStore embedded, Destination database, AutoCloseable pool) {
      this(store, embedded, database, pool, true);
    }

    Opened(Store store, EmbeddedStore embedded, Destination database, AutoCloseable pool, boolean namedStatements) {
      this.store = store;
      this.embedded = embedded;
      this.database = database;
      this.pool = pool;
      this.namedStatements = namedStatements;
      Runtime.getRuntime().addShutdownHook(hook);
    }

    Store store() {
      return store;
    }

    EmbeddedStore embedded() {
      return embedded;
    }

    String jdbcUrl() {
      return database.url();
    }

    /** The database's JDBC URL with its user and password (none for the embedded store). */
    Destination database() {
      return database;
    }

    /** Whether the pool names its statements; see {@link PoolStatements}. */
    boolean namedStatements() {
      return namedStatements;
    }

    /** The connection pool of a store opened with one ({@link #openPooled(int)}); null for another. */
    com.zaxxer.hikari.HikariDataSource connectionPool() {
      return pool instanceof com.zaxxer.hikari.HikariDataSource hikari ? hikari : null;
    }

    /** A connection of the pool; only a store opened with one ({@link #openPooled(int)}) has one. */
    java.sql.Connection pooledConnection() throws java.sql.SQLException {
      return ((javax.sql.DataSource) pool).getConnection();
    }

    /** Runs {@code action} if the JVM is stopped by a signal, before the store is closed. */
    void onShutdown(Runnable action) {
      beforeExit.add(action);
    }

    /**
     * Once a signal's actions have run and the store is closed, the JVM exits with what {@code
     * status} gives, not the signal's code (143 for SIGTERM); a negative status leaves the
     * signal's. For heartlog run, which exits with its worker's code.
     */
    void exitStatusAfterASignal(IntSupplier status) {
      exitStatus = status;
    }

    private void exit() {
      for (Runnable action : beforeExit) {
        try {
          action.run();
        } catch (RuntimeException e) {
          System.err.println("heartlog: " + e.getMessage());
        }
      }
      closeResources();
      int status = exitStatus == null ? -1 : exitStatus.getAsInt();
      if (status >= 0) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);   // everything is closed: nothing is left for the JVM to do
      }
    }

    @Override
    public void close() throws IOException {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        return;  // the hook closes everything, after the registered actions
      }
      closeResources();
    }

    private void closeResources() {
      try {
        if (pool != null) {
          pool.close();
        }
      } catch (Exception e) {
        // Closing a pool does not fail in a way worth reporting at exit.
      }
      try {
        if (embedded != null) {
          embedded.close();
        }
      } catch (IOException e) {
        System.err.println("heartlog: could not stop the embedded PostgreSQL: " + e.getMessage());
      }
    }
  }

  /**
   * Opens the store behind a pool of {@code connections}, for the server; the embedded store is migrated.
   *
   * @throws StoreException when it cannot be reached
   */
  Opened openPooled(int connections) {
    return openPooled(connections, false, "heartlog-serve");
  }

  /**
   * Opens the store behind a pool that holds one connection open, for a command that keeps
   * reading ({@code logs --follow}): opened for each read, a remote store's connections would
   * cost a TLS handshake and a server process each, several times a second. A second connection
   * is opened only while one read waits for another.
   *
   * @throws StoreException when it cannot be reached
   */
  Opened openHeld() {
    return openPooled(2, true, "heartlog-follow");
  }

  /** With {@code forACommand}, one connection stays open while reads use it, and a store gone away is said soon. */
  private Opened openPooled(int size, boolean forACommand, String name) {
    Store direct = null;
    Destination database = null;
    if (!isEmbedded()) {
      database = database();
      direct = Store.open(database.url(), database.user(), database.password());  // a clear sentence now if unreachable
    }
    EmbeddedStore embedded = null;
    if (isEmbedded()) {
      embedded = startEmbedded();
      database = new Destination(embedded.jdbcUrl(), null, null);
      direct = Store.open(database.url(), null, null);
      direct.migrate();
    }
    String jdbcUrl = database.url();
    boolean named = PoolStatements.mayBeNamed(jdbcUrl, direct.serverPort());
    com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
    pool.setJdbcUrl(jdbcUrl);
    pool.setUsername(database.user());
    pool.setPassword(database.password());
    pool.setMaximumPoolSize(size);
    if (forACommand) {
      // None kept idle beyond what reads return: HikariCP tops the idle connections up to its
      // minimum, so a minimum of 1 opened a second connection whenever its housekeeper found the
      // one connection busy in a read. A connection used every second stays open all the same.
      pool.setMinimumIdle(0);
      // Within the 5 s a direct connection waits (Store.open), not after the pool's 30.
      pool.setConnectionTimeout(5_000);
    } else {
      pool.setConnectionTimeout(SERVE_CONNECTION_WAIT_MS);
    }
    pool.setPoolName(name);
    pool.setInitializationFailTimeout(-1);
    if (named) {
      // Named statements still planned with their actual values, so the queries' optional
      // filters cost nothing. Not as a startup option (-c ...): PgBouncer refuses one.
      pool.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
    } else {
      // Unnamed statements are planned with their actual values anyway. No session setting
      // either: a pooler in transaction mode would leave it on backends other clients get.
      pool.addDataSourceProperty("prepareThreshold", "0");
    }
    pool.addDataSourceProperty("ApplicationName", name);
    pool.addDataSourceProperty("socketTimeout", Long.toString(pooledSocketTimeout.toSeconds()));
    com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource(pool);
    try {
      return new Opened(Store.open(dataSource, jdbcUrl), embedded, database, dataSource, named);
    } catch (RuntimeException e) {
      dataSource.close();
      closeQuietly(embedded);
      throw e;
    }
  }

  boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /**
   * The flags that chose this store on the command line, for a command printed to be run next
   * on the same store: {@code " --db-url URL"}, its password left out ({@link #withoutPasswords}),
   * or {@code " --home DIR"}. Empty where the environment or the default chose it, as they will
   * for the next command.
   */
  String sameStore(CommandLine.ParseResult parsed) {
    if (!isEmbedded() && parsed.hasMatchedOption("--db-url")) {
      return " --db-url " + RecordText.printable(RecordText.shellWord(withoutPasswords(url)));
    }
    if (parsed.hasMatchedOption("--home")) {
      return " --home " + RecordText.printable(RecordText.shellWord(home.toString()));
    }
    return "";
  }

  /**
   * The address without its passwords, for commands to copy: {@code password=***} there would be
   * taken for the password "***". The commands find the password where they look by default
   * ({@code HEARTLOG_DB_PASSWORD}, {@code PGPASSWORD}, {@code ~/.pgpass}).
   */
  static String withoutPasswords(String url) {
    return PostgresUrl.redact(url)
        .replace(":***@", "@")
        .replaceAll("(?i)([?&])\\w*password=\\*\\*\\*&", "$1")
        .replaceAll("(?i)[?&]\\w*password=\\*\\*\\*$", "");
  }

  /**
   * The configured database as the JDBC driver takes it: a {@code postgresql://} URI (libpq's,
   * Supabase's dashboard's) becomes its JDBC URL, with its user and password apart.
   *
   * @throws StoreException when the URL is neither form, naming it without its password
   */
  private Destination database() {
    try {
      return PostgresUrl.destination(url, user, password);
    } catch (IllegalArgumentException e) {
      throw new StoreException(e.getMessage(), null);
    }
  }

  /**
   * Opens the store. The embedded store is started (or joined, if another heartlog process runs
   * it) and migrated; a configured database is used as it is.
   *
   * @throws StoreException when it cannot be reached
   */
  Opened open() {
    if (!isEmbedded()) {
      Destination database = database();
      return new Opened(Store.open(database.url(), database.user(), database.password()), null, database, null);
    }
    EmbeddedStore embedded = startEmbedded();
    try {
      Store store = Store.open(embedded.jdbcUrl(), null, null);
      store.migrate();
      return new Opened(store, embedded, new Destination(embedded.jdbcUrl(), null, null), null);
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      throw e;
    }
  }

  /**
   * Starts (or joins) the embedded store of {@code --home}.
   *
   * @throws StoreException saying why it cannot, and for a folder heartlog may not make or write
   *     in, what to give instead
   */
  private EmbeddedStore startEmbedded() {
    try {
      return EmbeddedStore.start(home);
    } catch (IOException | RuntimeException e) {
      String hint = e instanceof FileSystemException
          ? "; give --home (or HEARTLOG_HOME) a folder heartlog may write in, or --db-url" : "";
      throw new StoreException("cannot start the embedded PostgreSQL in " + home.toAbsolutePath() + ": "
          + FileErrors.describe(e) + hint, e);
    }
  }

  private static void closeQuietly(EmbeddedStore embedded) {
    if (embedded == null) {
      return;
    }
    try {
      embedded.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one to report.
    }
  }
}
