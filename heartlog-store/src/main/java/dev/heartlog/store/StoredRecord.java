package dev.heartlog.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.agent.RepeatCount;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A log record as the store keeps it.
 *
 * @param id the store's id (increasing in the order rows were stored)
 * @param timestamp when the worker made the record, by the worker's clock
 * @param receivedAt when the store received it; the difference to {@code timestamp} shows skew
 * @param level DEBUG, INFO, WARNING, ERROR or CRITICAL
 * @param message the message
 * @param workerId the worker that sent it ({@code source_id})
 * @param taskId the task it belongs to, or {@code null}
 * @param metadataJson the metadata as a JSON object
 * @param exception the exception text from the metadata, or {@code null}
 * @param sessionId the agent session that sent it, or {@code null} for older clients
 * @param sequence the record's number within that session, or {@code null}
 */
public record StoredRecord(
    long id,
    Instant timestamp,
    Instant receivedAt,
    String level,
    String message,
    String workerId,
    String taskId,
    String metadataJson,
    String exception,
    String sessionId,
    Long sequence) {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> COMPONENT_KEYS = Set.of("component", "logger");
  private static final Set<String> REPEATED_KEY = Set.of(RepeatCount.KEY);

  /** Whether it is an ERROR or CRITICAL record: heartlog's sign that a task failed. */
  public boolean isError() {
    return level.equals("ERROR") || level.equals("CRITICAL");
  }

  /**
   * Whether its exception is a stack trace, as the store's {@code heartlog_has_stack_trace()}
   * reads it: not null, empty or white space (a handler that writes every record's sends those
   * where there is none), nor Python's {@code NoneType: None}, what {@code logging} writes for
   * {@code exc_info=True} outside an {@code except} block; one of more than 64 bytes is one.
   */
  public boolean hasStackTrace() {
    if (exception == null) {
      return false;
    }
    // More than 64 characters are more than 64 bytes. Fewer may be too, where some take several,
    // but such a character is neither white space nor in NoneType: None: the trim leaves it.
    if (exception.length() > 64) {
      return true;
    }
    String trace = TRIMMED.matcher(exception).replaceAll("");
    return !trace.isEmpty() && !trace.equals(PYTHON_NO_EXCEPTION);
  }

  /** What Python's logging writes as the traceback of {@code exc_info=True} without an exception. */
  private static final String PYTHON_NO_EXCEPTION = "NoneType: None";

  /** What the store's {@code btrim(exception, E' \t\r\n')} trims. */
  private static final Pattern TRIMMED = Pattern.compile("^[ \\t\\r\\n]+|[ \\t\\r\\n]+$");

  /**
   * How many records this one stands for: a flood's count (heartlog's agent and heartlog run keep
   * a flood's first records and count the rest in one, {@code repeated 4188 more times:
   * connection refused}, with the count in its metadata's {@code repeated} too), that count; any
   * other record, 1. As the store's {@code heartlog_repeat_count()} reads it, so that a task's
   * errors summed here are those its queries sum.
   */
  public long occurrences() {
    if (!message.startsWith("repeated ")) {
      return 1;
    }
    Object said = metadataScalars(REPEATED_KEY).get(RepeatCount.KEY);
    return RepeatCount.occurrences(message, said instanceof BigDecimal number ? number.toPlainString() : (String) said);
  }

  /**
   * Where the record came from, as levels per component and {@link LogFilter#component} read it:
   * its metadata's {@code component}, else its {@code logger}; null where it has neither.
   */
  public String component() {
    Map<String, Object> values = metadataScalars(COMPONENT_KEYS);
    Object component = values.getOrDefault("component", values.get("logger"));
    return component instanceof BigDecimal number ? number.toPlainString() : (String) component;
  }

  /**
   * The values of these top-level metadata keys that are strings, numbers or booleans: a number
   * as a {@code BigDecimal}, a string or boolean as its text ({@code metadata->>key}'s); keys that
   * are missing, null, objects or lists are left out. Empty where the metadata is not an object.
   */
  public Map<String, Object> metadataScalars(Set<String> keys) {
    if (metadataJson == null || keys.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> values = new HashMap<>();
    try (JsonParser parser = JSON.createParser(metadataJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Map.of();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME && values.size() < keys.size()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL && keys.contains(field)) {
          values.put(field, value.isNumeric() ? new BigDecimal(parser.getText()) : parser.getText());
        }
        parser.skipChildren();
      }
      return values;
    } catch (IOException | NumberFormatException notAnObject) {
      return values;
    }
  }
}
