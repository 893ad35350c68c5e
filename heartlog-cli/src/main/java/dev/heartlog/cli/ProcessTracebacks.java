package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream's {@link Tracebacks}, one for the lines that name no process and one for each
 * process that puts its name in front of its lines ({@code [rank1]: }, {@code (pid=4243) }): the
 * processes of a distributed run that crash at once print their tracebacks on the one stream,
 * their lines interleaved, and each is read apart. Before, each process's line ended the other's
 * traceback, and two crashes were two errors of their first lines and warnings of the rest.
 *
 * <p>The processes seen last are kept, {@link #MOST_PROCESSES} of them; a process's that is let go
 * records what it held. Lines come from the stream's reading thread; {@link #tick} and {@link
 * #releaseHeld} from others.
 */
final class ProcessTracebacks {

  /** How many processes' tracebacks are kept apart: a node's GPUs, and more. */
  static final int MOST_PROCESSES = 16;

  private final Tracebacks.Sink sink;
  private final long quietNanos;
  private final int maxChars;
  private final Tracebacks unnamed;
  // Guarded by itself; in the order the processes printed last, the oldest first.
  private final LinkedHashMap<String, Tracebacks> byProcess = new LinkedHashMap<>(16, 0.75f, true);

  ProcessTracebacks(Tracebacks.Sink sink, long quietNanos, int maxChars) {
    this.sink = sink;
    this.quietNanos = quietNanos;
    this.maxChars = maxChars;
    this.unnamed = new Tracebacks(sink, quietNanos, maxChars);
  }

  /** The tracebacks of the lines that name no process. */
  Tracebacks unnamed() {
    return unnamed;
  }

  /** The tracebacks of a process's lines, the process named in front of them. */
  Tracebacks of(String process) {
    Tracebacks evicted = null;
    Tracebacks tracebacks;
    synchronized (byProcess) {
      tracebacks = byProcess.get(process);
      if (tracebacks == null) {
        tracebacks = new Tracebacks(sink, quietNanos, maxChars);
        byProcess.put(process, tracebacks);
        if (byProcess.size() > MOST_PROCESSES) {
          Map.Entry<String, Tracebacks> oldest = byProcess.entrySet().iterator().next();
          evicted = oldest.getValue();
          byProcess.remove(oldest.getKey());
        }
      }
    }
    if (evicted != null) {
      evicted.end();
    }
    return tracebacks;
  }

  /** A read of the stream begins or ends ({@link Tracebacks#reading(boolean, long, boolean)}). */
  void reading(boolean reading, long nowNanos, boolean midLine) {
    for (Tracebacks tracebacks : all()) {
      tracebacks.reading(reading, nowNanos, midLine);
    }
  }

  void tick(long nowNanos) {
    for (Tracebacks tracebacks : all()) {
      tracebacks.tick(nowNanos);
    }
  }

  void releaseHeld() {
    for (Tracebacks tracebacks : all()) {
      tracebacks.releaseHeld();
    }
  }

  /** The stream ended: records everything held. */
  void end() {
    for (Tracebacks tracebacks : all()) {
      tracebacks.end();
    }
  }

  private List<Tracebacks> all() {
    List<Tracebacks> all = new ArrayList<>();
    all.add(unnamed);
    synchronized (byProcess) {
      all.addAll(byProcess.values());
    }
    return all;
  }
}
