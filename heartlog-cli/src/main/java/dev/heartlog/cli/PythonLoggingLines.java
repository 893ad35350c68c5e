package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The lines of Python's {@code logging} in the formats workers leave it in or copy: {@code
 * basicConfig()}'s default, the format its documentation quotes most (also without the time,
 * and in Hugging Face's scripts' order), DeepSpeed's, Hydra's, transformers' explicit format;
 * uvicorn's; and loguru's default. Each reader gives the level, the message after the line's
 * prefix and what the prefix names (the logger; the file, line and function), or null for a line
 * not in its format. Their times have no zone, so a record keeps the time its line came. Huey's
 * consumer's lines are {@link HueyLines}'; gunicorn's, Flask's and werkzeug's {@link
 * PythonWebServerLines}'; the format OpenTelemetry's logging instrumentation sets {@link
 * OpenTelemetryLoggingLines}'.
 */
final class PythonLoggingLines {

  /** The level names Python's {@code logging} prints. */
  static final String PYTHON_LEVELS = "DEBUG|INFO|WARNING|ERROR|CRITICAL";

  /**
   * What follows the time ({@link AscTime}, read before the pattern runs) in Python's {@code
   * %(asctime)s - %(name)s - %(levelname)s - %(message)s}; the order Hugging
   * Face's example scripts (transformers, diffusers, accelerate) use, {@code %(asctime)s -
   * %(levelname)s - %(name)s - %(message)s}, with their {@code %m/%d/%Y %H:%M:%S}; either without
   * the logger, or with its line after it ({@code %(name)s:%(lineno)d}). The time in any shape
   * of {@link AscTime}'s: with its milliseconds, as Python prints it, or as a {@code datefmt}
   * gives it.
   */
  private static final Pattern PYTHON_DASHED = Pattern.compile(
      " - "
          + "(?:(?<logger>\\S+) - (?<level>" + PYTHON_LEVELS + ")|(?<levelFirst>" + PYTHON_LEVELS + ") - (?<loggerAfter>\\S+)"
          + "|(?<levelAlone>" + PYTHON_LEVELS + ")) - (?<message>.*)");

  /** Python logging's default format with the time before it: {@code %(asctime)s:%(levelname)s:...}. */
  private static final Pattern TIMED_BASIC = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?:(?<level>" + PYTHON_LEVELS + "):(?<message>\\S.*)");

  /**
   * The format above without the time, {@code %(name)s - %(levelname)s - %(message)s}: a logger's
   * name as Python prints one, then the level between " - ".
   */
  private static final Pattern PYTHON_DASHED_UNTIMED = Pattern.compile(
      "(?<logger>[A-Za-z_][\\w.-]{0,199}) - (?<level>" + PYTHON_LEVELS + ") - (?<message>.*)");

