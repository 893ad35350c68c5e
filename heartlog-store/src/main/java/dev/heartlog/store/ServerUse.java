package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One JVM's use of a folder's embedded server, shared by the {@link EmbeddedStore}s it opened on
 * that folder, and its shared lock on the folder's {@value EmbeddedStore#USERS_LOCK_FILE}, which
 * tells other processes that the server is in use.
 */
final class ServerUse {

  /** How long a fast shutdown may take before the server is left to finish it alone. */
  private static final long STOP_WAIT_SECONDS = 10;

  private final Path home;
  private EmbeddedPostgres server;   // null where another process started it (guarded by EmbeddedStore's start lock)
  private final int port;
  private volatile ServerWatch watch;
  /**
   * Why the last start again failed, its numbers masked, as said on stderr; null after a start
   * (guarded by EmbeddedStore's start lock).
   */
  String restartFailure;
  private final FileChannel usersFile;
  private final FileLock shared;
  /** The stores open on it in this JVM (guarded by EmbeddedStore's start lock). */
  int users;

  ServerUse(Path home, EmbeddedPostgres server, int port, FileChannel usersFile, FileLock shared) {
    this.home = home;
    this.server = server;
    this.port = port;
    this.usersFile = usersFile;
    this.shared = shared;
  }

  int port() {
    return port;
  }

  Path home() {
    return home;
  }

  /** The watch that has the server started again where it stops while this JVM uses it. */
  void watch(ServerWatch watch) {
    this.watch = watch;
  }

  boolean watching() {
    return watch != null && watch.watching();
  }

  /**
   * The server this JVM started again, in place of the one it started before, if any: that one's
   * library object still holds the data folder's lock, which the new start takes, so it is closed
   * first ({@link #forgetStopped}).
   */
  void restarted(EmbeddedPostgres again) {
    server = again;
  }

  /** Lets go of the library object of a server that has stopped (its lock of the data folder). */
  void forgetStopped() throws IOException {
    if (server != null) {
      EmbeddedPostgres stopped = server;
      server = null;
      stopped.close();   // pg_ctl stop finds no server; the lock is released
    }
  }

  /**
   * Lets go of this JVM's share and stops the server if no other process holds one. Called with
   * the folder's start lock held, so that no process joins meanwhile.
   *
   * @return the server this JVM started, left running because another process still uses it
   */
  Optional<EmbeddedPostgres> leave() throws IOException {
    if (watch != null) {
      watch.close();
    }
    try {
      shared.release();
      FileLock alone = usersFile.tryLock();   // exclusive: refused while another process holds a share
      if (alone == null) {
        return Optional.ofNullable(server);
      }
      alone.release();
      stop();
      return Optional.empty();
    } finally {
      usersFile.close();
    }
  }

  private void stop() throws IOException {
    if (server != null) {
      server.close();   // pg_ctl stop -m fast, and the library's lock of the data folder
      return;
    }
    stopStartedElsewhere(home.resolve("postgres"));
  }

  /**
   * Stops a server another process started (and has left), as {@code pg_ctl stop -m fast} does:
   * SIGINT to the postmaster named in its {@code postmaster.pid}, then waits for it to exit.
   */
  private static void stopStartedElsewhere(Path dataDirectory) throws IOException {
    Optional<ProcessHandle> postmaster = PostmasterPid.knownServer(dataDirectory);
    if (postmaster.isEmpty()) {
      return;   // stopped (or killed) already
    }
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.get().pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      kill.waitFor();
      postmaster.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Still shutting down (a long checkpoint): PostgreSQL finishes on its own.
    }
  }
}
