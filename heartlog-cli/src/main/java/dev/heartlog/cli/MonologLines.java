package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Monolog's lines, a PHP worker's log (a Laravel or Symfony queue worker's, logging to stderr as
 * in a container), in its {@code LineFormatter}'s default format: {@code [%datetime%]
 * %channel%.%level_name%: %message% %context% %extra%}, the context and the extra as JSON ({@code
 * []} where empty): {@code [2026-12-06T06:57:21.154842+00:00] worker.ERROR: Render failed
 * {"exception":"[object] (RuntimeException(code: 0): CUDA out of memory at
 * /srv/app/worker.php:14)","task_id":"t-42"} []}. Laravel's: the time without its zone, an empty
 * context and extra left out, and an exception's stack trace on the lines below, inside the
 * context's JSON ({@code [stacktrace]}, {@code #0 ...}, then {@code "} }).
 */
final class MonologLines {

  private static final Pattern LINE = Pattern.compile(
      "\\[(?<time>\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?<zone>Z|[+-]\\d\\d:?\\d\\d)?)\\] "
          + "(?<channel>[\\w.-]{1,100})\\.(?<level>DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY): (?<rest>.*)");

  /**
   * How Monolog writes an exception in the context: {@code [object] (RuntimeException(code: 0):
   * CUDA out of memory at /srv/app/worker.php:14)}, its stack trace below where the formatter
   * includes it, a previous exception below that.
   */
  private static final Pattern EXCEPTION = Pattern.compile(
      "\\[object] \\((?<type>[^\\s(]+)\\(code: (?<code>-?\\d+)\\): (?<message>.*?) at (?<place>\\S+:\\d+)\\)(?=\\n|$)",
      Pattern.DOTALL);

  /** Where a context with an exception begins, which may go on over the lines below its record's. */
  private static final String EXCEPTION_CONTEXT = " {\"exception\":\"[object] (";

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Symfony's {@code ConsoleHandler}, which a Symfony console command logs through (a Messenger
   * worker's {@code messenger:consume -vv}): {@code 07:30:46 WARNING   [messenger] Error thrown
   * while handling message ... ["class" => "App\\Message\\RenderVideo","retryCount" => 1]}, the
   * level padded to nine, the context dumped by VarDumper after the message, left out where empty.
   */
  private static final Pattern SYMFONY_CONSOLE = Pattern.compile(
      "\\d\\d:\\d\\d:\\d\\d (?<level>DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY) +"
          + "\\[(?<channel>[^\\]\\s]{1,100})\\] (?<message>.*)");

  private MonologLines() {}

  /**
   * A line of Symfony's {@code ConsoleHandler} ({@link #SYMFONY_CONSOLE}): its level (as {@link
   * #parse}'s), the channel as the record's {@code logger}, the message, and the context VarDumper
   * wrote after it ({@code ["class" => ...]}) in {@code context}, as written. Before, the level
   * was read, but the time, the level, the channel and the context stayed in the message. The
   * time has no date, so the record keeps the time the line came. Null for any other line.
   */
  static ChildLineParser.Parsed symfonyConsole(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 20 || line.charAt(2) != ':' || line.charAt(8) != ' ' || !Character.isUpperCase(line.charAt(9))) {
      return null;
    }
    Matcher matcher = SYMFONY_CONSOLE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("channel"));
    String message = matcher.group("message");
    int context = message.indexOf(" [\"");
    if (context >= 0 && message.endsWith("]")) {
      metadata.put("context", message.substring(context + 1));
      message = message.substring(0, context);
    }
    Level level = LevelNames.syslogLevel(matcher.group("level"));
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }


  /**
   * A line of Monolog's: its level (NOTICE is INFO, ALERT and EMERGENCY CRITICAL), the channel as
   * the record's {@code logger}, the time where it has a zone (Laravel's has none: the record
   * keeps the time the line came), the message, and the context's fields into the metadata: a
   * {@code task_id} (or {@code task}, {@code job_id}) field is the line's task, an exception the
   * record's ({@link #exception}). A context that goes on below the line (Laravel's stack trace)
   * is read once the lines below have joined it ({@link #laidOut}). Before, the level was read,
   * but the time, the channel, the level and the context's JSON stayed in the message, so an
   * error's kind was named by all of it. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 30 || line.charAt(0) != '[' || line.charAt(5) != '-' || !channelAndLevelFollow(line)) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.syslogLevel(matcher.group("level"));
    metadata.put("logger", matcher.group("channel"));
    Instant time = matcher.group("zone") != null ? IsoTime.parse(matcher.group("time")) : null;
    Map<String, Object> fields = new LinkedHashMap<>();
    String message = withoutContext(matcher.group("rest"), fields, false);
    String task = PrintedFields.takeTask(fields);
    metadata.putAll(fields);
    return new ChildLineParser.Parsed(level, message, task, metadata, endsTask.test(message), time,
        task != null ? ChildLineParser.TaskScope.LINE : ChildLineParser.TaskScope.CURRENT);
  }

  /**
   * Whether the word after the time's bracket ends with a colon ({@code production.ERROR:}): a
   * test that turns away most lines of other shapes before {@link #LINE} is tried, which cost
   * a line that began with a time in brackets 15% more time to read.
   */
  private static boolean channelAndLevelFollow(String line) {
    int close = line.indexOf(']', 20);
    if (close < 0 || close > 37 || close + 2 >= line.length() || line.charAt(close + 1) != ' ') {
      return false;
    }
    int space = line.indexOf(' ', close + 2);
    return space > close + 2 && line.charAt(space - 1) == ':';
  }

  /**
   * A held record of Monolog's whose context went on over the lines below it, the lines joined
   * ({@link Tracebacks}), with the context read off its message: Laravel writes an exception's
   * stack trace inside the context's JSON, line breaks kept. Any other record as it is.
   */
  static Tracebacks.Line laidOut(Tracebacks.Line record) {
    String text = record.message();
    if (!record.metadata().containsKey("logger") || text.indexOf('\n') < 0 || !text.contains(EXCEPTION_CONTEXT)) {
      return record;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    String message = withoutContext(text, fields, true);
    if (fields.isEmpty()) {
      return record;
    }
    String task = PrintedFields.takeTask(fields);
    RecordMetadata metadata = new RecordMetadata(record.metadata().size() + fields.size());
    metadata.putAll(record.metadata());
    metadata.putAll(fields);
    return new Tracebacks.Line(record.at(), record.level(), message, record.task() != null ? record.task() : task,
        metadata, record.arrivedNanos(), record.ownLevel());
  }

  /**
   * The message without the context and the extra after it, their fields put into {@code
   * fields} (the exception as {@link #exception} writes it); the text, its end's white space
   * trimmed, where no JSON ends it. {@code lineBreaks}: the JSON's strings may hold line breaks.
   */
  private static String withoutContext(String rest, Map<String, Object> fields, boolean lineBreaks) {
    String text = rest.stripTrailing();
    if (text.isEmpty() || text.charAt(text.length() - 1) != ']' && text.charAt(text.length() - 1) != '}') {
      return text;
    }
    for (int space = text.indexOf(' '); space >= 0; space = text.indexOf(' ', space + 1)) {
      if (space + 1 < text.length() && (text.charAt(space + 1) == '{' || text.charAt(space + 1) == '[')) {
        String json = text.substring(space + 1);
        if (readContext(lineBreaks ? json.replace("\n", "\\n") : json, fields)) {
          return text.substring(0, space);
        }
      }
    }
    return text;
  }

  /**
   * Reads a context and an extra, each an object or an empty array ({@code {"frame":7} []}), or
   * one of them (Laravel leaves an empty one out), into {@code fields}; false, and nothing read,
   * where the text is not that.
   */
  private static boolean readContext(String json, Map<String, Object> fields) {
    Map<String, Object> read = new LinkedHashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      for (int value = 0; value < 2; value++) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          break;   // the context alone: Laravel leaves an empty extra out
        }
        long start = parser.currentTokenLocation().getCharOffset();
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
          return false;
        }
        parser.skipChildren();
        if (token == JsonToken.START_OBJECT) {
          Map<String, Object> object = StructuredLine.object(json.substring((int) start,
              (int) parser.currentLocation().getCharOffset()));
          if (object == null) {
            return false;
          }
          read.putAll(object);
        }
      }
      if (parser.nextToken() != null) {
        return false;
      }
    } catch (IOException | RuntimeException notJson) {
      return false;
    }
    if (read.get("exception") instanceof String exception) {
      Matcher thrown = EXCEPTION.matcher(exception);
      if (thrown.lookingAt()) {
        read.put("exception", exception(thrown, exception));
        if (!thrown.group("code").equals("0")) {
          read.put("exception_code", Long.parseLong(thrown.group("code")));
        }
      }
    }
    fields.putAll(read);
    return true;
  }

  /**
   * An exception as PHP writes one ({@code RuntimeException: CUDA out of memory in
   * /srv/app/worker.php:14}), the stack trace and previous exceptions Monolog wrote below it
   * kept: named so, its kind is the exception's, as for PHP's own fatal errors.
   */
  private static String exception(Matcher thrown, String text) {
    String below = text.substring(thrown.end()).stripTrailing();
    return thrown.group("type") + ": " + thrown.group("message") + " in " + thrown.group("place") + below;
  }
}
