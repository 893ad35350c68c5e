package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * The level a line of one stream takes when it names none. Usually the stream's ({@code
 * --stderr-level}, WARNING for stderr); but a line read in the same read as a record of a lower
 * level, right after it, is the rest of that record's message: Python's {@code logging} writes
 * {@code log.info("config:\n  model=wan2.1")} to stderr in one write, and its second line was
 * stored as a WARNING. Such a line takes the record's level. Never a higher one: an ERROR's
 * further lines stay at the stream's level, as a WARNING's do, so fleet health counts no more
 * problems than before. A line of a later read (the worker's next write, unless it outran the
 * reading) takes the stream's level again.
 */
final class MessageLines {

  private final Level streamDefault;
  private Level previous;
  private long previousRead;

  MessageLines(Level streamDefault) {
    this.streamDefault = streamDefault;
  }

  /** The stream's level, of a line that names none and continues no record. */
  Level streamDefault() {
    return streamDefault;
  }

  /** The level of a line of read number {@code read} that names none of its own. */
  Level defaultLevel(long read) {
    boolean sameWrite = previous != null && read == previousRead;
    return sameWrite && !previous.isAtLeast(streamDefault) ? previous : streamDefault;
  }

  /**
   * Whether a line of read number {@code read} that names no level comes right after another line
   * in the same read: maybe the rest of that line's record's message, which Tracebacks joins to it
   * where that line was a logger's ({@code log.exception("shot 12 failed\n  model=wan2.1")}). Each
   * such line was a record of its own: a warning for an ERROR's, and the traceback after it an
   * error of its own, three problems for one failure.
   */
  boolean continuesRecord(long read) {
    return previous != null && read == previousRead;
  }

  /** The line of read number {@code read} was recorded at {@code level}. */
  void took(Level level, long read) {
    previous = level;
    previousRead = read;
  }
}
