package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.LongSupplier;

/**
 * One stream's reader for a tool whose record may be several lines, each written apart (npm's
 * error, git's hints, the {@code java} launcher's error and why, vLLM's lines ended with {@code
 * \r\n}): a record of each line, and what the line is of its record, which {@link WorkerStream}
 * passes on to {@link Tracebacks#line(Tracebacks.Line, String, boolean, boolean)}. The lines are
 * then one record, its message their messages a line each, its level the most severe of theirs.
 * A record whose last line never comes ends at a quiet moment, as any held record does.
 *
 * <p>A reader remembers the stream's last lines: one instance for each stream.
 */
abstract class RecordsOfLines {

  /** Whether the line read last is a further line of the record of the line before it. */
  protected boolean continuesRecord;
  /** Whether more of the record of the line read last may follow it. */
  protected boolean moreFollows;

  /** Whether the line read last is a further line of the record of the line before it. */
  final boolean continuesRecord() {
    return continuesRecord;
  }

  /** Whether more of the record of the line read last may follow it. */
  final boolean moreFollows() {
    return moreFollows;
  }

  /** A record of a line of the tool {@code component}'s, on {@code stream}. */
  static ChildLineParser.Parsed record(Level level, String message, String stream, String component) {
    return new ChildLineParser.Parsed(level, message, null, metadata(stream, component), false);
  }

  /**
   * Whether a reader's record is open, and so may go on: from the line that opened it until its
   * last line, a line not its own, or a quiet moment after its last line, when {@link Tracebacks}
   * has recorded it and a line that would have gone on with it (a blank line, an indented one) is
   * no more of it.
   */
  static final class OpenRecord {

    private final LongSupplier nanoTime;
    private final long quietNanos;
    private boolean open;
    private long lastNanos;

    /** @param quietNanos how long after its last line a record may still go on */
    OpenRecord(LongSupplier nanoTime, long quietNanos) {
      this.nanoTime = nanoTime;
      this.quietNanos = quietNanos;
    }

    /** A line of the record was read now: it is open, and more of it may follow. */
    void goesOn() {
      open = true;
      lastNanos = nanoTime.getAsLong();
    }

    /** Its last line was read, or a line not its own. */
    void ends() {
      open = false;
    }

    /** Whether it is open and its last line came within the quiet period: the clock is read only while it is open. */
    boolean isOpen() {
      return open && nanoTime.getAsLong() - lastNanos <= quietNanos;
    }
  }

  /** The metadata of a line of the tool {@code component}'s, on {@code stream}. */
  static RecordMetadata metadata(String stream, String component) {
    RecordMetadata metadata = new RecordMetadata(2);
    metadata.put("stream", stream);
    metadata.put("component", component);
    return metadata;
  }
}
