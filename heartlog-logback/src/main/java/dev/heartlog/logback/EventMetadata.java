package dev.heartlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.agent.ThreadNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * What a Logback event carries besides its message, read on the logging thread into a record's
 * metadata: logger, thread, caller, exception, markers, MDC entries and the key-value pairs of
 * SLF4J's fluent API ({@code log.atInfo().addKeyValue("frame", 12).log(...)}), later entries
 * replacing earlier ones of the same key. The entry that names the task is not among them: it
 * files the record under its task instead.
 */
final class EventMetadata {

  /**
   * Whether events have SLF4J 2's key-value pairs, a list of markers and an {@link Instant}, as
   * from Logback 1.3 on. Logback 1.2 (Spring Boot 2's, on SLF4J 1.7) has none of them: called
   * there, each threw {@link NoSuchMethodError} out of the worker's own log call.
   */
  static final boolean SLF4J_2_EVENTS = hasMethod("getKeyValuePairs");

  private EventMetadata() {}

  private static boolean hasMethod(String name) {
    try {
      ILoggingEvent.class.getMethod(name);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** When the event was made: to the nanosecond from Logback 1.3 on, to the millisecond before. */
  static Instant instant(ILoggingEvent event) {
    return SLF4J_2_EVENTS ? event.getInstant() : Instant.ofEpochMilli(event.getTimeStamp());
  }

  /**
   * What an event names under {@code key} (its task, its component): its key-value pair of that
   * key, which is the call's own, else its MDC entry; {@code null} when it names nothing there.
   */
  static String named(ILoggingEvent event, String key) {
    List<KeyValuePair> pairs = keyValuePairs(event);
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (key.equals(pair.key) && pair.value != null) {
          return pair.value.toString();
        }
      }
    }
    return event.getMDCPropertyMap().get(key);
  }

  /** The metadata of an event; {@code taskKey}'s entries are left out. */
  static RecordMetadata of(ILoggingEvent event, String taskKey, boolean includeCallerData) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    List<KeyValuePair> pairs = keyValuePairs(event);
    List<Marker> markers = markers(event);
    IThrowableProxy thrown = event.getThrowableProxy();
    boolean onlyTheTask = mdc.size() == (mdc.containsKey(taskKey) ? 1 : 0);
    if (onlyTheTask && isEmpty(pairs) && isEmpty(markers) && thrown == null && !includeCallerData) {
      return loggerAndThread(event);
    }
    RecordMetadata metadata = new RecordMetadata(2 + mdc.size() + (pairs == null ? 0 : pairs.size()));
    metadata.put("logger", event.getLoggerName());
    metadata.put("thread", threadName(event));
    if (includeCallerData) {
      StackTraceElement[] caller = event.getCallerData();
      if (caller != null && caller.length > 0) {
        metadata.put("class", caller[0].getClassName());
        metadata.put("method", caller[0].getMethodName());
        metadata.put("line", caller[0].getLineNumber());
      }
    }
    if (thrown != null) {
      metadata.put("exception", stackTrace(thrown));
    }
    if (!isEmpty(markers)) {
      metadata.put("markers", markers.stream().map(Marker::getName).toList());
    }
    for (Map.Entry<String, String> entry : mdc.entrySet()) {
      if (!taskKey.equals(entry.getKey())) {
        metadata.put(entry.getKey(), entry.getValue());
      }
    }
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (!taskKey.equals(pair.key)) {
          metadata.put(String.valueOf(pair.key), RecordMetadata.captured(pair.value));   // read later, elsewhere
        }
      }
    }
    return metadata;
  }

  private static List<KeyValuePair> keyValuePairs(ILoggingEvent event) {
    return SLF4J_2_EVENTS ? event.getKeyValuePairs() : null;
  }

  @SuppressWarnings("deprecation")  // Logback 1.2's only way to a marker; later ones keep it
  private static List<Marker> markers(ILoggingEvent event) {
    if (SLF4J_2_EVENTS) {
      return event.getMarkerList();
    }
    Marker marker = event.getMarker();
    return marker == null ? null : List.of(marker);
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }

  /** The metadata of an event that has nothing but its logger and thread: shared, see {@link RecordMetadata#ofLoggerAndThread}. */
  private static RecordMetadata loggerAndThread(ILoggingEvent event) {
    return RecordMetadata.ofLoggerAndThread(event.getLoggerName(), threadName(event));
  }

  /**
   * The event's thread name. Logback 1.5 names a nameless virtual thread {@code virtual-<id>};
   * before 1.5 (Spring Boot 3.2's 1.4) it records an empty name, and the appender, called on the
   * logging thread, names it as 1.5 would ({@link ThreadNames}). Behind an {@code AsyncAppender}
   * that thread is gone, and the name stays empty.
   */
  private static String threadName(ILoggingEvent event) {
    String name = event.getThreadName();
    Thread current = Thread.currentThread();
    return (name == null || name.isEmpty()) && current.getName().isEmpty() ? ThreadNames.of(current) : name;
  }

  /**
   * The exception as Logback's console prints it: frames, suppressed exceptions, causes and the
   * frames they share with the exception they caused, without the last line's newline.
   */
  private static String stackTrace(IThrowableProxy thrown) {
    String text = ThrowableProxyUtil.asString(thrown);
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
