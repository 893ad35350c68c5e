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

/** What a heartbeat is answered when the database refuses it for a reason of its own. */
@Timeout(60)
class DatabaseErrorsTest {

  private static final String WRITER = "hlw_test_writer_key_for_everyone";

  @TempDir Path folder;

  @Test
  void aFullDiskIs503WithTheDatabasesWordsAndNotTheFunctionsSql() throws Exception {
    Store store = TestDatabase.freshStore();
    TestDatabase.raiseDiskFullOnInsert(store);
    try (HeartlogServer server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys"))
        .writerKeys(WRITER).port(0).build().start()) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + IngestRoutes.RPC_PATH))
              .header("apikey", WRITER).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"worker_id_param\": \"gpu-1\", \"logs_param\": "
                  + "[{\"timestamp\": \"2026-12-02T08:00:00Z\", \"level\": \"INFO\", \"message\": \"frame 1\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(answer.body()).isEqualTo("{\"code\":\"53100\",\"details\":null,\"hint\":\"Check free disk space.\","
          + "\"message\":\"could not extend file \\\"base/5/16528\\\": No space left on device\"}");
    }
  }
}
