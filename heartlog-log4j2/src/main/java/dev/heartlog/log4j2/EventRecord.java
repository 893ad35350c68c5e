package dev.heartlog.log4j2;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.MessagePattern;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.agent.ThreadNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.ReusableParameterizedMessage;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * What a Log4j event carries, read on the logging thread into a record: its level, its time to
 * the nanosecond where the clock gives it, and as metadata its logger, thread, exception, marker,
 * source location (where the appender and the logger are configured with {@code includeLocation})
 * and thread-context entries. Log4j reuses an event once the appender returns (its garbage-free mode),
 * so nothing of it is kept.
 */
final class EventRecord {

  private EventRecord() {}

  /** Maps a Log4j level onto the store's five by its severity: a custom level too. */
  static Level level(org.apache.logging.log4j.Level level) {
    int severity = level.intLevel();   // lower is more severe: FATAL 100, ERROR 200, WARN 300, INFO 400
    if (severity <= org.apache.logging.log4j.Level.FATAL.intLevel()) {
      return Level.CRITICAL;
    }
    if (severity <= org.apache.logging.log4j.Level.ERROR.intLevel()) {
      return Level.ERROR;
    }
    if (severity <= org.apache.logging.log4j.Level.WARN.intLevel()) {
      return Level.WARNING;
    }
    if (severity <= org.apache.logging.log4j.Level.INFO.intLevel()) {
      return Level.INFO;
    }
    return Level.DEBUG;
  }

  /**
   * A {@code {}} message's pattern and a copy of its arguments, to be formatted only if the record
   * is sent; null for any other message, or one {@link MessagePattern} cannot defer (arguments
   * that may change, escapes). Log4j's {@code {}} formatting is SLF4J's for such messages.
   */
  static MessagePattern pattern(Message message) {
    if (message instanceof ParameterizedMessage || message instanceof ReusableParameterizedMessage) {
      return MessagePattern.of(message.getFormat(), message.getParameters());
    }
    return null;
  }

  /** When the event was made. */
  static Instant instant(LogEvent event) {
    org.apache.logging.log4j.core.time.Instant made = event.getInstant();
    return Instant.ofEpochSecond(made.getEpochSecond(), made.getNanoOfSecond());
  }

  /** The event's thread name, or a name for a nameless (virtual) thread: see {@link ThreadNames}. */
  static String threadName(LogEvent event) {
    return ThreadNames.of(event.getThreadName(), event.getThreadId());
  }

  /** The event's thread-context entry under {@code key} (its task, its component), or null. */
  static String named(LogEvent event, String key) {
    Object value = event.getContextData().getValue(key);
    return value == null ? null : value.toString();
  }

  /** The metadata of an event; the entry under {@code taskKey} is left out, since it files the record. */
  static RecordMetadata metadata(LogEvent event, String taskKey, boolean includeLocation) {
    ReadOnlyStringMap context = event.getContextData();
    // Log4j finds the source by walking the caller's stack, microseconds a call: only when asked.
    StackTraceElement source = includeLocation && event.isIncludeLocation() ? event.getSource() : null;
    boolean onlyTheTask = context.size() == (context.containsKey(taskKey) ? 1 : 0);
    if (onlyTheTask && source == null && event.getThrown() == null && event.getMarker() == null) {
      return RecordMetadata.ofLoggerAndThread(event.getLoggerName(), threadName(event));
    }
    RecordMetadata metadata = new RecordMetadata(4 + context.size());
    metadata.put("logger", event.getLoggerName());
    metadata.put("thread", threadName(event));
    if (source != null) {
      metadata.put("class", source.getClassName());
      metadata.put("method", source.getMethodName());
      metadata.put("line", source.getLineNumber());
    }
    if (event.getThrown() != null) {
      metadata.put("exception", stackTrace(event.getThrown()));
    }
    Marker marker = event.getMarker();
    if (marker != null) {
      metadata.put("markers", List.of(marker.getName()));
    }
    context.forEach((key, value) -> {
      if (!taskKey.equals(key) && value != null) {
        metadata.put(key, value.toString());
      }
    });
    return metadata;
  }

  /** The exception as {@link Throwable#printStackTrace} prints it, without the last newline. */
  private static String stackTrace(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    String trace = text.toString();
    return trace.endsWith(System.lineSeparator()) ? trace.substring(0, trace.length() - System.lineSeparator().length()) : trace;
  }
}
