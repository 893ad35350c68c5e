package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Go's loggers: its {@code log} package's ({@code 2026/11/29 18:38:07 message},
 * and {@code log/slog}'s default handler and rclone through it), and those its structured
 * loggers print for people, on a console: zerolog's {@code ConsoleWriter} ({@code 10:40AM INF
 * rendering frames=81 task_id=t-42}, its levels three letters) and zap's development logger
 * ({@code zap.NewDevelopment()}: {@code
 * 2026-12-03T10:40:35.507Z\tINFO\tgz/main.go:28\trendering\t{"task_id": "t-42"}},
 * tab-separated, its fields a JSON object). Their JSON lines are read as any structured line's.
 */
final class GoLoggerLines {

  /**
   * Go's {@code log} package: {@code 2026/11/29 18:38:07 message}, with {@code .123456} under
   * {@code Lmicroseconds} and {@code main.go:42: } under {@code Lshortfile} or {@code Llongfile}.
   */
  private static final Pattern GO_LOG = Pattern.compile(
      "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{6})? (?<rest>(?:(?<caller>\\S+\\.go:\\d+): )?(?<message>.*))");

  /**
   * zerolog's console line: the time (its default {@code 3:04PM}, or a format of the worker's
   * without spaces), the level in three letters, {@code main.go:27 >} where it was logged when
   * the worker asks for it, and the message with its fields after it.
   */
  private static final Pattern ZEROLOG = Pattern.compile(
      "(?<time>\\S*\\d:\\d\\d\\S*) (?<level>TRC|DBG|INF|WRN|ERR|FTL|PNC) (?:(?<caller>\\S+:\\d+) > )?(?<message>.*)");

  /**
   * zap's development line: the time (ISO 8601, its offset without a colon), the level, the
   * logger's name if it has one, where it was logged, the message, and the fields as JSON.
   */
  private static final Pattern ZAP = Pattern.compile(
      "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d))\t"
          + "(?<level>DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t(?:(?<logger>[^\t]+)\t)?(?<caller>[^\t\\s]+\\.go:\\d+)\t"
          + "(?<message>[^\t]*)(?:\t(?<fields>\\{.*}))?");

  private GoLoggerLines() {}

