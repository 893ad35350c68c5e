package dev.heartlog.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Whether the kernel's out-of-memory killer ended the worker: the count of its kills in heartlog
 * run's memory cgroup (the container's, or a systemd service's), read as the worker starts and
 * again once it is killed by SIGKILL. Exit code 137 alone says only "SIGKILL"; in a container it
 * is most often the memory limit, and a GPU worker that loads a model into the host's memory hits
 * it. cgroup v2 counts in {@code memory.events}, v1 in {@code memory.oom_control} (kernel 4.13 and
 * later); elsewhere, or where neither can be read, nothing is said.
 */
final class OutOfMemoryKills {

  private final Path counter;
  private final Path limit;
  private final long before;
  /** The count up to which kills have been told, by {@link #sinceLastAsked()} or {@link #unclaimed()}. */
  private long seen;
  /** The count {@link #unclaimed()} read last. */
  private long observed;
  /**
   * Kills {@link #unclaimed()} told: each came at least a call before the worker's end, while it
   * went on, so none of them is what ended it.
   */
  private long toldWhileRunning;

  private OutOfMemoryKills(Path counter, Path limit, long before) {
    this.counter = counter;
    this.limit = limit;
    this.before = before;
    this.seen = before;
    this.observed = before;
  }

  /** The counter of this process's memory cgroup as it is now; empty where there is none to read. */
  static Optional<OutOfMemoryKills> now() {
    return now(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
  }

  // Visible for testing: another process's cgroup file and another mount.
  static Optional<OutOfMemoryKills> now(Path cgroupFile, Path mount) {
    try {
      for (String line : Files.readAllLines(cgroupFile)) {
        String[] fields = line.split(":", 3);   // hierarchy-id:controllers:path
        if (fields.length < 3) {
          continue;
        }
        Optional<OutOfMemoryKills> found = fields[0].equals("0") && fields[1].isEmpty()
            ? at(mount, fields[2], "memory.events", "memory.max")
            : List.of(fields[1].split(",")).contains("memory")
                ? at(mount.resolve("memory"), fields[2], "memory.oom_control", "memory.limit_in_bytes")
                : Optional.empty();
        if (found.isPresent()) {
          return found;
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // No cgroup to read here: nothing is said.
    }
    return Optional.empty();
  }

  /**
   * The counter in the cgroup's folder under {@code root}; else at {@code root} itself, where a
   * container sees its own cgroup, though {@code /proc/self/cgroup} names the host's path.
   */
  private static Optional<OutOfMemoryKills> at(Path root, String cgroup, String counterFile, String limitFile) {
    for (Path folder : List.of(root.resolve(cgroup.replaceFirst("^/", "")), root)) {
      Path counter = folder.resolve(counterFile);
      OptionalLong kills = kills(counter);
      if (kills.isPresent()) {
        return Optional.of(new OutOfMemoryKills(counter, folder.resolve(limitFile), kills.getAsLong()));
      }
    }
    return Optional.empty();
  }

  /** The {@code oom_kill} line of a counter file. */
  private static OptionalLong kills(Path counter) {
    try {
      for (String line : Files.readAllLines(counter)) {
        if (line.startsWith("oom_kill ")) {
          return OptionalLong.of(Long.parseLong(line.substring("oom_kill ".length()).trim()));
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // Not this cgroup's file.
    }
    return OptionalLong.empty();
  }

  /**
   * What to add to the record of a worker killed by SIGKILL when the out-of-memory killer killed
   * a process of this cgroup since {@link #now()}, the kills told while the worker went on left
   * out; empty otherwise. A kill a shell reported counts: a start script whose last command was
   * killed exits with that command's code, 137.
   */
  synchronized Optional<String> since() {
    OptionalLong after = kills(counter);
    if (after.isEmpty()) {
      return Optional.empty();
    }
    long kills = after.getAsLong() - before - toldWhileRunning;
    return kills <= 0 ? Optional.empty() : Optional.of(saying(kills));
  }

  /**
   * As {@link #since()}, for a command of the worker's that a shell reports {@code Killed}: what
   * to add to that report when the out-of-memory killer killed a process of this cgroup since the
   * last time this was asked, so that each kill is told once.
   */
  synchronized Optional<String> sinceLastAsked() {
    OptionalLong after = kills(counter);
    if (after.isEmpty() || after.getAsLong() <= seen) {
      return Optional.empty();
    }
    long kills = after.getAsLong() - seen;
    seen = after.getAsLong();
    return Optional.of(saying(kills));
  }

  /**
   * What to say of kills that no shell's report told ({@link #sinceLastAsked()}) from one call to
   * the next: kills counted at the call before this one and still untold. A kill waits one call
   * so that the report of the command it ended, which a shell writes as it sees it, tells it
   * first, with that command. Empty when there are none.
   */
  synchronized Optional<String> unclaimed() {
    OptionalLong count = kills(counter);
    if (count.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> said = Optional.empty();
    if (observed > seen) {
      said = Optional.of(counted(observed - seen));
      toldWhileRunning += observed - seen;
      seen = observed;
    }
    observed = Math.max(observed, count.getAsLong());
    return said;
  }

  /**
   * What to say, once the worker has exited and its output has been read (so a shell's report
   * told the kills it saw), of kills nothing told: every one counted and not told, without the
   * call's wait of {@link #unclaimed()}. A process of the worker's killed in its last two seconds
   * (a data loader killed, and the worker failing on it at once) is told so. Empty when there are none.
   */
  synchronized Optional<String> untold() {
    OptionalLong count = kills(counter);
    long now = Math.max(observed, count.orElse(observed));
    if (now <= seen) {
      return Optional.empty();
    }
    String said = counted(now - seen);
    seen = now;
    observed = now;
    return Optional.of(said);
  }

  /**
   * Calls {@code killed}, every {@code period}, with what to say of the kills no shell's report
   * told ({@link #unclaimed()}): a worker's own process the killer ended while the worker goes on
   * (a data loader's, a render's child), which nothing else says. Only while {@code workerRuns}:
   * a kill of the worker itself is its exit's record's to tell. Until the returned action runs.
   */
  Runnable watch(Duration period, BooleanSupplier workerRuns, Consumer<String> killed) {
    ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "heartlog-run-out-of-memory-kills");
      thread.setDaemon(true);
      return thread;
    });
    checks.scheduleWithFixedDelay(() -> {
      if (workerRuns.getAsBoolean()) {
        unclaimed().ifPresent(killed);
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return checks::shutdownNow;
  }

  private String saying(long kills) {
    return "; the kernel's out-of-memory killer ended it: " + counted(kills);
  }

  private String counted(long kills) {
    return "its memory cgroup" + limitText() + " counted " + kills + " more OOM kill" + (kills == 1 ? "" : "s") + " ("
        + counter + ")";
  }

  private String limitText() {
    try {
      long bytes = Long.parseLong(Files.readString(limit).trim());
      return bytes >= Long.MAX_VALUE / 2 ? "" : ", limited to " + bytes / (1024 * 1024) + " MiB,";
    } catch (IOException | RuntimeException noLimit) {
      return "";   // "max" in cgroup v2, or nothing to read
    }
  }
}
