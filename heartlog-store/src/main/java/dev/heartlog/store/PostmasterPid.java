package dev.heartlog.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postmaster.pid} an embedded server keeps in its data folder while it runs: its
 * process number on line 1, its port on line 4. A server that died with its machine or container
 * leaves it behind.
 */
final class PostmasterPid {

  private PostmasterPid() {}

  /**
   * Reads the port of a live server from its {@code postmaster.pid} (line 4), if the process
   * named on line 1 is {@linkplain #isServer a live server}.
   */
  static Optional<Integer> runningServerPort(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      boolean alive = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(PostmasterPid::isServer).isPresent();
      return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code process}, named by a {@code postmaster.pid}, is alive and may be the server
   * that wrote it: not when it is known to run another program. After a restart of the machine
   * or container, the number of a server that died with it may be any process's now, even a
   * thread's of this JVM (Linux answers for a thread's number as for a process's); taken for
   * the server, every command tried to join it on its old port and failed.
   */
  static boolean isServer(ProcessHandle process) {
    return process.isAlive() && process.info().command()
        .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
        .orElse(true);   // not ours to read: the server it may be is left alone
  }

  /**
   * Removes the {@code postmaster.pid} of a server that no longer runs, noting it in the server's
   * log: PostgreSQL refuses to start while a process of its user has the number the file names,
   * whatever that process is now. Called with the start lock held.
   */
  static void removeIfStale(Path dataDirectory, Path log) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (Files.isRegularFile(pidFile) && runningServerPort(dataDirectory).isEmpty()) {
      String pid = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      Files.delete(pidFile);
      EmbeddedStore.note(log, "removed postmaster.pid, left by a server that no longer runs (process " + pid
          + " has ended, or runs another program now)");
    }
  }

  /**
   * The server process its {@code postmaster.pid} names, if {@linkplain #isServer alive} and
   * known to be a server: for a signal, which a number the system has given to another process
   * since a server was killed must never get.
   */
  static Optional<ProcessHandle> knownServer(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
          .filter(process -> isServer(process) && process.info().command().isPresent());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
