package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Python's logging and the JVM's loggers that begin with their level, a time after
 * it or none ({@code [%(levelname)s] %(message)s}, {@code %(levelname)s - %(message)s}, {@code
 * %(levelname)s %(asctime)s %(message)s}, Django's verbose format, Ray Serve's). Those that begin
 * with a time are {@link LoggerFormats}'.
 */
final class LevelFirstLines {

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

  private LevelFirstLines() {}

  /**
   * A line that begins with its level, no time before it: {@code [%(levelname)s] %(message)s} ({@code
   * [WARNING] disk almost full}; Maven's {@code [INFO] ...}; Hydra's documented {@code
   * [%(levelname)s] - %(message)s}; padded in its brackets, as C and C++ loggers pad it, {@code
   * [INFO ] stable-diffusion.cpp:195  - loading model}), {@code WARNING - disk almost full}, {@code
   * WARNING [render] disk almost full}, {@code WARNING render: disk almost full}: its level, and the
   * message after the level and any logger set apart after it (as {@link
   * LoggerFormats#timeThenLevel} reads them), where the line was stored whole. A level's word
   * without brackets is read only before a " - ", a logger's name set apart, or a name and a colon:
   * {@code ERROR rendering frame 12} stays whole. Null for any other line. Read without regular
   * expressions: most lines that reach it are in no format, and a pattern tried on each doubled what
   * such a line cost.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    boolean bracketed = line.startsWith("[");
    int wordStart = bracketed ? LoggerFormats.skipSpaces(line, 1) : 0;   // [ INFO], %(levelname)5s in brackets
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
      int close = LoggerFormats.skipSpaces(line, wordEnd);   // [INFO ], [WARN ]: padded to the longest level's name
      if (!line.startsWith("]", close)) {
        return null;
      }
      restStart = line.startsWith("] - ", close) ? close + 3 : close + 1;
    }
    int textStart = LoggerFormats.skipSpaces(line, restStart);
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
    String message = LoggerNames.afterLogger(rest, metadata);
    if (message == null && !bracketed) {
      if (rest.startsWith("- ")) {
        message = rest.substring(2);   // %(levelname)s - %(message)s
      } else if (!LoggerNames.startsWithNameAndColon(rest)) {
        return null;
      }
    }
    if (message == null) {
      message = rest;
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }

  /**
   * The message after a date and time that follow the level ({@link #TIME_AFTER_LEVEL}), and after
   * Django's verbose format's module, process and thread ({@link #DJANGO_VERBOSE}: put in {@code
   * module}, {@code pid} and {@code thread}) or a logger's name set apart ({@link
   * LoggerNames#afterLogger}); null where no time follows the level. The time has no zone, so the
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
    String afterLogger = LoggerNames.afterLogger(message, metadata);
    return afterLogger != null ? afterLogger : message;
  }
}
