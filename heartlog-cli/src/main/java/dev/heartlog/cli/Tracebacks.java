package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a Python traceback one record, as the seed's Python worker stores it: the lines from
 * {@code Traceback (most recent call last):} to the exception line go into the record's
 * {@code exception}, the exception line is its message, and it is an ERROR. A traceback right
 * after a line naming ERROR or CRITICAL (what {@code logging.exception} prints) goes into that
 * line's record instead of one of its own, so one failure is one error. Chained exceptions
 * ("During handling of the above exception, ...") are one traceback, whose message is the last
 * exception line. A blank line outside a traceback is no record at all.
 *
 * <p>For that, a line naming ERROR or CRITICAL is held until the next line comes or the stream
 * has been quiet for {@code quietNanos} ({@link #tick}), and a traceback until the line after its
 * exception line: their records keep the time and the task of their arrival. Other lines are
 * recorded at once. One instance reads one stream; {@link #tick} and {@link #releaseHeld} come
 * from other threads.
 */
final class Tracebacks {

  static final String START = "Traceback (most recent call last):";

  /** What Python prints between the tracebacks of chained exceptions. */
  private static final Set<String> CHAINED = Set.of(
      "During handling of the above exception, another exception occurred:",
      "The above exception was the direct cause of the following exception:");

  /** A line as it arrived: its record, the moment, and the task it was filed under then. */
  record Line(Instant at, Level level, String message, String task, Map<String, Object> metadata, long arrivedNanos) {}

  /** Where the records go. */
  interface Sink {
    void record(Instant at, Level level, String message, String task, Map<String, Object> metadata);
  }

  private final Sink sink;
  private final long quietNanos;
  private final int maxChars;

  private Line held;                      // an ERROR line, not recorded yet
  private List<String> traceback;         // the traceback being read, from its first line
  private Line tracebackStart;            // the line "Traceback (most recent call last):"
  private Line owner;                     // the ERROR line it belongs to, if any
  private boolean framesSeen;
  private boolean afterException;         // the exception line came: a chained traceback may follow
  private String exceptionLine;           // the last exception line, the record's message
  private int tracebackChars;
  private long lastNanos;

  Tracebacks(Sink sink, long quietNanos, int maxChars) {
    this.sink = sink;
    this.quietNanos = quietNanos;
    this.maxChars = maxChars;
  }

  synchronized void line(Line line, String text) {
    lastNanos = line.arrivedNanos();
    if (traceback != null) {
      boolean fits = tracebackChars + text.length() <= maxChars;
      if (!afterException) {
        boolean frame = !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
        if (frame && fits) {
          add(text);
          framesSeen = true;
          return;
        }
        if (!frame && framesSeen && !text.isBlank() && fits) {
          add(text);   // the exception line, "RuntimeError: CUDA out of memory"; a chained one may follow
          exceptionLine = text;
          afterException = true;
          return;
        }
      } else if (fits && (text.isBlank() || CHAINED.contains(text))) {
        add(text);
        return;
      } else if (fits && text.equals(START)) {
        add(text);     // the next exception of the chain: the last one printed is the message
        afterException = false;
        framesSeen = false;
        return;
      }
      recordTraceback();   // what follows is a line of its own
    }
    if (text.equals(START)) {
      owner = held;
      held = null;
      traceback = new ArrayList<>();
      tracebackStart = line;
      framesSeen = false;
      afterException = false;
      exceptionLine = null;
      tracebackChars = 0;
      add(text);
      return;
    }
    release();
    if (text.isBlank()) {
      return;   // says nothing: not a record (on stderr it was an empty warning)
    }
    if (line.level().isAtLeast(Level.ERROR)) {
      held = line;
    } else {
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
  }

  /**
   * Records the held line now: the current task is about to change, and a held line without a
   * task would otherwise be filed under the next one.
   */
  synchronized void releaseHeld() {
    release();
  }

  /** Records what has waited for a quiet period. */
  synchronized void tick(long nowNanos) {
    if (nowNanos - lastNanos < quietNanos) {
      return;
    }
    if (traceback != null) {
      recordTraceback();
    }
    release();
  }

  /** The stream ended: records everything held. */
  synchronized void end() {
    if (traceback != null) {
      recordTraceback();
    }
    release();
  }

  private void add(String text) {
    traceback.add(text);
    tracebackChars += text.length() + 1;
  }

  private void release() {
    if (held != null) {
      sink.record(held.at(), held.level(), held.message(), held.task(), held.metadata());
      held = null;
    }
  }

  private void recordTraceback() {
    while (traceback.get(traceback.size() - 1).isBlank()) {
      traceback.remove(traceback.size() - 1);   // blank lines after the last exception line
    }
    RecordMetadata metadata = new RecordMetadata(4);
    Line line = owner != null ? owner : tracebackStart;
    metadata.putAll(line.metadata());
    metadata.put("exception", String.join("\n", traceback));
    if (owner != null) {
      sink.record(owner.at(), owner.level(), owner.message(), owner.task(), metadata);
    } else {
      Level level = line.level().isAtLeast(Level.ERROR) ? line.level() : Level.ERROR;
      sink.record(line.at(), level, exceptionLine != null ? exceptionLine : START, line.task(), metadata);
    }
    traceback = null;
    tracebackStart = null;
    owner = null;
  }
}
