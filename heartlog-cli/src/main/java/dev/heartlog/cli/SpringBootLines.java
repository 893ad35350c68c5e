package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Spring Boot application's console, Java's most used framework, in its default
 * format: {@code 2026-12-03T12:00:01.456Z  WARN 12345 --- [render] [   worker-1]
 * c.e.render.GpuCheck : VRAM at 95%} (Spring Boot 3; the application's name in brackets since
 * 3.4), and Spring Boot 2's, whose time has no zone ({@code 2026-12-03 12:00:03.000  INFO 12345
 * --- [main] c.e.render.RenderApp : ...}).
 */
final class SpringBootLines {

  private static final Pattern LINE = Pattern.compile(
      "(?<time>\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?<zone>Z|[+-]\\d\\d:\\d\\d)?) +"
          + "(?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) (?<pid>\\d{1,10}) --- (?:\\[(?<application>[^\\]]*)\\] )?"
          + "\\[ *(?<thread>[^\\]]*)\\] (?<logger>\\S+) *:(?: (?<message>.*))?");

  /** How far into its line Spring Boot's {@code --- [} may come: past the time, the level and the process. */
  private static final int SEPARATOR_REACH = 64;

  private SpringBootLines() {}

  /**
   * A Spring Boot line: its level (TRACE is DEBUG, FATAL CRITICAL), the message after the
   * logger's column, the logger as the record's {@code logger}, the thread, the process in {@code
   * pid}; its time is the record's where it has a zone (Spring Boot 3's). A stack trace below it
   * joins it ({@link Tracebacks}). Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(4) != '-' || !LoggerFormats.startsWithDigit(line)) {
      return null;
    }
    int separator = line.indexOf(" --- [");
    if (separator < 0 || separator > SEPARATOR_REACH) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.javaLevel(matcher.group("level"));
    metadata.put("logger", matcher.group("logger"));
    metadata.put("thread", matcher.group("thread"));
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    if (matcher.group("application") != null && !matcher.group("application").isBlank()) {
      metadata.put("application", matcher.group("application").strip());
    }
    Instant time = matcher.group("zone") != null ? IsoTime.parse(matcher.group("time")) : null;
    // Empty where the message begins with a line end (and the line's last space was trimmed):
    // Spring Boot's "APPLICATION FAILED TO START" report, on the lines below.
    String message = matcher.group("message") == null ? "" : matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message), time);
  }
}
