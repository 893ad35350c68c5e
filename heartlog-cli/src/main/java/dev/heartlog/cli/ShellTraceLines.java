package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * The lines a shell's trace writes to stderr ({@code set -x}, which a worker's entrypoint script
 * often sets with {@code set -euxo pipefail}): each command as it runs, after {@code PS4}'s
 * {@code +}, one more for each level of a command's substitution ({@code + ffmpeg -i in.mp4
 * out.mp4}, {@code ++ date +%s}). Each was a warning, as any stderr line naming no level, and one
 * echoing a word such as "error" an ERROR.
 */
final class ShellTraceLines {

  /** The {@code kind} of a trace's line in its record's metadata. */
  static final String KIND = "xtrace";

  private ShellTraceLines() {}

  /**
   * A line of a shell's trace: INFO, as printed, with {@code kind} {@code xtrace}, so that {@code
   * heartlog logs --meta kind=xtrace} finds them. It never ends a task: the traced command's
   * output, the line after it, is the worker's word. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    int plus = 0;
    while (plus < line.length() && line.charAt(plus) == '+') {
      plus++;
    }
    if (plus == 0 || plus > 8 || line.length() < plus + 2 || line.charAt(plus) != ' ' || line.charAt(plus + 1) == ' ') {
      return null;
    }
    metadata.put("kind", KIND);
    return new ChildLineParser.Parsed(Level.INFO, line, null, metadata, false);
  }
}
