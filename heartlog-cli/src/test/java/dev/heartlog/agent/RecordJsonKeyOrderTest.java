package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.store.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent writes keys in the order {@code jsonb} stores them, so PostgreSQL's key sort has
 * nothing to move (RecordJson): checked here against a real PostgreSQL rather than against our
 * reading of its rule. In this package because the writer is package-private; among the command
 * line's tests because they have the agent and a PostgreSQL and compile on the class path
 * (heartlog-jdbc's compile inside its module, where this package is the agent module's).
 */
class RecordJsonKeyOrderTest {

  @Test
  void postgresKeepsTheKeysOfARecordAndItsMetadataInTheOrderTheAgentWroteThem() throws Exception {
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("thread", "render-1");
    metadata.put("logger", "wgp.generator");
    metadata.put("exception", "java.lang.IllegalStateException: boom");
    metadata.put("line", 42);
    metadata.put("task_attempt", 2);
    String json = RecordJson.logsArray(List.of(
        new LogRecord(Instant.parse("2026-11-28T08:00:00Z"), 1, Level.ERROR, "m", "task-1", metadata)));

    try (Connection connection = DriverManager.getConnection(TestDatabase.freshUrl());
        PreparedStatement keys = connection.prepareStatement(
            "SELECT (SELECT array_agg(k) FROM jsonb_object_keys(j -> 0) k)::text, "
                + "(SELECT array_agg(k) FROM jsonb_object_keys(j -> 0 -> 'metadata') k)::text "
                + "FROM (SELECT ?::jsonb AS j) AS batch")) {
      keys.setString(1, json);
      try (ResultSet stored = keys.executeQuery()) {
        stored.next();
        assertThat(stored.getString(1)).isEqualTo("{" + String.join(",", writtenKeys(json, false)) + "}");
        assertThat(stored.getString(2)).isEqualTo("{" + String.join(",", writtenKeys(json, true)) + "}");
      }
    }
    assertThat(writtenKeys(json, false)).containsExactly("seq", "level", "message", "task_id", "metadata", "timestamp");
  }

  /** The keys of the batch's first record (or of its metadata) in the order they were written. */
  private static List<String> writtenKeys(String json, boolean ofMetadata) throws Exception {
    List<String> keys = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      parser.nextToken();  // [
      parser.nextToken();  // { of the record
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.getCurrentName();
        parser.nextToken();
        if (ofMetadata && name.equals("metadata")) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(parser.getCurrentName());
            parser.nextToken();
            parser.skipChildren();
          }
          return keys;
        }
        if (!ofMetadata) {
          keys.add(name);
        }
        parser.skipChildren();
      }
    }
    return keys;
  }
}
