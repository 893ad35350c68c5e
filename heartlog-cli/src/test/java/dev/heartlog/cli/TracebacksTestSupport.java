package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's lines given to {@link Tracebacks} one at a time, as {@code heartlog run}'s reading
 * thread gives them, and what it recorded: for {@link TracebacksTest} and {@link StackTracesTest}.
 */
abstract class TracebacksTestSupport {

  static final long QUIET = 200;

  /** What was recorded: level, message, task, time (seconds), exception or "-". */
  final List<String> recorded = new ArrayList<>();
  /** Each record's metadata but its exception, in the same order. */
  final List<Map<String, Object>> recordedMetadata = new ArrayList<>();
  final Tracebacks tracebacks = new Tracebacks((at, level, message, task, metadata) -> {
    recorded.add(level + " " + message + " " + task + " " + at.getEpochSecond() + " " + metadata.getOrDefault("exception", "-"));
    Map<String, Object> others = new HashMap<>(metadata);
    others.remove("exception");
    recordedMetadata.add(others);
  }, QUIET, 10_000);
  /** The record's time in seconds, and the arrival's in nanoseconds: one apart a line, unless paused. */
  long now;
  long nanos;

  /** A line arriving now, at the level the parser gave it, in task t-1. */
  void print(Level level, String text) {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), level, text, "t-1", Map.of("stream", "stderr"), nanos),
        text);
    now++;
    nanos++;
  }

  /**
   * A line of a record of several lines, as a {@link RecordsOfLines} reader marks it: {@code
   * continuesRecord}, a further line of the record of the line before it; {@code moreFollows},
   * more lines of its record follow.
   */
  void printOfRecord(Level level, String text, boolean continuesRecord, boolean moreFollows) {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), level, text, "t-1", Map.of("stream", "stderr"), nanos),
        text, continuesRecord, moreFollows);
    now++;
    nanos++;
  }

  /** The worker prints nothing for a while. */
  void pause(long pauseNanos) {
    nanos += pauseNanos;
  }

  /** A further line of a held record's message, as WorkerLines gives it: taken unless it may begin a stack trace. */
  boolean furtherLine(String text) {
    boolean taken = tracebacks.furtherLine(
        new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, "t-1", Map.of("stream", "stderr"), nanos), text);
    now++;
    nanos++;
    return taken;
  }

  /** A line that names its own level (a logger's WARNING), arriving now in task t-1. */
  void printOwn(Level level, String text) {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), level, text, "t-1", Map.of("stream", "stderr"), nanos,
        true), text);
    now++;
    nanos++;
  }
}
