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
      "\\[(?<level>[DIWEC]) (?:\\d{6} \\d\\d:\\d\\d:\\d\\d (?<module>[^\\s:\\]]+):(?<line>\\d{1,9})"
          + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (?<name>[^\\s\\]]+))\\] (?<message>.*)");

  /** NeMo's: its name, the level's letter, the date and time, the module and line. */
  private static final Pattern NEMO_LINE = Pattern.compile(
      "\\[NeMo (?<level>[DIWEC]) \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (?<module>[^\\s:\\]]+):(?<line>\\d{1,9})\\] (?<message>.*)");

  /** Optuna's: the level's letter and the date and time to the millisecond, in brackets. */
  private static final Pattern OPTUNA_LINE = Pattern.compile(
      "\\[(?<level>[DIWEC]) \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\] (?<message>.*)");

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
    boolean nemo = line.startsWith(NEMO);
    int letter = nemo ? NEMO.length() : 1;
    if (line.length() < 20 || line.charAt(0) != '[' || line.charAt(letter + 1) != ' ' || "DIWEC".indexOf(line.charAt(letter)) < 0) {
      return null;
    }
    boolean optuna = !nemo && line.length() > 28 && line.charAt(22) == ',' && line.charAt(26) == ']';
    Matcher matcher = (nemo ? NEMO_LINE : optuna ? OPTUNA_LINE : LINE).matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.letterLevel(matcher.group("level").charAt(0));
    if (!optuna) {   // Optuna's names no module or logger
      if (matcher.group("module") != null) {
        metadata.put("logger", matcher.group("module"));
        metadata.put("line", Integer.parseInt(matcher.group("line")));
      } else {
        metadata.put("logger", matcher.group("name"));
      }
    }
    if (nemo) {
      metadata.put("component", "NeMo");
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
