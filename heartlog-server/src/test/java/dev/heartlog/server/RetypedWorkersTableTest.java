package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator that retyped {@code workers.id} to uuid after {@code heartlog migrate}: every
 * heartbeat fails inside the function ("operator does not exist: uuid = text", 42883). The answer
 * says so, not that the store has no heartlog schema, which is what 42883 at the call means.
 */
@Timeout(60)
class RetypedWorkersTableTest {

  private static final String WRITER = "hlw_test_writer_key_for_everyone";

  @TempDir Path folder;

  @Test
  void aHeartbeatThatFailsInsideTheFunctionSaysWhereNotThatTheSchemaIsMissing() throws Exception {
    Store store = TestDatabase.freshStore();
    store.withConnection(c -> c.createStatement().execute("ALTER TABLE workers ALTER COLUMN id TYPE uuid USING id::uuid"));
    try (HeartlogServer server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys"))
        .writerKeys(WRITER).port(0).build().start()) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + IngestRoutes.RPC_PATH))
              .header("apikey", WRITER).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"worker_id_param\": \"gpu-1\", \"logs_param\": []}")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
      assertThat(answer.body()).contains("\"code\":\"42883\"", "operator does not exist: uuid = text",
              "Raised inside func_worker_heartbeat_with_logs, which exists")
          .doesNotContain("no heartlog schema");
    }
  }
}
