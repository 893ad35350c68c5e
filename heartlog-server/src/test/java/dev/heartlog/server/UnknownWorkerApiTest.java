package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker id the store does not know, through the query API: the fleet's nearest ids, for the viewer to link. */
@Timeout(60)
class UnknownWorkerApiTest {

  @TempDir static Path folder;
  static HeartlogServer server;

  /** Workers render-gpu-1, render-gpu-2 and render-gpu-10, each with one heartbeat. */
  @BeforeAll
  static void start() throws IOException {
    Store store = TestDatabase.freshStore();
    store.withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('render-gpu-1');
        SELECT func_worker_heartbeat_with_logs('render-gpu-2');
        SELECT func_worker_heartbeat_with_logs('render-gpu-10')"""));
    server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys")).readerKeys(ReaderRequests.READER).port(0)
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aMistypedWorkerIdNamesTheNearestOfTheFleetInDetails() throws Exception {
    HttpResponse<String> mistyped = ReaderRequests.get(server, "/api/workers/render-gpu1");
    HttpResponse<String> upperCase = ReaderRequests.get(server, "/api/workers/RENDER-GPU-2");

    assertThat(mistyped.statusCode()).isEqualTo(404);
    assertThat(mistyped.body()).contains("\"code\":\"HL404\"", "\"message\":\"No worker render-gpu1\"",
        "\"details\":\"render-gpu-1\"", "\"hint\":\"The workers whose id is nearest it are in details, one a line\"");
    assertThat(upperCase.statusCode()).isEqualTo(404);
    assertThat(upperCase.body()).as("ids differ in case only: the store's are exact").contains("\"details\":\"render-gpu-2\"");
    assertThat(ReaderRequests.get(server, "/api/workers/render-gpu-1").statusCode()).isEqualTo(200);
  }

  @Test
  void anIdNearNoneSaysWhereTheFleetIsListed() throws Exception {
    HttpResponse<String> unknown = ReaderRequests.get(server, "/api/workers/encoder-7");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"message\":\"No worker encoder-7\"", "\"details\":null",
        "\"hint\":\"GET /api/workers lists the fleet\"");
  }
}
