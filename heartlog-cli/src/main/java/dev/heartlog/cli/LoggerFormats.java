package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines that runtimes' and libraries' loggers print when nobody configured them: Python's
 * logging ({@link PythonLoggingLines}), Rust's tracing ({@link RustTracingLines}), Logback's and
 * Log4j2's consoles, Go's loggers ({@link GoLoggerLines}), glog, absl, TensorFlow and NCCL
 * ({@link CppLoggerLines}), and the formats workers most often give Python's logging or Logback:
 * here those that begin with a time and give a level, or with a logger's padded name; those that
 * begin with the level, {@link LevelFirstLines}'. Where each format puts the logger's name is
 * {@link LoggerNames}'. The level a line of any other format names near its start, and the level
 * each vocabulary's word stands for, are {@link LevelNames}'. Each reader gives null for a line
 * not in its format; most lines are turned away by their first character, before any regular
 * expression runs.
 */
final class LoggerFormats {

  /**
   * Logback's console line when nobody configured it ({@code 06:01:16.016 [main] INFO
   * com.example.Worker -- message}; ` - ` before 1.5) and Log4j2's default ({@code [%t] %-5level
   * %logger{36} - %msg}).
   */
  private static final Pattern JAVA_DEFAULT = Pattern.compile(
      "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[(?<thread>[^\\]]*)\\] (?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +"
          + "(?<logger>\\S+) --? (?<message>.*)");

  /** The level names of Python's logging and the JVM's loggers, as their formats print them. */
  private static final String LEVEL_NAMES = "TRACE|DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|FATAL";

  /**
   * What follows a time ({@link AscTime}, read before the pattern runs) in a line of a time, a
   * level and the message: what workers most often give Python's
   * logging or Logback beyond the formats above ({@code %(asctime)s %(levelname)s %(message)s},
   * {@code %(asctime)s [%(levelname)s] %(message)s}, a dash after the level ({@code
   * %(asctime)s %(levelname)s - %(message)s}), its level padded in the brackets ({@code
   * [%(levelname)-8s]}, {@code [%(levelname)8s]}), {@code %(asctime)s | %(levelname)-8s |
   * %(message)s}, Logback's {@code %d %-5level %msg} and {@code %d [%thread] %-5level %logger -
   * %msg}), the time in brackets or not; Dramatiq's, the job queue's ({@code [%(asctime)s]
   * [PID %(process)d] [%(threadName)s] [%(name)s] [%(levelname)s] %(message)s}); and
   * supervisord's, whose levels have names of their own ({@link SupervisorLines}).
   */
  private static final Pattern TIME_THEN_LEVEL = Pattern.compile(
      "\\]?(?: \\| | |\\t)"
          + "(?:\\[PID (?<pid>\\d{1,10})\\] +\\[(?<processThread>[^\\]]{1,100})\\] +\\[(?<processLogger>" + LoggerNames.NAME + ")\\] +"
          + "|\\[(?<thread>[^\\]]{1,100})\\] +)?"
          + "(?:\\[ *)?(?<level>" + LEVEL_NAMES + "|" + SupervisorLines.OWN_LEVEL_NAMES + ")(?: *\\])?"
          + "(?: *(?<pipe>\\|) +| - |:? +)(?<message>\\S.*)");

  /**
   * What follows a time ({@link AscTime}) in a line of a time, the logger's name, then the
   * level: as Python's logging cookbook has it
   * ({@code %(asctime)s %(name)-12s %(levelname)-8s %(message)s}), without the padding, or
   * between pipes ({@code %(asctime)s | %(name)s | %(levelname)s | %(message)s}); or the process
   * in the logger's stead ({@code %(asctime)s %(process)d %(levelname)s %(message)s}).
   */
  private static final Pattern TIME_LOGGER_LEVEL = Pattern.compile(
      "(?: \\| | )"
          + "(?:(?<pid>\\d{1,7})|(?<logger>" + LoggerNames.NAME + "))(?: +\\| +| +)(?<level>" + LEVEL_NAMES + ")(?: +\\| +| +)"
          + "(?<message>\\S.*)");

