package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logback's reports of itself, which it prints on stdout where its configuration has an error or
 * a warning (an appender's class not found, {@code heartlog}'s misspelt among them) or asks for
 * them ({@code <configuration debug="true">}): {@code 09:28:02,379 |-ERROR in
 * ch.qos.logback.core.model.processor.AppenderModelHandler - Could not create an Appender of type
 * [...]}, the time, the level, what reports it and the message. The level is the record's, the
 * message after {@code  - }, {@code component} {@code logback} and what reported it in {@code
 * origin}; the time is local and has no date, and the record keeps the time the line came. Before,
 * the level was read but the rest stayed in the message.
 *
 * <p>Logback prints the exception of such a report below it with {@code \tat } before each of
 * its lines, the frames' own {@code \tat } after it ({@code \tat \tat ch.qos...(OptionHelper.java:69)},
 * {@code \tat \t... 31 common frames omitted}), and its causes without; {@link #unprefixed} takes
 * that prefix off, and the lines are a JVM's stack trace, the report's exception, where each was a
 * line of its own.
 */
final class LogbackStatusLines {

  private static final Pattern STATUS = Pattern.compile(
      "\\d\\d:\\d\\d:\\d\\d,\\d{3} \\|-(?<level>INFO|WARN|ERROR) in (?<origin>\\S(?:.*?\\S)?) - (?<message>.*)");

  /** What Logback puts before each line of a report's exception. */
  private static final String PREFIX = "\tat ";

  private LogbackStatusLines() {}

  /** The line's record, or null where it is no report of Logback's. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 24 || line.charAt(12) != ' ' || line.charAt(13) != '|' || line.charAt(14) != '-') {
      return null;
    }
    Matcher matcher = STATUS.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("component", "logback");
    metadata.put("origin", matcher.group("origin"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message), null, ChildLineParser.TaskScope.CURRENT, false, true);
  }

  /**
   * A line of a Logback report's exception without the {@code \tat } Logback put before it: a
   * frame ({@code \tat \tat ...}), the frames left out ({@code \tat \t... 31 common frames
   * omitted}), or the exception's line ({@code \tat ch.qos.logback.core.util.
   * DynamicClassLoadingException: Failed to instantiate type ...}); any other line as it is.
   */
  static String unprefixed(String text) {
    if (!text.startsWith(PREFIX)) {
      return text;
    }
    if (text.startsWith(PREFIX, PREFIX.length()) || text.startsWith("\t...", PREFIX.length())) {
      return text.substring(PREFIX.length());
    }
    if (text.endsWith(")") || text.endsWith("]")) {
      // a JVM's frame, every frame tested so: "\tat com.example.Render.main(Render.java:4)", with
      // the jar after it as Log4j2 prints it by default, "... ~[render.jar:?]"
      return text;
    }
    String rest = text.substring(PREFIX.length());
    return TracebackLines.isExceptionLine(rest) ? rest : text;
  }
}