  /**
   * A zerolog console line: its level (TRC and DBG are DEBUG, FTL and PNC CRITICAL), the message
   * with its fields as printed, {@code caller} where it names one, and a {@code task_id} (or
   * {@code task}, {@code job_id}) field as its task, the current one from then on. The error
   * {@code Err} gave, which zerolog prints first of the fields ({@code error="service
   * unavailable"}), is the record's exception, as in zerolog's JSON lines, so that the store names
   * the error's kind by it, not by the message and every field's value. Null for a line in no
   * such format. Before, every line was its stream's level: a warning, on stderr.
   */
  static ChildLineParser.Parsed zerolog(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 12 || !LoggerFormats.startsWithDigit(line)) {
      return null;
    }
    Matcher matcher = ZEROLOG.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.threeLetterLevel(matcher.group("level"));
    if (matcher.group("caller") != null) {
      metadata.put("caller", matcher.group("caller"));
    }
    String message = matcher.group("message");
    String error = Logfmt.value(message, "error");
    if (error != null && !error.isBlank()) {
      metadata.put("exception", error);
    }
    return new ChildLineParser.Parsed(level, message, PrintedFields.task(message), metadata, endsTask.test(message),
        time(matcher.group("time")));
  }

  /**
   * A zap development line: its level (DPANIC, PANIC and FATAL are CRITICAL), the line's time, the
   * message, {@code caller} and the logger's name, and its fields into metadata, a {@code task_id}
   * among them the task. The stack zap prints below a warning or an error joins it ({@link
   * Tracebacks}). Null for a line in no such format.
   */
  static ChildLineParser.Parsed zap(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 30 || line.charAt(10) != 'T' || !LoggerFormats.startsWithDigit(line) || line.indexOf('\t') < 0) {
      return null;
    }
    Matcher matcher = ZAP.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Map<String, Object> fields = matcher.group("fields") == null ? null : StructuredLine.object(matcher.group("fields"));
    if (matcher.group("fields") != null && fields == null) {
      return null;   // a tab and braces, but no JSON object: not zap's
    }
    Level level = switch (matcher.group("level")) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    if (matcher.group("logger") != null) {
      metadata.put("logger", matcher.group("logger"));
    }
    metadata.put("caller", matcher.group("caller"));
    String task = fields == null ? null : PrintedFields.takeTask(fields);
    if (fields != null) {
      String error = StructuredLine.errorText(fields);
      if (error != null) {
        metadata.put("exception", error);   // as for zap's JSON lines: the stack below joins it
      }
      fields.forEach(metadata::putIfAbsent);
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, task, metadata, endsTask.test(message), time(matcher.group("time")));
  }

  /** The instant of a time with an offset ({@code +0100} as zap writes it too); null for one without. */
  private static Instant time(String text) {
    int length = text.length();
    if (length > 5 && (text.charAt(length - 5) == '+' || text.charAt(length - 5) == '-')
        && Character.isDigit(text.charAt(length - 1))) {
      text = text.substring(0, length - 2) + ":" + text.substring(length - 2);
    }
    return IsoTime.parse(text);
  }
  /**
   * A line of Go's {@code log} package. It writes every message to stderr and names no level, so
   * such a line is INFO unless it names one near its start ({@code [ERROR] ...}), or ends with a
   * failed call's error ({@code open /models/x.bin: no such file or directory}, an ERROR; {@link
   * ShellErrorLines#endsWithGoSystemError}); {@code
   * log/slog}'s default handler writes through it with the level first ({@code INFO frame
   * rendered frame=7}), and that word is the level and leaves the message; so is rclone's level,
   * padded and followed by a colon ({@link #PADDED_LEVEL}). The message is what
   * follows the time (local, no zone, so the record keeps the time the line came), and the
   * {@code file.go:42} of {@code Lshortfile} or {@code Llongfile} goes into {@code caller}.
   * asynq's logger ({@link #ASYNQ}) writes its prefix before the time, which is UTC, and its level
   * after it ({@code WARN: }): the prefix goes, with the pid in {@code pid} and {@code component}
   * {@code asynq}, and the record has the line's time; before, the prefix and the time stayed in
   * the message.
   */
  static ChildLineParser.Parsed goLog(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    String text = line;
    long asynqPid = -1;
    if (line.startsWith(ASYNQ)) {
      int space = line.indexOf(' ', ASYNQ.length());
      if (space <= ASYNQ.length() || space > ASYNQ.length() + 10
          || !line.substring(ASYNQ.length(), space).chars().allMatch(Character::isDigit)) {
        return null;
      }
      asynqPid = Long.parseLong(line.substring(ASYNQ.length(), space));
      text = line.substring(space + 1);
    }
    if (text.length() < 20 || text.charAt(4) != '/' || text.charAt(7) != '/' || !LoggerFormats.startsWithDigit(text)) {
      return null;
    }
    Matcher matcher = GO_LOG.matcher(text);
    if (!matcher.matches()) {
      return null;
    }
    Instant time = null;
    if (asynqPid >= 0) {
      metadata.put("component", "asynq");
      metadata.put("pid", asynqPid);
      time = utc(text.substring(0, matcher.start("rest") - 1));
    }
    if (matcher.group("caller") != null) {
      metadata.put("caller", matcher.group("caller"));
    }
    String message = matcher.group("message");
    int space = message.indexOf(' ');
    Matcher padded = message.indexOf(':') > 0 ? PADDED_LEVEL.matcher(message) : null;
    Level level;
    if (padded != null && padded.matches()) {
      level = LevelNames.syslogLevel(padded.group("level"));
      message = padded.group("message") == null ? "" : padded.group("message");
    } else if (space > 0 && (level = slogLevel(message.substring(0, space))) != null
        || space > 0 && (level = pythonLevel(message, space)) != null) {
      message = message.substring(space + 1);   // MLflow's "%(asctime)s %(levelname)s %(name)s: ...": pythonLevel
    } else {
      level = LevelNames.levelNamedNearStart(message);
    }
    if (level == null && ShellErrorLines.endsWithGoSystemError(message)) {
      level = Level.ERROR;   // a failed call's error: log.Fatalf("load model: %v", err), before the exit
    }
    return new ChildLineParser.Parsed(level == null ? Level.INFO : level, message, null, metadata,
        endsTask.test(message), time);
  }

  /**
   * The prefix asynq, Go's job queue on Redis, gives its logger, Go's {@code log} in UTC ({@code
   * LUTC}): {@code asynq: pid=4242 2026/12/06 05:00:00.123456 WARN: ...}.
   */
  private static final String ASYNQ = "asynq: pid=";

  /** The instant of Go's {@code log} time written in UTC, {@code 2026/12/06 05:00:00.123456}. */
  private static Instant utc(String text) {
    try {
      return LocalDateTime.parse(text.replace('/', '-').replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notATime) {
      return null;
    }
  }

  /**
   * A level padded to six characters and a colon, as rclone writes each message through Go's
   * {@code log} ({@code INFO  : a.mp4: Copied (new)}, {@code NOTICE: Config file ... not found});
   * also asynq's, not padded ({@code WARN: }, {@code FATAL: });
   * its statistics come as a message of no first line ({@code INFO  :}), the lines after it.
   */
  private static final Pattern PADDED_LEVEL = Pattern.compile(
      "(?<level>EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG|FATAL) *:(?: (?<message>.*))?");


  /**
   * The level names {@code log/slog} writes: DEBUG, INFO, WARN and ERROR, and a level of a
   * program's own as the name below it with the distance ({@code INFO+2} for a notice level,
   * {@code ERROR+4} for a fatal one, {@code DEBUG-4} for a trace one), which is that name's level
   * here; null for any other word.
   */
  /**
   * The level of Python's two names slog has not ({@code WARNING}, {@code CRITICAL}), which a
   * Python logger writes after a date of Go's shape: MLflow's {@code %(asctime)s %(levelname)s
   * %(name)s: %(message)s} with {@code datefmt="%Y/%m/%d %H:%M:%S"}. Before, its warnings kept
   * the word in their message.
   */
  private static Level pythonLevel(String message, int wordEnd) {
    return wordEnd == 7 && message.startsWith("WARNING") ? Level.WARNING
        : wordEnd == 8 && message.startsWith("CRITICAL") ? Level.CRITICAL : null;
  }

  static Level slogLevel(String word) {
    int end = word.length();
    int sign = Math.max(word.indexOf('+'), word.indexOf('-'));
    if (sign > 0) {
      if (sign == end - 1) {
        return null;
      }
      for (int i = sign + 1; i < end; i++) {
        if (word.charAt(i) < '0' || word.charAt(i) > '9') {
          return null;
        }
      }
      end = sign;
    }
    return switch (end == word.length() ? word : word.substring(0, end)) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> null;
    };
  }
}