  /**
   * Hydra's, which configures logging for the training scripts built on it (and prints on
   * stdout): its jobs' {@code [%(asctime)s][%(name)s][%(levelname)s] - %(message)s}, also as
   * workers copy it without the dash, and its own {@code [%(asctime)s][HYDRA] %(message)s}, which
   * names no level.
   */
  private static final Pattern HYDRA = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?\\]\\[(?<logger>[^\\]\\s]{1,200})\\]"
          + "(?:\\[(?<level>" + PYTHON_LEVELS + ")\\](?: -)?)? (?<message>.*)");

  /**
   * DeepSpeed's format, which training scripts copy: {@code [%(asctime)s] [%(levelname)s]
   * [%(filename)s:%(lineno)d:%(funcName)s] %(message)s}.
   */
  private static final Pattern PYTHON_BRACKETED = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?\\] \\[(?<level>" + PYTHON_LEVELS + ")\\] "
          + "\\[(?<file>[^\\]\\s:]+):(?<line>\\d{1,9}):(?<function>[^\\]\\s]+)\\] (?<message>.*)");

  /**
   * Apache Airflow's, which its scheduler, its workers and the tasks they run log in: {@code
   * [%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s}, the time with its
   * offset since Airflow 2.5 ({@code [2026-12-07T12:00:00.123+0000] {taskinstance.py:2905} ERROR -
   * Task failed with exception}), Python's before, and as its web page of a task's log shows it
   * ({@code [2026-12-07, 12:00:00 UTC]}).
   */
  private static final Pattern AIRFLOW = Pattern.compile(
      "\\[(?:(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?)(?<offset>[+-]\\d{4}|Z)"
          + "|\\d{4}-\\d\\d-\\d\\d,? \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?(?: [A-Z]{2,5})?)\\] "
          + "\\{(?<file>[^}:\\s]{1,300}):(?<line>\\d{1,9})\\} (?<level>" + PYTHON_LEVELS + ") - (?<message>.*)");

  /** SGLang's: the time, the process's place in the run ({@code TP0}, {@code DP1 TP0}), the message ({@link #sglang}). */
  private static final Pattern SGLANG = Pattern.compile(
      "\\[(?:\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d (?<process>[A-Z_]{2,8}\\d{1,5}(?: [A-Z_]{2,8}\\d{1,5}){0,4})\\] "
          + "(?<message>.*)");

  /**
   * Hugging Face transformers' explicit format, which its example training scripts turn on
   * ({@code transformers.utils.logging.enable_explicit_format()}): {@code [%(levelname)s|%(filename)s:%(lineno)s]
   * %(asctime)s >> %(message)s}, {@code [WARNING|modeling_utils.py:3952] 2026-12-06 05:00:04,456 >> Some weights ...};
   * and LLaMA-Factory's, which the fine-tuning tools built on it print too: {@code
   * [%(levelname)s|%(asctime)s] %(name)s:%(lineno)s >> %(message)s}, {@code [INFO|2025-05-06
   * 22:26:52] llamafactory.data.loader:143 >> Loading dataset alpaca.json...}.
   */
  private static final Pattern TRANSFORMERS = Pattern.compile(
      "\\[(?<level>" + PYTHON_LEVELS + ")\\|(?<file>[^\\]\\s:|]{1,300}):(?<line>\\d{1,9})\\] "
          + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})? >> (?<message>.*)");

  /** LLaMA-Factory's, the time where transformers' has the file ({@link #TRANSFORMERS}). */
  private static final Pattern LLAMA_FACTORY = Pattern.compile(
      "\\[(?<level>" + PYTHON_LEVELS + ")\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] "
          + "(?<logger>[\\w.]{1,200}):(?<line>\\d{1,9}) >> (?<message>.*)");

  /**
   * loguru's default format: {@code 2026-12-03 08:32:26.359 | ERROR    | app.render:render:42 -
   * message}, its levels padded to 8.
   */
  private static final Pattern LOGURU = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| (?<level>[A-Z]+) *\\| "
          + "(?<logger>[^\\s:]+):(?<function>[^\\s:]+):(?<line>\\d{1,9}) - (?<message>.*)");

  /**
   * Where the message starts on a line of uvicorn's (FastAPI's server, and the inference servers
   * built on it): {@code %(levelprefix)s %(message)s}, its level name and colon padded to 9.
   */
  private static final int UVICORN_PREFIX = 10;

  /**
   * uvicorn's line of a request it served, on stdout, after its prefix: {@code 127.0.0.1:43706 -
   * "GET /boom HTTP/1.1" 500 Internal Server Error}.
   */
  private static final Pattern UVICORN_ACCESS = Pattern.compile("(?<client>\\S{1,260}) - \"[^\"]*\" (?<status>\\d{3})(?: .*)?");

  private PythonLoggingLines() {}

  /**
   * A line in Python logging's default format ({@code logging.basicConfig()}: {@code
   * LEVEL:logger:message}, on stderr): its level, its logger as the record's {@code logger} (so
   * that levels per component and the viewer can tell the loggers apart), and the message after
   * it. Also {@code LEVEL: message} (pip's {@code ERROR: No matching distribution found for x}),
   * and uvicorn's lines ({@code INFO:     Uvicorn running on ...}): their level, and the
   * message after the padded prefix; for a request it served ({@link #UVICORN_ACCESS}), who asked
   * in {@code client} and the response's {@code status}, as for {@link AccessLogLines}'.
   */
  static ChildLineParser.Parsed basic(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int levelEnd = line.indexOf(':');
    if (levelEnd < 4 || levelEnd > 8) {
      return null;
    }
    Level level = switch (line.substring(0, levelEnd)) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARNING" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      case "CRITICAL" -> Level.CRITICAL;
      default -> null;
    };
    if (level != null && isUvicornPrefix(line, levelEnd)) {
      String message = line.substring(UVICORN_PREFIX);
      Matcher request = message.charAt(0) != '"' && message.contains(" - \"") ? UVICORN_ACCESS.matcher(message) : null;
      if (request != null && request.matches()) {
        metadata.put("client", request.group("client"));   // as for the other servers' request lines
        metadata.put("status", Integer.parseInt(request.group("status")));
      }
      return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
    }
    if (level != null && line.length() > levelEnd + 2 && line.charAt(levelEnd + 1) == ' '
        && line.charAt(levelEnd + 2) != ' ') {
      // "%(levelname)s: %(message)s", pip's: "ERROR: No matching distribution found for x" kept
      // its "ERROR: " in the message
      String message = line.substring(levelEnd + 2);
      return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
    }
    int loggerEnd = level == null ? -1 : line.indexOf(':', levelEnd + 1);
    if (loggerEnd <= levelEnd + 1) {
      return null;
    }
    for (int i = levelEnd + 1; i < loggerEnd; i++) {
      if (Character.isWhitespace(line.charAt(i))) {
        return null;   // "INFO:  x:y": not a logger's name
      }
    }
    metadata.put("logger", line.substring(levelEnd + 1, loggerEnd));
    String message = line.substring(loggerEnd + 1);
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }

  /**
   * A line of Python logging's default format with the time before it ({@code
   * %(asctime)s:%(levelname)s:%(name)s:%(message)s}, {@code %(asctime)s:%(levelname)s:%(message)s}):
   * its level, its logger where a name without spaces and a colon follow the level (as for {@link
   * #basic}), and the message. The time has no zone, so the record keeps the time the line came.
   */
  static ChildLineParser.Parsed timedBasic(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 30 || line.charAt(4) != '-' || !LoggerFormats.startsWithDigit(line)
        || line.charAt(19) != ':' && (line.charAt(19) != ',' || line.charAt(23) != ':')) {
      return null;   // no colon after the time, with its milliseconds or without
    }
    Matcher matcher = TIMED_BASIC.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    ChildLineParser.Parsed basic = basic(line.substring(matcher.start("level")), metadata, endsTask);
    if (basic != null) {
      return basic;
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }

  /**
   * Whether the level's colon is followed by the spaces that pad uvicorn's {@code levelprefix} to
   * its column ({@code "INFO:     Uvicorn running on ..."}, {@code "WARNING:  ..."}, {@code
   * "CRITICAL: ..."}), and the message starts there.
   */
  private static boolean isUvicornPrefix(String line, int levelEnd) {
    if (line.length() <= UVICORN_PREFIX) {
      return false;
    }
    for (int i = levelEnd + 1; i < UVICORN_PREFIX; i++) {
      if (line.charAt(i) != ' ') {
        return false;
      }
    }
    return line.charAt(UVICORN_PREFIX) != ' ';
  }

  /**
   * A line in the format Python's logging documentation quotes most ({@code %(asctime)s -
   * %(name)s - %(levelname)s - %(message)s}) or one of its variants ({@link #PYTHON_DASHED}): its
   * level, its logger as the record's {@code logger} and the message after it, as for {@link
   * #basic}. The record's time is the line's where it gives its offset ({@code datefmt} with
   * {@code %z}); else, the line's time being local with no zone, the time the line came.
   */
  static ChildLineParser.Parsed dashed(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int timeLength = AscTime.lengthAt(line, 0);
    if (timeLength < 0) {
      return untimedDashed(line, metadata, endsTask);
    }
    Matcher matcher = PYTHON_DASHED.matcher(line).region(timeLength, line.length());
    if (!matcher.matches()) {
      return null;
    }
    String logger = matcher.group("logger") != null ? matcher.group("logger") : matcher.group("loggerAfter");
    if (logger != null && !SourcePlace.put(logger, metadata)) {   // else the place in its stead: - %(filename)s:%(lineno)d -
      putLoggerAndLine(logger, metadata);
    }
    String level = Stream.of("level", "levelFirst", "levelAlone").map(matcher::group).filter(Objects::nonNull)
        .findFirst().orElseThrow();
    String message = matcher.group("message");
    if (!metadata.containsKey("line")) {
      message = SourcePlace.afterFunctionAndLine(message, metadata);   // ... - %(funcName)s:%(lineno)d - %(message)s
    }
    return new ChildLineParser.Parsed(Level.fromName(level), message, null, metadata, endsTask.test(message),
        AscTime.instant(line, 0, timeLength));
  }

  /**
   * Puts the logger's name into {@code logger}, and a line after it ({@code %(name)s:%(lineno)d},
   * {@code app.render:42}) into {@code line}.
   */
  private static void putLoggerAndLine(String logger, RecordMetadata metadata) {
    int colon = logger.length() - 1;
    while (colon > 0 && colon >= logger.length() - 9 && logger.charAt(colon) >= '0' && logger.charAt(colon) <= '9') {
      colon--;
    }
    if (colon > 0 && colon < logger.length() - 1 && logger.charAt(colon) == ':') {
      metadata.put("logger", logger.substring(0, colon));
      metadata.put("line", Integer.parseInt(logger, colon + 1, logger.length(), 10));
    } else {
      metadata.put("logger", logger);
    }
  }

  /**
   * A line of {@code %(name)s - %(levelname)s - %(message)s} ({@link #PYTHON_DASHED_UNTIMED}): its
   * level, its logger as the record's {@code logger}, and the message after them; null for any
   * other line.
   */
  private static ChildLineParser.Parsed untimedDashed(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int dash = line.indexOf(" - ");
    if (dash < 1 || dash > 200 || !line.startsWith(" - ", line.indexOf(' ', dash + 3))) {
      return null;
    }
    Matcher matcher = PYTHON_DASHED_UNTIMED.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }

  /**
   * A line of Hydra's ({@link #HYDRA}): a job's, its level, its logger as the record's {@code
   * logger} and the message after them; Hydra's own, which names no level ({@code Launching 2
   * jobs locally}, a sweep's jobs), at INFO, with the logger {@code HYDRA}. Before, the message
   * kept the time and the brackets. The time has no zone, so the record keeps the time the line
   * came.
   */
  static ChildLineParser.Parsed hydra(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 26 || line.charAt(0) != '[' || !Character.isDigit(line.charAt(1)) || !line.contains("][")) {
      return null;
    }
    Matcher matcher = HYDRA.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String level = matcher.group("level");
    if (level == null && !matcher.group("logger").equals("HYDRA")) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level == null ? Level.INFO : Level.fromName(level), message, null, metadata,
        endsTask.test(message));
  }

  /**
   * A line in loguru's default format ({@link #LOGURU}): its level (loguru's SUCCESS is INFO,
   * TRACE is DEBUG; a level of the worker's own is left to be read as any line's), the message
   * after the prefix, the module as the record's {@code logger}, and the {@code function} and
   * {@code line} it was logged in. The time has no zone, so the record keeps the time the line
   * came.
   */
  static ChildLineParser.Parsed loguru(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(24) != '|' || !LoggerFormats.startsWithDigit(line)) {
      return null;
    }
    Matcher matcher = LOGURU.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String name = matcher.group("level");
    Level level = name.equals("SUCCESS") ? Level.INFO : Level.named(name).orElse(null);
    if (level == null) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    metadata.put("function", matcher.group("function"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }

  /**
   * A line in DeepSpeed's format ({@link #PYTHON_BRACKETED}): its level, the message after the
   * brackets, and the {@code file}, {@code line} and {@code function} it was logged in. The time
   * has no zone, so the record keeps the time the line came.
   */
  static ChildLineParser.Parsed bracketed(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(0) != '[' || !Character.isDigit(line.charAt(1))) {
      return null;
    }
    int close = line.indexOf(']');   // the time's end, a few characters on
    if (close > 20 && close < 36 && line.startsWith("] {", close)) {
      return airflow(line, metadata, endsTask);
    }
    Matcher matcher = PYTHON_BRACKETED.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    metadata.put("function", matcher.group("function"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }

  /**
   * A line of Airflow's ({@link #AIRFLOW}): its level, the message after the dash, and the
   * {@code file} and {@code line} it was logged in; the time where it has its offset, else the
   * time the line came. Before, the line was stored whole, its time, place and level in its
   * message (the level found by its word). Null for any other line.
   */
  private static ChildLineParser.Parsed airflow(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher = AIRFLOW.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    Instant time = null;
    if (matcher.group("time") != null) {
      String offset = matcher.group("offset");
      time = IsoTime.parse(matcher.group("time")
          + (offset.equals("Z") ? offset : offset.substring(0, 3) + ":" + offset.substring(3)));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message), time);
  }

  /**
   * A line of SGLang's, the inference server's: {@code [%(asctime)s%(prefix)s] %(message)s}, the
   * process's place in the run after the time ({@code [2026-05-15 08:39:36 TP0] Load weight
   * begin. avail mem=93.61 GB}, {@code DP1 TP0}, {@code TP0 EP0}; the time alone before 2025,
   * {@code [22:30:32 TP0]}). It names no level: the stream's, as for a line of no format. Its
   * message, with that place as its {@code process}; where the message ends a traceback's first
   * line ({@code Scheduler hit an exception: Traceback (most recent call last):}), {@link
   * Tracebacks} makes it an error. Before, the line was stored whole. The time has no zone, so the
   * record keeps the time the line came. Null for any other line.
   */
  static ChildLineParser.Parsed sglang(String line, Level streamDefault, RecordMetadata metadata,
      Predicate<String> endsTask) {
    if (line.length() < 14 || line.charAt(0) != '[' || !Character.isDigit(line.charAt(1))) {
      return null;
    }
    int close = line.indexOf("] ");
    int digits = close - 1;
    while (digits > 0 && Character.isDigit(line.charAt(digits))) {
      digits--;
    }
    if (close < 10 || close > 60 || digits == close - 1 || !Character.isUpperCase(line.charAt(digits))) {
      return null;   // most lines of a bracketed time: no capital and number before the bracket ("TP0]")
    }
    Matcher matcher = SGLANG.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("process", matcher.group("process"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(streamDefault, message, null, metadata, endsTask.test(message), null,
        ChildLineParser.TaskScope.CURRENT, false, false);
  }

  /**
   * A line in transformers' explicit format ({@link #TRANSFORMERS}) or LLaMA-Factory's ({@link
   * #LLAMA_FACTORY}): its level, the message after {@code >>}, and the {@code file} (LLaMA-Factory's:
   * the {@code logger}) and {@code line} it was logged in. Before, the level was read but the
   * prefix stayed in the message, so each kind of error was named with the time. The time has no
   * zone, so the record keeps the time the line came.
   */
  static ChildLineParser.Parsed transformers(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int bar = line.indexOf('|');
    if (line.length() < 30 || line.charAt(0) != '[' || !Character.isUpperCase(line.charAt(1)) || bar < 0) {
      return null;
    }
    boolean factory = bar + 1 < line.length() && Character.isDigit(line.charAt(bar + 1));   // a time after the bar
    Matcher matcher = (factory ? LLAMA_FACTORY : TRANSFORMERS).matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put(factory ? "logger" : "file", matcher.group(factory ? "logger" : "file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }
}