  /**
   * What follows a time and a name where brackets follow the name: the line in them ({@code
   * %(filename)s[line:%(lineno)d]}, as tutorials copy it with the {@code datefmt} of Python 2's
   * documentation) or the process ({@code %(name)s[%(process)d]}, syslog's shape), then the level,
   * a colon after it or not, and the message.
   */
  private static final Pattern BRACKETS_AFTER_NAME = Pattern.compile(
      "\\[(?:line:(?<line>\\d{1,9})|(?<pid>\\d{1,10}))\\] +(?<level>" + LEVEL_NAMES + "):? +(?<message>\\S.*)");

  private LoggerFormats() {}

  /**
   * A line of a time, a level and a message ({@link #TIME_THEN_LEVEL}): its level and the message
   * after them, where the line was stored whole, its time and level before the message; a logger's
   * name set apart after the level ({@link LoggerNames#afterLogger}, {@link
   * LoggerNames#afterPipedLogger}), or before it ({@link #TIME_LOGGER_LEVEL}), as the record's
   * {@code logger}, a thread in brackets as its {@code thread} (a process's id there as its {@code
   * pid}). The record's time is the line's where it gives its offset ({@link AscTime}); else the
   * time the line came. A {@code %(name)s: } after the level stays in the message: it cannot be told
   * from a message's own first word, but a class's name in a package and a colon is Hadoop's logger
   * ({@link LoggerNames#afterClassAndColon}). Where the time is in brackets, Kafka's logger after
   * the message ({@link LoggerNames#beforeTrailingLogger}) is read too.
   */
  static ChildLineParser.Parsed timeThenLevel(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    boolean bracketed = line.startsWith("[");
    int timeStart = bracketed ? 1 : 0;
    int timeLength = AscTime.lengthAt(line, timeStart);
    if (timeLength < 0) {
      return null;
    }
    Matcher matcher = TIME_THEN_LEVEL.matcher(line).region(timeStart + timeLength, line.length());
    if (!matcher.matches()) {
      return loggerThenLevelAfterTime(line, timeStart, timeLength, metadata, endsTask);
    }
    String thread = matcher.group("thread");
    if (thread != null && isProcessId(thread)) {
      metadata.put("pid", Long.parseLong(thread));   // [%(process)d]
    } else if (thread != null && !SourcePlace.put(thread, metadata)) {
      metadata.put("thread", thread);   // %thread, or else the place: [%(filename)s:%(lineno)d]
    }
    if (matcher.group("pid") != null) {   // Dramatiq's
      metadata.put("pid", Long.parseLong(matcher.group("pid")));
      metadata.put("thread", matcher.group("processThread"));
      metadata.put("logger", matcher.group("processLogger"));
    }
    String text = matcher.group("message");
    String message = matcher.group("pipe") != null
        ? LoggerNames.afterPipedLogger(text, metadata) : LoggerNames.afterLogger(text, metadata);
    if (message == null && matcher.group("pipe") != null) {
      message = SourcePlace.afterFunctionAndLine(text, metadata);   // | %(module)s:%(funcName)s:%(lineno)d - ...
    }
    if (message == null) {
      message = text;
    }
    if (bracketed && !metadata.containsKey("logger") && message.endsWith(")")) {
      message = LoggerNames.beforeTrailingLogger(message, metadata);
    }
    if (!metadata.containsKey("logger")) {
      message = LoggerNames.afterClassAndColon(message, metadata);
    }
    if (!metadata.containsKey("file")) {
      message = SourcePlace.afterPlace(message, metadata);   // ... %(levelname)s [%(filename)s:%(lineno)d] ...
    }
    String levelName = matcher.group("level");
    Level level = LevelNames.levelName(levelName);
    if (level == null) {
      level = SupervisorLines.level(levelName);
      metadata.put("component", "supervisord");
    }
    if (thread == null && matcher.group("pid") == null && matcher.group("pipe") == null
        && levelName.length() == 4) {   // supervisord's names: INFO, WARN, CRIT, ERRO, ...
      level = SupervisorLines.report(message, level, metadata);
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message),
        AscTime.instant(line, timeStart, timeLength));
  }

  /**
   * A line of a time, the logger's name and then the level ({@link #TIME_LOGGER_LEVEL}): its level,
   * its logger as the record's {@code logger}, and the message after them; null for any other
   * line, and for one whose level a colon follows: {@code render ERROR: x} may be a message's own
   * words after {@code %(asctime)s}. The pattern runs only where a word and a level's name follow
   * the time: lines of a time and the level ({@link #TIME_THEN_LEVEL}) never reach it, and lines
   * of a time and a message only to the second word after the time.
   */
  private static ChildLineParser.Parsed loggerThenLevelAfterTime(String line, int timeStart, int timeLength,
      RecordMetadata metadata, Predicate<String> endsTask) {
    int timeEnd = line.startsWith("]", timeStart + timeLength) ? timeStart + timeLength + 1 : timeStart + timeLength;
    if (!line.startsWith(" ", timeEnd)) {
      return null;
    }
    int nameStart = line.startsWith(" | ", timeEnd) ? timeEnd + 3 : timeEnd + 1;
    int nameEnd = nameStart;
    while (nameEnd < line.length() && LoggerNames.isNameChar(line.charAt(nameEnd))) {
      nameEnd++;
    }
    if (nameEnd > nameStart && line.startsWith("[", nameEnd)) {
      return nameInBracketsThenLevel(line, timeStart, timeLength, nameStart, nameEnd, metadata, endsTask);
    }
    if (nameEnd > nameStart && line.startsWith(": [", nameEnd)) {
      return nameThenLevelInBrackets(line, timeStart, timeLength, nameStart, nameEnd, metadata, endsTask);
    }
    int levelStart = skipSpaces(line, nameEnd);
    levelStart = line.startsWith("| ", levelStart) ? levelStart + 2 : levelStart;
    int levelEnd = levelStart;
    while (levelEnd < line.length() && line.charAt(levelEnd) >= 'A' && line.charAt(levelEnd) <= 'Z') {
      levelEnd++;
    }
    if (nameEnd == nameStart || LevelNames.levelName(line.substring(levelStart, levelEnd)) == null) {
      return null;   // the pattern's cost spared: no level's name follows the word
    }
    Matcher matcher = TIME_LOGGER_LEVEL.matcher(line).region(timeEnd, line.length());
    if (!matcher.matches()) {
      return null;
    }
    if (matcher.group("pid") != null) {
      metadata.put("pid", Long.parseLong(matcher.group("pid")));
    } else {
      metadata.put("logger", matcher.group("logger"));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(LevelNames.levelName(matcher.group("level")), message, null, metadata,
        endsTask.test(message), AscTime.instant(line, timeStart, timeLength));
  }

  /**
   * A line of a time, then a name and a line or a process in brackets, then the level ({@link
   * #BRACKETS_AFTER_NAME}): a source file's name and its line as the record's {@code file} and
   * {@code line} ({@code Mon, 07 Dec 2026 04:35:55 render.py[line:42] WARNING frame 7 slow}), any
   * other name as its {@code logger} (a module's there, or a logger's before its {@code pid}).
   * Null for any other line.
   */
  private static ChildLineParser.Parsed nameInBracketsThenLevel(String line, int timeStart, int timeLength,
      int nameStart, int nameEnd, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher = BRACKETS_AFTER_NAME.matcher(line).region(nameEnd, line.length());
    if (!matcher.matches()) {
      return null;
    }
    String name = line.substring(nameStart, nameEnd);
    String lineNumber = matcher.group("line");
    if (lineNumber == null) {
      metadata.put("logger", name);
      metadata.put("pid", Long.parseLong(matcher.group("pid")));
    } else if (!SourcePlace.put(name + ":" + lineNumber, metadata)) {
      metadata.put("logger", name);
      metadata.put("line", Integer.parseInt(lineNumber));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(LevelNames.levelName(matcher.group("level")), message, null, metadata,
        endsTask.test(message), AscTime.instant(line, timeStart, timeLength));
  }

  /**
   * A line of a time, the logger's name and a colon, then the level in brackets ({@code
   * %(asctime)s %(name)s: [%(levelname)s] %(message)s}, with the time in brackets or not; PyTorch's
   * loggers printed {@code [%(asctime)s] %(name)s: [%(levelname)s]} before 2024, {@link
   * PyTorchLogLines}): its level, its logger as the record's {@code logger}, and the message after
   * them, empty where the line ends at the level. Null for any other line: the level's brackets
   * set it apart from a message's own words ({@code render: ERROR x} stays whole).
   */
  private static ChildLineParser.Parsed nameThenLevelInBrackets(String line, int timeStart, int timeLength,
      int nameStart, int nameEnd, RecordMetadata metadata, Predicate<String> endsTask) {
    int levelStart = nameEnd + 3;
    int levelEnd = levelStart;
    while (levelEnd < line.length() && line.charAt(levelEnd) >= 'A' && line.charAt(levelEnd) <= 'Z') {
      levelEnd++;
    }
    Level level = LevelNames.levelName(line.substring(levelStart, levelEnd));
    boolean endsAtLevel = levelEnd + 1 == line.length();
    if (level == null || !line.startsWith("]", levelEnd) || !endsAtLevel && !line.startsWith("] ", levelEnd)) {
      return null;
    }
    metadata.put("logger", line.substring(nameStart, nameEnd));
    String message = endsAtLevel ? "" : line.substring(levelEnd + 2);
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message),
        AscTime.instant(line, timeStart, timeLength));
  }

  /**
   * A line of the format Python's logging cookbook gives a console, the logger's name before a
   * colon and then the level, each padded ({@code %(name)-12s: %(levelname)-8s %(message)s}:
   * {@code myapp.area1 : INFO     frame 7 done}): its level, its logger as the record's {@code
   * logger}, and the message after them. Only a line padded as the format pads it is read: {@code
   * Note: INFO is printed} is a message's own words. Null for any other line; read without regular
   * expressions, and turned away at the first character that is not a logger's name's.
   */
  static ChildLineParser.Parsed loggerThenLevel(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 9 || !(Character.isLetter(line.charAt(0)) || line.charAt(0) == '_')) {
      return null;
    }
    int nameEnd = 1;
    while (nameEnd < line.length() && nameEnd <= 200 && LoggerNames.isNameChar(line.charAt(nameEnd))) {
      nameEnd++;
    }
    int colon = skipSpaces(line, nameEnd);
    if (!line.startsWith(": ", colon)) {
      return null;
    }
    int levelStart = colon + 2;
    int levelEnd = levelStart;
    while (levelEnd < line.length() && line.charAt(levelEnd) >= 'A' && line.charAt(levelEnd) <= 'Z') {
      levelEnd++;
    }
    Level level = LevelNames.levelName(line.substring(levelStart, levelEnd));
    int textStart = skipSpaces(line, levelEnd);
    if (level == null || colon != Math.max(12, nameEnd) || textStart != levelStart + Math.max(8, levelEnd - levelStart) + 1
        || textStart == line.length()) {
      return null;   // not padded as the format pads: "Note: INFO is printed" may be a message's own words
    }
    metadata.put("logger", line.substring(0, nameEnd));
    String message = line.substring(textStart);
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }

  /**
   * Whether a thread's brackets hold a process's id ({@code [%(process)d]}: seven digits at most,
   * as Linux's largest); Python's {@code %(thread)d} is longer.
   */
  private static boolean isProcessId(String text) {
    if (text.isEmpty() || text.length() > 7) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /**
   * A line of Logback's or Log4j2's console when nobody configured it: its level, its logger as
   * the record's {@code logger}, its thread, and the message after them. The time has no date or
   * zone, so the record keeps the time the line came; a stack trace below it joins it ({@link
   * Tracebacks}).
   */
  static ChildLineParser.Parsed javaDefault(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 24 || line.charAt(2) != ':' || line.charAt(8) != '.' || !startsWithDigit(line)) {
      return null;
    }
    Matcher matcher = JAVA_DEFAULT.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.javaLevel(matcher.group("level"));
    metadata.put("logger", matcher.group("logger"));
    metadata.put("thread", matcher.group("thread"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }

  static boolean startsWithDigit(String line) {
    return !line.isEmpty() && line.charAt(0) >= '0' && line.charAt(0) <= '9';
  }
}
