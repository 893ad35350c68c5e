package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Tornado's log formatter, which a Tornado application (and what is built on it:
 * Jupyter's server, Dask's dashboard) logs through, on stderr: {@code [E 261203 14:44:44
 * web:1820] Uncaught exception GET /render/13 (127.0.0.1)}, the level's first letter, the time
 * and the module and line; and Jupyter Server's form of it, {@code [W 2026-12-03 14:45:19.838
 * ServerApp] 404 GET /api/contents/missing ...}, the logger's name in place of the module. Its
 * line of each request is at the level of the response: INFO, a WARNING for 4xx, an ERROR for
 * 5xx. Two GPU training tools log in forms of it: NVIDIA NeMo, whose formatter is Tornado's
 * with its name first and a whole date ({@code [NeMo W 2026-12-07 12:00:00 nemo_logging:349]
 * ...}), and Optuna, the level's letter and the time alone ({@code [I 2026-12-07
 * 12:00:00,123] Trial 0 finished with value: 0.5 ...}).
 */
final class TornadoLines {

  private static final Pattern LINE = Pattern.compile(
      "\\[(?<nemo>NeMo )?(?<level>[DIWEC]) (?:(?:\\d{6}|\\d{4}-\\d\\d-\\d\\d) \\d\\d:\\d\\d:\\d\\d (?<module>[^\\s:\\]]+):(?<line>\\d{1,9})"
          + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (?<name>[^\\s\\]]+)"
          + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})\\] (?<message>.*)");

  private static final String NEMO = "[NeMo ";

  private TornadoLines() {}

  /**
   * A line of Tornado's formatter: its level (C is CRITICAL), the message after the brackets,
   * and the module as the record's {@code logger} with its {@code line}, or Jupyter's logger's
   * name as {@code logger}; NeMo's with {@code component} {@code NeMo}. Its time has no zone, so the record keeps the time the line came.
   * Before, every line was a warning, an uncaught exception's too. A traceback below an error
   * is indented by the formatter and joins its message. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int letter = line.startsWith(NEMO) ? NEMO.length() : 1;
    if (line.length() < 20 || line.charAt(0) != '[' || line.charAt(letter + 1) != ' ' || "DIWEC".indexOf(line.charAt(letter)) < 0) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.letterLevel(matcher.group("level").charAt(0));
    if (matcher.group("module") != null) {
      metadata.put("logger", matcher.group("module"));
      metadata.put("line", Integer.parseInt(matcher.group("line")));
    } else if (matcher.group("name") != null) {
      metadata.put("logger", matcher.group("name"));
    }
    if (matcher.group("nemo") != null) {
      metadata.put("component", "NeMo");
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
