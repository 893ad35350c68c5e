package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenCV's log lines, which a worker reading or writing images and video prints on stderr: {@code
 * [ WARN:0@0.012] global loadsave.cpp:248 findDecoder imread_('in.png'): can't open/read file:
 * check file path/integrity}: the level (padded to five), the thread and the seconds since the
 * start, the log's tag ({@code global} unless a module set one), the place in OpenCV's source, the
 * function, and the message. Before OpenCV 4.5.3, without the seconds and with the line in
 * brackets: {@code [ WARN:0] global /build/opencv/modules/videoio/src/cap_gstreamer.cpp (1100)
 * open OpenCV | GStreamer warning: ...}.
 */
final class OpenCvLines {

  private static final Pattern LINE = Pattern.compile(
      "\\[ *(?<level>FATAL|ERROR|WARN|INFO|DEBUG|VERBOSE):\\d{1,10}(?:@[\\d.]{1,20})?\\] (?<tag>\\S{1,100}) "
          + "(?<file>[^\\s:()]{1,300})(?::(?<line>\\d{1,9})| \\((?<bracketed>\\d{1,9})\\)) (?<function>\\S{1,200}) (?<message>.*)");

  private OpenCvLines() {}

  /**
   * A line of OpenCV's log: its level (FATAL is CRITICAL, VERBOSE DEBUG), the message after the
   * function, {@code component} {@code opencv}, and OpenCV's {@code file}, {@code line} and {@code
   * function}. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 20 || line.charAt(0) != '[' || line.indexOf(':') < 5 || line.indexOf(':') > 9) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "FATAL" -> Level.CRITICAL;
      case "ERROR" -> Level.ERROR;
      case "WARN" -> Level.WARNING;
      case "INFO" -> Level.INFO;
      default -> Level.DEBUG;
    };
    metadata.put("component", "opencv");
    metadata.put("file", matcher.group("file"));
    String lineNumber = matcher.group("line") != null ? matcher.group("line") : matcher.group("bracketed");
    metadata.put("line", Integer.parseInt(lineNumber));
    metadata.put("function", matcher.group("function"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
