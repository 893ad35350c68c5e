package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the JSON object {@code func_worker_heartbeat_with_logs} returns ({@code success},
 * {@code logs_inserted}, optionally {@code error}, {@code worker_row_error} or {@code
 * current_task_error}) into a {@link DeliveryResult}. Every transport judges success the same way,
 * as the seed does: by the {@code success} field.
 */
public final class IngestResponse {

  private static final JsonFactory JSON = new JsonFactory();

  private IngestResponse() {}

  /**
   * @param json the function's result; {@code null} or malformed counts as a failure
   * @return {@link DeliveryResult#stored(int)} when {@code success} is true (with the reason when
   *     the orchestrator's {@code workers} table refused the heartbeat's row), else a failure with
   *     the store's {@code error} text
   */
  public static DeliveryResult parse(String json) {
    if (json == null) {
      return DeliveryResult.failed("the ingest function returned nothing");
    }
    boolean success = false;
    int inserted = 0;
    String error = null;
    String workerRowError = null;
    String currentTaskError = null;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return DeliveryResult.failed("the ingest function returned " + abbreviate(json));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "success" -> success = value == JsonToken.VALUE_TRUE;
          case "logs_inserted" -> inserted = value.isNumeric() ? parser.getIntValue() : 0;
          case "error", "message" -> error = value == JsonToken.VALUE_STRING ? parser.getText() : error;
          case "worker_row_error" -> workerRowError = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "current_task_error" -> currentTaskError = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return DeliveryResult.failed("the ingest function returned " + abbreviate(json));
    }
    if (success && workerRowError != null) {
      return DeliveryResult.storedWithoutWorkerRow(inserted,
          workerRowError + (currentTaskError == null ? "" : "; and the store kept no current task: " + currentTaskError));
    }
    if (success && currentTaskError != null) {
      return DeliveryResult.storedWithoutCurrentTask(inserted, currentTaskError);
    }
    return success
        ? DeliveryResult.stored(inserted)
        : DeliveryResult.failed("the store refused the heartbeat: " + (error == null ? abbreviate(json) : error));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
