package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * One stream's reader for a tool whose record may be several lines, each written apart (npm's
 * error, git's hints, the {@code java} launcher's error and why, vLLM's lines ended with {@code
 * \r\n}): a record of each line, and what the line is of its record, which {@link WorkerLines}
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

  /** The metadata of a line of the tool {@code component}'s, on {@code stream}. */
  static RecordMetadata metadata(String stream, String component) {
    RecordMetadata metadata = new RecordMetadata(2);
    metadata.put("stream", stream);
    metadata.put("component", component);
    return metadata;
  }
}
