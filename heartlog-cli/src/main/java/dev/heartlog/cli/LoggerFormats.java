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
 * a time, a level, a logger and a message. The level a line of any other format names near its
 * start, and the level each vocabulary's word stands for, are {@link LevelNames}'. Each reader
 * gives null for a line not in its format; most lines are turned away by their first character,
 * before any regular expression runs.
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
   * A logger's name as Python's logging and the JVM's loggers print it: {@code __main__}, {@code
   * app.render}, {@code c.e.render.Worker}, {@code torch.distributed}.
   */
  private static final String LOGGER_NAME = "[A-Za-z_$][\\w.$-]{0,199}";

  /**
   * A server's component and its worker, joined by colons, in brackets as BentoML names the one
   * that logged ({@code [entry_service:SDXL:1]}, {@code [runner:llm:1]}): no dots, so that a
   * place in the source ({@code [render.py:42]}) is not one.
   */
  private static final String SERVICE_NAME = "[A-Za-z_][\\w-]{0,99}(?::[\\w-]{1,100}){1,5}";

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
          + "(?:\\[PID (?<pid>\\d{1,10})\\] +\\[(?<processThread>[^\\]]{1,100})\\] +\\[(?<processLogger>" + LOGGER_NAME + ")\\] +"
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
          + "(?:(?<pid>\\d{1,7})|(?<logger>" + LOGGER_NAME + "))(?: +\\| +| +)(?<level>" + LEVEL_NAMES + ")(?: +\\| +| +)"
          + "(?<message>\\S.*)");

  /**
   * What follows a time and a name where brackets follow the name: the line in them ({@code
   * %(filename)s[line:%(lineno)d]}, as tutorials copy it with the {@code datefmt} of Python 2's
   * documentation) or the process ({@code %(name)s[%(process)d]}, syslog's shape), then the level,
   * a colon after it or not, and the message.
   */
  private static final Pattern BRACKETS_AFTER_NAME = Pattern.compile(
      "\\[(?:line:(?<line>\\d{1,9})|(?<pid>\\d{1,10}))\\] +(?<level>" + LEVEL_NAMES + "):? +(?<message>\\S.*)");

  /**
   * The logger's name where formats put it after the level, set apart so that no message's own
   * words can be taken for it: before " - " ({@code %(levelname)s %(name)s - %(message)s},
   * Logback's {@code %-5level [%thread] %logger - %msg}, " -- " since Logback 1.5, where the
   * brackets hold the thread; Apache Flink's {@code %-5p %-60c %x - %m}, its empty context's
   * {@code []} before the dash), or else in brackets ({@code %(levelname)s [%(name)s]
   * %(message)s}, a colon after them or not).
   */
  private static final Pattern LOGGER_BEFORE_MESSAGE = Pattern.compile(
      "(?:\\[(?<thread>[^\\]]{1,100})\\] +)?(?<logger>" + LOGGER_NAME + ") +(?:\\[\\] +)?--? (?<dashed>.*)"
          + "|\\[(?<bracketed>" + LOGGER_NAME + "|" + SERVICE_NAME + ")\\]:? +(?<message>\\S.*)");

  /**
   * What separates a time ({@link AscTime}) after the level from the message ({@code
   * %(levelname)s %(asctime)s %(message)s}, {@code %(levelname)s - %(asctime)s - %(message)s},
   * {@code [%(levelname)s] %(asctime)s - %(message)s}, {@code %(levelname)-8s %(asctime)s
   * %(message)s}).
   */
  private static final Pattern TIME_AFTER_LEVEL = Pattern.compile(
      "\\]?(?: - |:? +)(?<message>\\S.*)");

  /**
   * Django's verbose format after the level and the time, which its documentation and Python's
   * logging cookbook give ({@code {levelname} {asctime} {module} {process:d} {thread:d}
   * {message}}): the module, the process and the thread, whose number Python takes from the
   * system's (15 digits on Linux), so that a message's own {@code frame 7 12 failed} stays whole.
   */
  private static final Pattern DJANGO_VERBOSE = Pattern.compile(
      "(?<module>[A-Za-z_]\\w{0,199}) (?<pid>\\d{1,10}) (?<thread>\\d{4,20}) (?<message>\\S.*)");

  /**
   * Ray Serve's format after the level and the time ({@code ServeFormatter}): the component (its
   * {@code controller}, a {@code proxy}, or a replica's application and deployment, {@code
   * default_SDXL}), the component's id (a pid, a replica's id), a replica's request id and route
   * where the record has them, then {@code -- } and the message (Ray 2.10 on) or the file, its line
   * and {@code - } (before): {@code INFO 2026-12-07 12:00:00,123 default_SDXL kq8xk3 7c1e... --
   * CALL __call__ OK 2.0ms}. Read only for a component of those names, or one with an underscore
   * as an application's and deployment's has, so that a message's own {@code frame 12 -- done}
   * stays whole.
   */
  private static final Pattern RAY_SERVE = Pattern.compile(
      "(?<component>controller|proxy|[A-Za-z][\\w.-]{0,199}_[\\w.-]{1,200}) (?<id>[\\w.:-]{1,100})"
          + "(?: (?<request>[\\w-]{1,100}))?(?: (?<route>/\\S{0,1000}))? "
          + "(?:-- |(?<file>[\\w.-]{1,200}\\.py):(?<line>\\d{1,9}) - )(?<message>.*)");

  /** The logger's name between pipes ({@code %(asctime)s | %(levelname)s | %(name)s | %(message)s}). */
  private static final Pattern PIPED_LOGGER = Pattern.compile("(?<logger>" + LOGGER_NAME + ") *\\| +(?<message>.*)");

  /**
   * A class's name in a package as the JVM's loggers print it ({@code kafka.server.KafkaServer},
   * Hadoop's {@code mapreduce.Job}): lowercase packages, a class's name with a capital and a small
   * letter, told from a file's name ({@code model.safetensors}, {@code frame_0001.PNG}), a type's
   * a message quotes ({@code Map.Entry}) and a message's first word.
   */
  private static final String CLASS_IN_PACKAGE = "[a-z][a-z\\d_]*(?:\\.[a-z_][\\w$]*)*\\.[A-Z][\\w$]*[a-z][\\w$]*";

  /** Hadoop's logger before the message and a colon ({@code %d{ISO8601} %p %c{2}: %m%n}). */
  private static final Pattern CLASS_AND_COLON = Pattern.compile("(?<logger>" + CLASS_IN_PACKAGE + "): (?<message>\\S.*)");

  /**
   * Kafka's logger after the message, in parentheses, with its line where Kafka Connect's format
   * asks ({@code [%d] %p %m (%c)%n}, Connect's {@code [%d] %p %X{connector.context}%m (%c:%L)%n}):
   * a class's name in a package ({@link #CLASS_IN_PACKAGE}), so that a message's own closing words
   * in parentheses stay its own. Kafka's loggers named otherwise ({@code state.change.logger})
   * stay in the message.
   */
  private static final Pattern TRAILING_LOGGER = Pattern.compile(
      " \\((?<logger>" + CLASS_IN_PACKAGE + ")(?::(?<line>\\d{1,7}))?\\)");

  private LoggerFormats() {}

  /**
   * A line of a time, a level and a message ({@link #TIME_THEN_LEVEL}): its level and the message
   * after them, where the line was stored whole, its time and level before the message; a logger's
   * name set apart after the level ({@link #LOGGER_BEFORE_MESSAGE}, {@link #PIPED_LOGGER}), or
   * before it ({@link #TIME_LOGGER_LEVEL}), as the record's {@code logger}, a thread in brackets
   * as its {@code thread} (a process's id there as its {@code pid}). The record's time is the line's where
   * it gives its offset ({@link AscTime}); else the time the line came. A {@code %(name)s: } after the level stays
   * in the message: it cannot be told from a message's own first word, but a class's name in a
   * package and a colon is Hadoop's logger ({@link #CLASS_AND_COLON}). Where the time is in
   * brackets, Kafka's logger after the message ({@link #TRAILING_LOGGER}) is read too.
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
    String message = matcher.group("pipe") != null ? afterPipedLogger(text, metadata) : afterLogger(text, metadata);
    if (message == null && matcher.group("pipe") != null) {
      message = SourcePlace.afterFunctionAndLine(text, metadata);   // | %(module)s:%(funcName)s:%(lineno)d - ...
    }
    if (message == null) {
      message = text;
    }
    if (bracketed && !metadata.containsKey("logger") && message.endsWith(")")) {
      message = beforeTrailingLogger(message, metadata);
    }
    if (!metadata.containsKey("logger")) {
      message = afterClassAndColon(message, metadata);
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
    while (nameEnd < line.length() && isLoggerNameChar(line.charAt(nameEnd))) {
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
   * The message after Hadoop's logger and a colon ({@link #CLASS_AND_COLON}), the logger put in
   * {@code logger}; the message as it is where none is: a name and a colon a message may begin
   * with ({@code render: disk almost full}), an exception's name ({@code java.io.IOException:
   * disk full}). The pattern runs only where the message's first word ends in a colon and a
   * capital follows its last dot: Python's {@code %(name)s: } ({@code app.render: ...}) took 1.26
   * of the time where it ran on every dotted name.
   */
  private static String afterClassAndColon(String message, RecordMetadata metadata) {
    int space = message.indexOf(' ');
    if (space < 4 || message.charAt(space - 1) != ':') {
      return message;
    }
    int dot = message.lastIndexOf('.', space);
    if (dot < 1 || message.charAt(dot + 1) < 'A' || message.charAt(dot + 1) > 'Z') {
      return message;
    }
    Matcher logger = CLASS_AND_COLON.matcher(message);
    if (!logger.matches() || logger.group("logger").endsWith("Exception") || logger.group("logger").endsWith("Error")) {
      return message;   // a message that begins with an exception's name ("java.io.IOException: disk full")
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("message");
  }

  /**
   * The message before Kafka's logger in parentheses at its end ({@link #TRAILING_LOGGER}), the
   * logger put in {@code logger} and its line in {@code line}; the message as it is where none is.
   */
  private static String beforeTrailingLogger(String message, RecordMetadata metadata) {
    int open = message.lastIndexOf(" (");
    if (open < 1) {
      return message;
    }
    Matcher logger = TRAILING_LOGGER.matcher(message).region(open, message.length());
    if (!logger.matches()) {
      return message;
    }
    metadata.put("logger", logger.group("logger"));
    if (logger.group("line") != null) {
      metadata.put("line", Integer.parseInt(logger.group("line")));
    }
    return message.substring(0, open);
  }

  /**
   * A line that begins with its level and gives no time: {@code [%(levelname)s] %(message)s}
   * ({@code [WARNING] disk almost full}; Maven's {@code [INFO] ...}; Hydra's documented {@code
   * [%(levelname)s] - %(message)s}; padded in its brackets, as C and C++ loggers pad it, {@code
   * [INFO ] stable-diffusion.cpp:195  - loading model}), {@code WARNING - disk almost full}, {@code WARNING [render]
   * disk almost full}, {@code WARNING render: disk almost full}: its level, and the message after
   * the level and any logger set apart after it (as {@link #timeThenLevel} reads them), where the
   * line was stored whole. A level's word without brackets is read only before a " - ", a
   * logger's name set apart, or a name and a colon: {@code ERROR rendering frame 12} stays whole.
   * Null for any other line. Read without regular expressions: most lines that reach it are in no
   * format, and a pattern tried on each doubled what such a line cost.
   */
  static ChildLineParser.Parsed levelFirst(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    boolean bracketed = line.startsWith("[");
    int wordStart = bracketed ? skipSpaces(line, 1) : 0;   // [ INFO], %(levelname)5s in brackets
    if (line.length() < 6 || wordStart >= line.length() || "TDIWECF".indexOf(line.charAt(wordStart)) < 0) {
      return null;
    }
    int wordEnd = wordStart;
    while (wordEnd < line.length() && line.charAt(wordEnd) >= 'A' && line.charAt(wordEnd) <= 'Z') {
      wordEnd++;
    }
    if (!bracketed && RunPodLines.isLocalForm(line)) {
      return RunPodLines.local(line, metadata, endsTask);   // INFO   | job | Started.
    }
    Level level = LevelNames.levelName(line.substring(wordStart, wordEnd));
    int restStart = wordEnd;
    if (bracketed) {
      int close = skipSpaces(line, wordEnd);   // [INFO ], [WARN ]: padded to the longest level's name
      if (!line.startsWith("]", close)) {
        return null;
      }
      restStart = line.startsWith("] - ", close) ? close + 3 : close + 1;
    }
    int textStart = skipSpaces(line, restStart);
    if (level == null || textStart == restStart || textStart == line.length()) {
      return null;   // not a level, or no space and message after it ("INFO:" is Python's default format's)
    }
    String rest = line.substring(textStart);
    String afterTime = afterTime(rest, metadata);
    if (afterTime != null) {
      return new ChildLineParser.Parsed(level, afterTime, null, metadata, endsTask.test(afterTime));
    }
    String afterPlace = SourcePlace.afterPlace(rest, metadata);
    if (metadata.containsKey("file")) {   // %(levelname)s %(filename)s:%(lineno)d %(message)s
      return new ChildLineParser.Parsed(level, afterPlace, null, metadata, endsTask.test(afterPlace));
    }
    String message = afterLogger(rest, metadata);
    if (message == null && !bracketed) {
      if (rest.startsWith("- ")) {
        message = rest.substring(2);   // %(levelname)s - %(message)s
      } else if (!startsWithNameAndColon(rest)) {
        return null;
      }
    }
    if (message == null) {
      message = rest;
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
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
    while (nameEnd < line.length() && nameEnd <= 200 && isLoggerNameChar(line.charAt(nameEnd))) {
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

  private static boolean isLoggerNameChar(char c) {
    return LevelNames.isWordChar(c) || c == '.' || c == '$' || c == '-';
  }

  /**
   * The message after a date and time that follow the level ({@link #TIME_AFTER_LEVEL}), and after
   * Django's verbose format's module, process and thread ({@link #DJANGO_VERBOSE}: put in {@code
   * module}, {@code pid} and {@code thread}) or a logger's name set apart ({@link
   * #LOGGER_BEFORE_MESSAGE}); null where no time follows the level. The time has no zone, so the
   * record keeps the time the line came.
   */
  private static String afterTime(String text, RecordMetadata metadata) {
    int digits = text.startsWith("- ") ? 2 : 0;
    if (text.startsWith("[", digits)) {
      digits++;
    }
    int timeLength = AscTime.lengthAt(text, digits);
    if (timeLength < 0) {
      return null;
    }
    Matcher time = TIME_AFTER_LEVEL.matcher(text).region(digits + timeLength, text.length());
    if (!time.matches()) {
      return null;
    }
    String message = time.group("message");
    Matcher django = Character.isDigit(message.charAt(0)) ? null : DJANGO_VERBOSE.matcher(message);
    if (django != null && django.matches()) {
      metadata.put("module", django.group("module"));
      metadata.put("pid", Long.parseLong(django.group("pid")));
      metadata.put("thread", django.group("thread"));
      return django.group("message");
    }
    if (message.contains(" -- ") || message.contains(".py:")) {
      Matcher ray = RAY_SERVE.matcher(message);
      if (ray.matches()) {
        metadata.put("logger", ray.group("component"));
        metadata.put("component_id", ray.group("id"));
        if (ray.group("request") != null) {
          metadata.put("request_id", ray.group("request"));
        }
        if (ray.group("route") != null) {
          metadata.put("route", ray.group("route"));
        }
        if (ray.group("file") != null) {
          metadata.put("file", ray.group("file"));
          metadata.put("line", Integer.parseInt(ray.group("line")));
        }
        return ray.group("message");
      }
    }
    String afterLogger = afterLogger(message, metadata);
    return afterLogger != null ? afterLogger : message;
  }

  /**
   * The message after the logger's name where a format sets it apart ({@link
   * #LOGGER_BEFORE_MESSAGE}), the name put in {@code logger} (and a thread before it in {@code
   * thread}); null where none is. The pattern runs only where the text begins with a bracket or
   * its first word is followed by a dash.
   */
  private static String afterLogger(String text, RecordMetadata metadata) {
    if (text.charAt(0) != '[' && !dashAfterFirstWord(text)) {
      return null;
    }
    Matcher logger = LOGGER_BEFORE_MESSAGE.matcher(text);
    if (!logger.matches()) {
      return null;
    }
    if (logger.group("bracketed") != null) {
      metadata.put("logger", logger.group("bracketed"));
      return logger.group("message");
    }
    if (logger.group("thread") != null) {
      metadata.put("thread", logger.group("thread"));
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("dashed");
  }

  /**
   * Whether the text's first word is followed by " - " or " -- ", spaces allowed before the dash,
   * and Flink's empty {@code []} before it.
   */
  private static boolean dashAfterFirstWord(String text) {
    int space = text.indexOf(' ');
    if (space < 1) {
      return false;
    }
    int dash = skipSpaces(text, space);
    if (text.startsWith("[] ", dash)) {
      dash = skipSpaces(text, dash + 2);
    }
    return text.startsWith("- ", dash) || text.startsWith("-- ", dash);
  }

  /**
   * Whether the text begins with a name as a logger's and a colon, then a space and a message
   * ({@code render: disk almost full}): a logger's, or the message's own first word, which cannot
   * be told apart.
   */
  private static boolean startsWithNameAndColon(String text) {
    int space = text.indexOf(' ');
    if (space < 2 || text.charAt(space - 1) != ':' || space + 1 == text.length() || text.charAt(space + 1) == ' ') {
      return false;
    }
    char first = text.charAt(0);
    if (!(LevelNames.isWordChar(first) && !Character.isDigit(first) || first == '$')) {
      return false;
    }
    for (int i = 1; i < space - 1; i++) {
      char c = text.charAt(i);
      if (!(LevelNames.isWordChar(c) || c == '.' || c == '$' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The message after a logger's name and a pipe ({@link #PIPED_LOGGER}); null where none is. */
  private static String afterPipedLogger(String text, RecordMetadata metadata) {
    Matcher logger = PIPED_LOGGER.matcher(text);
    if (!logger.matches()) {
      return null;
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("message");
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
