package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Pattern;

/**
 * The lines wget prints on stderr as it downloads, a worker's model or input: the request, the
 * connection, the response, the length, where it saves, and that it saved. They name no level,
 * and each was a warning; its progress is {@link TerminalLines}'s, its {@code ERROR 404: Not
 * Found.} names its level. A failure (a connection refused, a name not resolved, a response of
 * 4xx or 5xx) matches none of these and keeps the stream's level.
 */
final class WgetLines {

  private static final Pattern INFO = Pattern.compile("--\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d--  \\S.*"
      + "|Resolving \\S+ \\(\\S+\\)\\.\\.\\. [0-9a-fA-F.:, ]+"
      + "|Connecting to .{1,300}\\.\\.\\. connected\\."
      + "|Reusing existing connection to \\S+\\."
      + "|HTTP request sent, awaiting response\\.\\.\\. [23]\\d\\d\\b.*"
      + "|Length: (?:\\d+|unspecified).*"
      + "|Location: \\S+ \\[following\\]"
      + "|Saving to: .+"
      + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\([^)]{1,30}\\) - .{1,4096} saved \\[\\d+(?:/\\d+)?\\]");

  private WgetLines() {}

  /**
   * One of wget's lines at info: INFO by its shape, {@code component} {@code wget}; a line read
   * with it keeps the stream's level. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 10 || "-RCHLS2".indexOf(line.charAt(0)) < 0 || !INFO.matcher(line).matches()) {
      return null;
    }
    metadata.put("component", "wget");
    return new ChildLineParser.Parsed(Level.INFO, line, null, metadata, false, null, ChildLineParser.TaskScope.CURRENT,
        false, true, true);
  }
}
