package dev.heartlog.cli;

import dev.heartlog.agent.HeartlogAgent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The task each of a wrapped worker's lines is filed under, and the changes of the worker's
 * current task its lines make. Both streams' threads call it, one line at a time.
 */
final class LineTasks {

  private final HeartlogAgent agent;
  /** Records the lines the streams' tracebacks hold, before the task changes. */
  private final Runnable releaseHeldLines;
  /** Lines of stdout and stderr change the current task one at a time. */
  private final Object lock = new Object();
  /** The last changes of the current task, by when their lines were read; under {@link #lock}. */
  private final TaskChanges taskChanges = new TaskChanges();
  /** The task each process of a worker's pool runs now, by the lines that say so (Celery's); under {@link #lock}. */
  private final Map<String, String> processTasks = new HashMap<>();
  /**
   * The tasks begun and not yet ended by lines of {@link ChildLineParser.TaskScope#CONCURRENT},
   * the one begun last at the end; at most {@value #MOST_RUNNING}, the oldest forgotten first
   * (a task whose end was never printed); under {@link #lock}.
   */
  private final List<String> runningTasks = new ArrayList<>();

  /** More tasks at once than a worker runs: arq runs 10 unless told otherwise. */
  private static final int MOST_RUNNING = 1_000;

  /**
   * @param agent whose current task the lines change
   * @param releaseHeldLines records what the streams hold (a line waiting for a traceback), so
   *     that it is filed before a change of task
   */
  LineTasks(HeartlogAgent agent, Runnable releaseHeldLines) {
    this.agent = agent;
    this.releaseHeldLines = releaseHeldLines;
  }

  /**
   * When the line that began {@code task} was read ({@link System#nanoTime()}), where it is the
   * current task and was begun by a line; empty otherwise.
   */
  OptionalLong begun(String task) {
    synchronized (lock) {
      return task.equals(agent.currentTask()) ? taskChanges.lastReadNanos() : OptionalLong.empty();
    }
  }

  /**
   * A line as it arrives: a line naming a task makes it current for the lines that follow, until
   * an end marker; for the lines of its process only, where the line says so ({@link
   * ChildLineParser.TaskScope}), and the worker's current task is then the one a process began
   * last. The line keeps the task and the time it came with, for Tracebacks may record it a
   * moment later: the time it was read ({@code readNanos}, of {@link System#nanoTime()}), unless
   * it names its own, and the task current then ({@link TaskChanges}).
   */
  Tracebacks.Line arrive(ChildLineParser.Parsed line, long readNanos, WorkerStream.StreamTimes times) {
    synchronized (lock) {
      long now = System.nanoTime();
      String task = switch (line.scope()) {
        case CURRENT -> currentTask(line, readNanos);
        case PROCESS -> processTask(line, readNanos);
        case CONCURRENT -> concurrentTask(line, readNanos);
        case LINE -> line.task();
      };
      Instant at = line.time() != null ? line.time()
          : times.after(wallTimeOf(readNanos));
      return new Tracebacks.Line(at, line.level(), line.message(), task, line.metadata(), now, line.ownLevel());
    }
  }

  /**
   * The wall-clock time of a reading of {@link System#nanoTime()} in the past: the two clocks read
   * side by side. Read apart, with the line's task found between them, a thread paused there
   * (another thread's turn on a busy machine) moved the line that much later: 2 ms, it seems, in
   * 1 of 6 runs of a {@code RunCommandTest}, past the line of the other stream it was written
   * before; none in 10 runs since.
   */
  private static Instant wallTimeOf(long nanos) {
    long now = System.nanoTime();
    Instant wall = Instant.now();
    return wall.minusNanos(Math.max(0, now - nanos));
  }

  private String currentTask(ChildLineParser.Parsed line, long readNanos) {
    String current = agent.currentTask();
    if (taskChanges.madeSince(readNanos)) {
      // Read before a line of the other stream that changed the task, and parsed after it (a
      // failure logged on stderr just before the next task's start on stdout): the task it names,
      // or the one current when it was read, and it changes none.
      return line.task() != null ? line.task() : taskChanges.at(readNanos, current);
    }
    if (line.endsTask() && line.task() != null && current != null && !line.task().equals(current)) {
      // The end of a task that is no longer the current one, read after the next one's start (RQ
      // prints a job's start on stdout, its failure on stderr): that task's line, and no end of
      // the current one.
      return line.task();
    }
    if (line.task() != null && !line.task().equals(agent.currentTask())) {
      startTask(line.task(), readNanos);
    }
    String task = line.task() != null ? line.task() : agent.currentTask();
    if (line.endsTask()) {
      endTask(readNanos);
    }
    return task;
  }

  /**
   * As {@link #currentTask}; and where the line ends the current task while others it began
   * still run, the one of them begun last is current again: the lines that follow are its (an arq
   * job's, after a job begun after it ended), where they were no task's.
   */
  private String concurrentTask(ChildLineParser.Parsed line, long readNanos) {
    if (line.task() != null) {
      runningTasks.remove(line.task());
      if (!line.endsTask()) {
        runningTasks.add(line.task());
        if (runningTasks.size() > MOST_RUNNING) {
          runningTasks.remove(0);
        }
      }
    }
    String task = currentTask(line, readNanos);
    if (line.endsTask() && agent.currentTask() == null && !runningTasks.isEmpty()) {
      startTask(runningTasks.get(runningTasks.size() - 1), readNanos);
    }
    return task;
  }

  private String processTask(ChildLineParser.Parsed line, long readNanos) {
    String process = processOf(line.metadata());
    String task = line.task() != null ? line.task() : processTasks.get(process);
    if (task == null) {
      return null;
    }
    if (line.endsTask()) {
      processTasks.remove(process);
      if (task.equals(agent.currentTask())) {
        endTask(readNanos);
      }
    } else if (!task.equals(processTasks.put(process, task))) {
      startTask(task, readNanos);
    }
    return task;
  }

  /**
   * Which of a pool's workers printed a line: its {@code process}, else its {@code thread}, else
   * its {@code pid} (a Huey consumer's worker is a thread or a process, and its lines print one).
   */
  private static String processOf(Map<String, Object> metadata) {
    Object process = metadata.get("process");
    if (process == null) {
      process = metadata.get("thread");
    }
    return String.valueOf(process != null ? process : metadata.get("pid"));
  }

  private void startTask(String task, long readNanos) {
    releaseHeldLines.run();
    taskChanges.changed(readNanos, agent.currentTask());
    agent.startTask(task);
  }

  private void endTask(long readNanos) {
    releaseHeldLines.run();
    taskChanges.changed(readNanos, agent.currentTask());
    agent.endTask();
  }
}
