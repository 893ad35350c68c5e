package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chromium's log lines on stderr (and Electron's, and anything built on Chromium's base
 * logging), as a worker that renders pages to images or PDFs with headless Chromium prints them:
 * {@code [12858:12888:1203/164351.049268:ERROR:components/headless/command_handler/headless_command_handler.cc:266]
 * Failed to write file /nonexistent/dir/x.png: No such file or directory (2)}. The process and
 * thread, a time of no year, the level, the source file and line, in brackets; the message after.
 */
final class ChromiumLines {

  private static final Pattern LINE = Pattern.compile("\\[(?:(?<pid>\\d{1,10}):)?(?:\\d{1,10}:)?(?:\\d{4}/\\d{6}\\.\\d{3,6}:)?"
      + "(?<level>INFO|WARNING|ERROR|FATAL|VERBOSE\\d{0,2}):(?<file>[\\w./+-]{1,300}?)(?:\\((?<line>\\d{1,9})\\)|:(?<colonLine>\\d{1,9}))\\] "
      + "(?<message>.*)");

  private ChromiumLines() {}

  /**
   * A line of Chromium's: its level (VERBOSE is DEBUG, FATAL CRITICAL), the message after the
   * brackets, {@code component} {@code chromium}, the source {@code file} and {@code line}, and
   * the {@code pid}. The time is left: it has no year. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 16 || line.charAt(0) != '[' || !Character.isDigit(line.charAt(1)) && line.charAt(1) != 'I'
        && line.charAt(1) != 'W' && line.charAt(1) != 'E' && line.charAt(1) != 'F' && line.charAt(1) != 'V') {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String name = matcher.group("level");
    Level level = switch (name) {
      case "INFO" -> Level.INFO;
      case "WARNING" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      case "FATAL" -> Level.CRITICAL;
      default -> Level.DEBUG;   // VERBOSE1, VERBOSE2, ...
    };
    metadata.put("component", "chromium");
    metadata.put("file", matcher.group("file"));
    String number = matcher.group("line") != null ? matcher.group("line") : matcher.group("colonLine");
    metadata.put("line", Integer.parseInt(number));
    if (matcher.group("pid") != null) {
      metadata.put("pid", Long.parseLong(matcher.group("pid")));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
