package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A line a structured logger printed, read into a record: one JSON object (structlog,
 * python-json-logger, loguru's {@code serialize}, pino, zap, logrus's JSON formatter, Rust's
 * tracing-subscriber's {@code json()}, Log4j 2's {@code JsonLayout}, Serilog's compact JSON) or logfmt
 * pairs ({@link Logfmt}: Go's {@code log/slog} TextHandler, logrus's text formatter, go-kit).
 */
final class StructuredLine {

  /**
   * Takes NaN and Infinity for numbers: Python's json.dumps writes them so by default (structlog's
   * JSONRenderer, a training loss gone NaN), and a line that holds one is still that logger's
   * record, not text. They are kept as the strings "NaN", "Infinity", "-Infinity".
   */
  private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Field names structured loggers give the level, the message, the task, the logger, the exception and the time. */
  // .NET's JSON console (Microsoft.Extensions.Logging): LogLevel, Message, Category, Timestamp, Exception.
  private static final List<String> LEVEL_FIELDS = List.of("level", "levelname", "severity", "lvl", "log.level", "LogLevel");
  private static final List<String> MESSAGE_FIELDS = List.of("message", "msg", "event", "@message", "Message");
  // A job queue's job is the task: RQ's and most queues' job_id, bound to a structured logger.
  private static final List<String> TASK_FIELDS = PrintedFields.TASK_NAMES;
  private static final List<String> LOGGER_FIELDS = List.of("logger", "name", "logger_name", "log.logger", "Category");
  // Elastic Common Schema's loggers that write its fields flat (ecs-logging-java): error.stack_trace;
  // Datadog's standard attribute, written flat by the formatters that follow its naming: error.stack.
  private static final List<String> EXCEPTION_FIELDS = List.of("exception", "exc_info", "stack_trace", "stack",
      "stacktrace", "Exception", "error.stack_trace", "error.stack");
  /**
   * Where pino and bunyan put a logged {@code Error}: an object with its {@code stack}; where the
   * Elastic Common Schema's loggers do (ecs-logging for Python and Node.js), {@code error} with
   * its {@code stack_trace}.
   */
  private static final List<String> ERROR_FIELDS = List.of("err", "error");
  private static final List<String> ERROR_STACK_FIELDS = List.of("stack", "stack_trace");
  private static final List<String> TIME_FIELDS = List.of("timestamp", "@timestamp", "time", "ts", "Timestamp");
  /** A logfmt line is a record's only with one of these keys: {@code loss=0.23 step=100} is a line like any other. */
  private static final List<String> LOGFMT_KEYS = Stream.concat(LEVEL_FIELDS.stream(), MESSAGE_FIELDS.stream()).toList();
  /** Epoch seconds before 2001 are taken for durations or counts, which loggers write under these names too. */
  private static final long SINCE_2001 = 1_000_000_000L;
  /** Epoch seconds of 10000-01-01: a number past it is no time. */
  private static final double AFTER_9999 = 253_402_300_800d;

  /**
   * The record a structured line makes: the level, message, task, logger, exception and time from
   * the fields such loggers name them by, every other field into {@code metadata}. A line without
   * a message field keeps its whole text as the message. Null for a line that is neither one JSON
   * object nor logfmt pairs with a level or a message among them (without one, {@code loss=0.23
   * step=100} is a line like any other).
   */
  static ChildLineParser.Parsed parse(String line, Level streamDefault, RecordMetadata metadata, Predicate<String> endsTask) {
    Map<String, Object> fields = object(line);
    boolean runPod = false;
    if (fields != null) {
      runPod = RunPodLines.jsonRecord(fields) != null;   // its job's requestId, the task
      fields = laidOut(fields);
    }
    if (fields == null) {
      fields = Logfmt.pairs(line, LOGFMT_KEYS);
      if (fields == null) {
        return null;
      }
    }
    Object levelValue = take(fields, LEVEL_FIELDS);
    Level level = levelValue == null ? streamDefault : level(levelValue, streamDefault);
    Object messageValue = take(fields, MESSAGE_FIELDS);
    String message = messageValue instanceof String text ? text : line;
    if (messageValue != null && !(messageValue instanceof String)) {
      fields.put("message", messageValue);   // not text: kept with the fields
    }
    Object taskValue = take(fields, TASK_FIELDS);
    String task = taskValue == null || taskValue.toString().isBlank() ? null : taskValue.toString();
    Object logger = take(fields, LOGGER_FIELDS);
    if (logger == null && fields.get("log") instanceof Map<?, ?> log && log.get("logger") instanceof String name) {
      logger = name;   // the Elastic Common Schema's, nested: "log": {"logger": "worker", "origin": ...}
    }
    if (logger != null) {
      metadata.put("logger", logger.toString());
    }
    String errorText = errorText(fields);
    boolean goStack = fields.get("stacktrace") instanceof String;
    Object exception = take(fields, EXCEPTION_FIELDS);
    if (exception instanceof List<?> listed) {
      exception = ListedStacks.text(listed, errorText != null ? errorText : message);
    }
    if (exception == null) {
      exception = takeErrorsStack(fields);
    }
    if (exception == null && messageValue instanceof String) {
      int trace = traceStart(message);
      if (trace > 0) {
        exception = message.substring(trace);
        message = message.substring(0, trace).stripTrailing();
      } else if (message.startsWith(PythonTracebackLines.PYTHON_START + "\n")) {
        // log.error(traceback.format_exc()): the traceback alone, named by its exception's line
        // as an uncaught one is; before, every such error was one kind, "Traceback (most recent ...".
        String traceback = message.strip();
        exception = traceback;
        message = traceback.substring(traceback.lastIndexOf('\n') + 1);
      }
    }
    if (exception == null) {
      exception = errorText;   // Go's loggers' error, text alone: "error": "connection reset"
    } else if (goStack && errorText != null && !exception.toString().contains(errorText)) {
      exception = errorText + "\n" + exception;   // zap's stacktrace, its frames alone, under the error it is of
    }
    if (exception != null) {
      metadata.put("exception", exception.toString());
    }
    Instant time = null;
    for (String name : TIME_FIELDS) {
      time = fields.containsKey(name) ? time(fields.get(name)) : null;
      if (time != null) {
        fields.remove(name);   // it is the record's time; a time that cannot be read stays a field
        break;
      }
    }
    fields.forEach(metadata::putIfAbsent);
    boolean ends = endsTask.test(message) || runPod && RunPodLines.endsJob(task, message);
    return new ChildLineParser.Parsed(level, message, task, metadata, ends, time,
        runPod ? RunPodLines.SCOPE : ChildLineParser.TaskScope.CURRENT, false, levelValue != null);
  }

  /**
   * The fields of a logger that nests or names them in its own way laid out as the others name
   * them (loguru's {@code serialize}, tracing-subscriber's {@code json()}, Log4j 2's {@code
   * JsonLayout}, Serilog's compact JSON, OpenTelemetry's Python SDK's console records); any other
   * object's as they are.
   */
  private static Map<String, Object> laidOut(Map<String, Object> fields) {
    Map<String, Object> flat = LoguruRecord.flatten(fields);
    if (flat == null) {
      flat = TracingJsonRecord.flatten(fields, TASK_FIELDS);
    }
    if (flat == null) {
      flat = Log4jJsonRecord.flatten(fields);
    }
    if (flat == null) {
      flat = SerilogCompactRecord.flatten(fields);
    }
    if (flat == null) {
      flat = OpenTelemetryRecord.flatten(fields);
    }
    return flat == null ? fields : flat;
  }

  /**
   * Where the stack trace a message carries below its first lines begins, or -1: a formatter that
   * writes the record as Python's {@code logging.Formatter.format} does, the traceback appended to
   * the message (google-cloud-logging's {@code StructuredLogHandler}, a JSON formatter of one's
   * own), or a Java stack trace so appended (a line naming the exception, then {@code \tat}
   * frames). The store then names the error by its exception, not by the message's first line.
   */
  private static int traceStart(String message) {
    int python = message.indexOf("\nTraceback (most recent call last):\n");
    if (python > 0) {
      return python + 1;
    }
    int frame = message.indexOf("\n\tat ");
    int exceptionLine = frame < 0 ? -1 : message.lastIndexOf('\n', frame - 1);
    return exceptionLine > 0 ? exceptionLine + 1 : -1;
  }

  /**
   * A logged error's text, where the line gives it as text ({@code "error": "connection reset"}:
   * zap's {@code zap.Error}, zerolog's {@code Err}, logrus's {@code WithError}; {@code "err"}:
   * the name {@code log/slog}'s users give it), or null. Go's errors carry no stack, so the text
   * is what the error says: the record's exception, where the line has none, so that the store
   * names the error's kind by it, not by the message every such failure shares ("render
   * failed"). The field stays in the metadata too.
   */
  static String errorText(Map<String, Object> fields) {
    for (String name : ERROR_FIELDS) {
      if (fields.get(name) instanceof String text && !text.isBlank()) {
        return text;
      }
    }
    return null;
  }

  /**
   * The stack of a logged error, as pino and bunyan write one ({@code "err": {"type": "Error",
   * "message": "...", "stack": "Error: ...\n    at ..."}}), or the Elastic Common Schema ({@code
   * "error": {"type": "...", "message": "...", "stack_trace": "..."}}): taken out of its object,
   * whose other fields stay. Null where there is none.
   */
  private static String takeErrorsStack(Map<String, Object> fields) {
    for (String name : ERROR_FIELDS) {
      if (!(fields.get(name) instanceof Map<?, ?> error)) {
        continue;
      }
      for (String stackField : ERROR_STACK_FIELDS) {
        if (error.get(stackField) instanceof String stack && !stack.isBlank()) {
          Map<Object, Object> rest = new LinkedHashMap<>(error);
          rest.remove(stackField);
          fields.put(name, rest);
          return pythonTraceback(stack, error.get("type"), error.get("message"));
        }
      }
    }
    return null;
  }

  /**
   * The stack as Python prints a traceback, where it holds a Python traceback's frames alone, as
   * ecs-logging for Python writes them ({@code traceback.format_tb}: no {@code Traceback (most
   * recent call last):} above them, and the exception, its {@code type} and {@code message}, in
   * fields of their own): so the store names its exception ({@code OSError: disk full}), where it
   * named none for frames alone. Any other stack as it is.
   */
  private static String pythonTraceback(String stack, Object type, Object message) {
    if (!stack.startsWith("  File \"") || !(type instanceof String name) || name.isBlank()) {
      return stack;
    }
    String exception = message instanceof String text && !text.isEmpty() ? name + ": " + text : name;
    return "Traceback (most recent call last):\n" + stack.stripTrailing() + "\n" + exception;
  }

  /** Removes and returns the first of {@code names} the object has (with a non-null value). */
  private static Object take(Map<String, Object> fields, List<String> names) {
    for (String name : names) {
      Object value = fields.remove(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * A time written as ISO-8601 with its offset ({@code 2026-11-29T16:00:00.123456Z}, {@code
   * +01:00}), or as a number since 1970 in seconds, milli-, micro- or nanoseconds by its size
   * (Python's {@code time.time()}, pino's {@code Date.now()}, zap's seconds), after 2001; null
   * otherwise (a local time without offset says nothing certain, a small number is a duration).
   */
  static Instant time(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();   // exact: no rounding through a double
      if (n < SINCE_2001) {
        return null;   // a duration or a count, not a time
      }
      // Seconds, milli-, micro- or nanoseconds, by size, as the store reads a numeric time.
      long perSecond = n < 100_000_000_000L ? 1
          : n < 100_000_000_000_000L ? 1_000
          : n < 100_000_000_000_000_000L ? 1_000_000
          : 1_000_000_000;
      long micros = (n % perSecond) * 1_000_000 / perSecond;
      return Instant.ofEpochSecond(n / perSecond, micros * 1_000);
    }
    if (value instanceof Double number) {   // with a fraction: time.time()'s seconds, a float's milliseconds
      double n = number;
      if (!(n >= SINCE_2001) || Double.isInfinite(n)) {
        return null;   // a duration ("time": 1.5)
      }
      double seconds = n / (n < 1e11 ? 1 : n < 1e14 ? 1e3 : n < 1e17 ? 1e6 : 1e9);
      if (seconds >= AFTER_9999) {
        return null;   // 1e39: past any time, where Instant threw and the line was read as no record
      }
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1_000L);
    }
    if (value instanceof String text) {
      return IsoTime.parse(text);
    }
    return null;
  }

  /**
   * A level written as a name ({@code "warn"}, {@code "ERROR"}) or as pino's number (30 info, 50
   * error). The names are those of Python's logging, Go's (zap's DPANIC, logrus's PANIC), syslog's
   * (CRIT, EMERG, ...: a worker that logs with syslog's names, as rsyslog's JSON template writes
   * them), winston's (VERBOSE and SILLY, below DEBUG) and .NET's (INFORMATION).
   */
  private static Level level(Object value, Level streamDefault) {
    if (value instanceof Number number) {
      int n = number.intValue();
      return n >= 60 ? Level.CRITICAL : n >= 50 ? Level.ERROR : n >= 40 ? Level.WARNING : n >= 30 ? Level.INFO : Level.DEBUG;
    }
    String name = value.toString().trim().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "TRACE", "DEBUG", "FINE", "FINER", "FINEST", "VERBOSE", "SILLY" -> Level.DEBUG;
      case "INFO", "INFORMATION", "INFORMATIONAL", "NOTICE", "CONFIG", "SUCCESS" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "ERR", "SEVERE" -> Level.ERROR;
      case "CRITICAL", "CRIT", "FATAL", "PANIC", "ALERT", "EMERGENCY", "EMERG", "DPANIC" -> Level.CRITICAL;
      default -> {
        Level slog = GoLoggerLines.slogLevel(name);   // a level of slog's between its own: ERROR+4
        yield slog == null ? streamDefault : slog;
      }
    };
  }

  private StructuredLine() {}

  /**
   * The object the line holds, its fields as maps, lists, strings, numbers, booleans and nulls in
   * their order; null when it is not exactly one JSON object.
   */
  static Map<String, Object> object(String line) {
    String trimmed = line.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '{' || trimmed.charAt(trimmed.length() - 1) != '}') {
      return null;
    }
    try (JsonParser parser = JSON.createParser(trimmed)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, Object> object = readObject(parser);
      return parser.nextToken() == null ? object : null;
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }
}
