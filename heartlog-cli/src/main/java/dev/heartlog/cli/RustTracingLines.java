package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Rust's {@code tracing} in {@code tracing-subscriber}'s default format ({@code
 * tracing_subscriber::fmt::init()}), which Rust workers print on stdout:
 *
 * <pre>
 * 2026-12-03T10:21:18.453189Z  INFO task{task_id="t-42" frame=7}: render: rendering frames=81
 * </pre>
 *
 * <p>the time (UTC), the level, the spans the event happened in, the target (the module) and the
 * message with the event's fields after it. Its compact format ({@code .compact()}: {@code task:
 * render: rendering frames=81 task_id="t-42"}) and a format without the target ({@code
 * .with_target(false)}) are read too; and the lines of {@code env_logger}, the {@code log} crate's
 * most used logger ({@link #envLogger}).
 */
final class RustTracingLines {

  /** The time, in RFC 3339 as tracing-subscriber writes it, and the level, padded to five. */
  private static final Pattern START = Pattern.compile(
      "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) +"
          + "(?<level>TRACE|DEBUG|INFO|WARN|ERROR) ");

  /** The target, a module's path ({@code render}, {@code worker::upload}), and the colon after it. */
  private static final Pattern TARGET = Pattern.compile("[A-Za-z_]\\w*(?:::[A-Za-z_]\\w*)*: ");

  /**
   * The event's place in the source after the target ({@code .with_file(true).with_line_number(true)}):
   * a Rust source's path, a colon, the line and a colon ({@code src/gpu.rs:42: }).
   */
  private static final Pattern PLACE = Pattern.compile("(?<file>[\\w./-]+\\.rs):(?<line>\\d{1,9}): ");

  /**
   * env_logger's line: {@code [2026-12-03T12:55:07Z INFO  render::gpu] VRAM at 95%}, the time in
   * RFC 3339 (of seconds by default, finer where the worker asked), or none, the level padded to
   * five, the target.
   */
  private static final Pattern ENV_LOGGER = Pattern.compile(
      "\\[(?:(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?<fraction>\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) )?"
          + "(?<level>TRACE|DEBUG|INFO|WARN|ERROR) +(?<target>[A-Za-z_][\\w:]*)\\] (?<message>.*)");

  private RustTracingLines() {}

  /**
   * A line of env_logger's ({@link #ENV_LOGGER}): its level, the message, the target as the
   * record's {@code logger}, a {@code task_id=} (or {@code task=}, {@code job_id=}) in the message
   * the task, as in tracing's. Its time is the record's where it is finer than a second: a time of
   * whole seconds would sort the record before the lines that came earlier in that second. Null
   * for any other line.
   */
  static ChildLineParser.Parsed envLogger(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 10 || line.charAt(0) != '[' || !(Character.isDigit(line.charAt(1)) || Character.isUpperCase(line.charAt(1)))) {
      return null;
    }
    Matcher matcher = ENV_LOGGER.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Instant time = matcher.group("fraction") != null ? IsoTime.parse(matcher.group("time")) : null;
    metadata.put("logger", matcher.group("target"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level(matcher.group("level")), message, PrintedFields.task(message), metadata,
        endsTask.test(message), time);
  }

  private static Level level(String name) {
    return switch (name) {
      case "TRACE", "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN" -> Level.WARNING;
      default -> Level.ERROR;
    };
  }

  /**
   * A line in tracing-subscriber's format: its level (TRACE is DEBUG, WARN WARNING), its time,
   * the message after the prefix (the event's fields still after it, as printed), the target as
   * the record's {@code logger}, the spans as printed in {@code spans}; a {@code task_id} (or
   * {@code task}, {@code job_id}) field of the innermost span that has one, or else of the event,
   * is the line's task, the current task from then on, as a structured line's. Null for a line
   * in no such format.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 30 || line.charAt(4) != '-' || line.charAt(10) != 'T' || !LoggerFormats.startsWithDigit(line)) {
      return null;
    }
    Matcher start = START.matcher(line);
    if (!start.lookingAt()) {
      return null;
    }
    Instant time = IsoTime.parse(start.group("time"));
    if (time == null) {
      return null;
    }
    int at = start.end();
    int spansEnd = spansEnd(line, at);
    String spans = spansEnd > at ? line.substring(at, spansEnd - 2) : null;
    Matcher target = TARGET.matcher(line).region(spansEnd, line.length());
    int messageStart = spansEnd;
    if (target.lookingAt()) {
      metadata.put("logger", line.substring(spansEnd, target.end() - 2));
      messageStart = target.end();
    }
    if (line.startsWith(".rs:", line.indexOf(':', messageStart) - 3)) {   // a colon after the path's .rs
      Matcher place = PLACE.matcher(line).region(messageStart, line.length());
      if (place.lookingAt()) {
        metadata.put("file", place.group("file"));
        metadata.put("line", Integer.parseInt(place.group("line")));
        messageStart = place.end();
      }
    }
    if (spans != null) {
      metadata.put("spans", spans);
    }
    String message = line.substring(messageStart);
    String task = spans != null ? PrintedFields.task(spans) : null;
    if (task == null) {
      task = PrintedFields.task(message);
    }
    return new ChildLineParser.Parsed(level(start.group("level")), message, task, metadata, endsTask.test(message), time);
  }

  /**
   * Where the spans before the target end ({@code task{task_id="t-42"}:upload{bucket="r"}: }, the
   * colon and space included), or {@code from} where there are none. A span is read only with its
   * fields in braces, as one of a chain joined by colons, or as a name with a dash, which no
   * module's path has, before a target (text-generation-inference's {@code shard-manager:
   * text_generation_launcher: ...}): any other lone {@code word: } is the target, or the start of
   * the message.
   */
  private static int spansEnd(String line, int from) {
    int i = from;
    int count = 0;
    boolean braces = false;
    boolean dashed = false;
    while (i < line.length()) {
      int nameStart = i;
      while (i < line.length() && isNameChar(line.charAt(i))) {
        dashed |= line.charAt(i) == '-';
        i++;
      }
      if (i == nameStart) {
        return from;
      }
      if (i < line.length() && line.charAt(i) == '{') {
        i = closingBrace(line, i);
        if (i < 0) {
          return from;
        }
        i++;
        braces = true;
      }
      if (i >= line.length() || line.charAt(i) != ':') {
        return from;
      }
      i++;
      count++;
      if (i < line.length() && line.charAt(i) == ' ') {
        boolean spanBeforeTarget = dashed && TARGET.matcher(line).region(i + 1, line.length()).lookingAt();
        return braces || count > 1 || spanBeforeTarget ? i + 1 : from;
      }
    }
    return from;
  }

  /** The index of the brace that closes the one at {@code open}, past quoted strings and nested braces; -1 where none. */
  private static int closingBrace(String line, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }
}
