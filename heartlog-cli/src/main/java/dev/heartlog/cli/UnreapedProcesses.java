package dev.heartlog.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * heartlog run as a container's first process (PID 1: the image's {@code ENTRYPOINT}, with no
 * init in front of it).
 *
 * <p>A process whose parent exits before it (a launcher's children, a shell's background job, a
 * double fork) becomes PID 1's, and when it exits, PID 1 must collect its exit status. The JVM
 * collects only the processes it started itself: the rest stay in the process table as zombies,
 * each holding a process id until the container ends, and a worker that leaves one behind per
 * task runs into the container's pids limit after enough tasks ({@code fork: Resource
 * temporarily unavailable}). heartlog run cannot collect them. It looks for them every
 * {@link #PERIOD} while the worker runs and, at the first, says so once, with what does collect
 * them: an init in front of heartlog run.
 */
final class UnreapedProcesses implements AutoCloseable {

  static final Duration PERIOD = Duration.ofSeconds(2);

  private final ScheduledExecutorService checks;

  private UnreapedProcesses(ScheduledExecutorService checks) {
    this.checks = checks;
  }

  /**
   * Starts looking where this process is PID 1; elsewhere the system's init collects them and
   * this does nothing.
   *
   * @param worker the worker's own process, which the JVM collects itself
   * @param found told the number of processes waiting to be collected, once, at the first check
   *     that finds any
   */
  static UnreapedProcesses watch(ProcessHandle worker, IntConsumer found) {
    if (ProcessHandle.current().pid() != 1) {
      return new UnreapedProcesses(null);
    }
    ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "heartlog-run-unreaped-processes");
      thread.setDaemon(true);
      return thread;
    });
    checks.scheduleWithFixedDelay(() -> {
      int unreaped = count(worker.pid());
      if (unreaped > 0) {
        found.accept(unreaped);
        checks.shutdown();
      }
    }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return new UnreapedProcesses(checks);
  }

  /** This process's children that have exited and wait to be collected, the worker left out. */
  private static int count(long workerPid) {
    return (int) ProcessHandle.current().children()
        .filter(child -> child.pid() != workerPid && exited(child.pid()))
        .count();
  }

  /**
   * Whether the process is a zombie: state {@code Z} in {@code /proc/<pid>/stat}, the field after
   * the command's name in parentheses (which may itself hold spaces and parentheses).
   */
  static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int nameEnd = stat.lastIndexOf(')');
      return nameEnd >= 0 && nameEnd + 2 < stat.length() && stat.charAt(nameEnd + 2) == 'Z';
    } catch (IOException | RuntimeException gone) {
      return false;  // collected in the meantime, or no /proc
    }
  }

  /** What heartlog run says, on its stderr and as a WARNING record. */
  static String warning(int unreaped) {
    return unreaped + (unreaped == 1 ? " process" : " processes") + " the worker started and left behind "
        + (unreaped == 1 ? "has" : "have") + " exited and will stay in the process table (zombies, each holding a "
        + "process id until the container ends): heartlog run is the container's first process (PID 1) and, as "
        + "a Java program, cannot collect them. Start the container with an init in front of heartlog run: "
        + "docker run --init, init: true in Compose, shareProcessNamespace: true in a Kubernetes pod, or "
        + "tini -- heartlog run ... in the image";
  }

  @Override
  public void close() {
    if (checks != null) {
      checks.shutdownNow();
    }
  }
}
