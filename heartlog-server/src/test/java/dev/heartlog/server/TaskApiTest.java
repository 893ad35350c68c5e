package dev.heartlog.server;

import static dev.heartlog.server.JsonFields.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A long task through the query API: its ends with the rest counted, and the pages between. */
@Timeout(60)
class TaskApiTest {

  @TempDir static Path folder;
  static HeartlogServer server;

  /**
   * Task "long-api": 2,500 records, "step 0" to "step 2499", an ERROR at step 1200. Task
   * "longer-api": 10,050 records, "step 0" to "step 10049".
   */
  @BeforeAll
  static void start() throws IOException {
    Store store = TestDatabase.freshStore();
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 second',
               CASE WHEN g = 1200 THEN 'ERROR' ELSE 'INFO' END, 'step ' || g, 'worker', 'gpu-1', 'long-api', g
        FROM generate_series(0, 2499) g;
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 second', 'INFO', 'step ' || g, 'worker', 'gpu-2',
               'longer-api', g
        FROM generate_series(0, 10049) g"""));
    server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys")).readerKeys(ReaderRequests.READER).port(0)
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return ReaderRequests.get(server, path);
  }

  @Test
  void anUnknownTaskWhoseIdStartsOthersNamesThemAndIsNotTakenForThem() throws Exception {
    HttpResponse<String> cut = get("/api/tasks/long");
    HttpResponse<String> unknown = get("/api/tasks/short");

    assertThat(cut.statusCode()).isEqualTo(404);
    assertThat(cut.body()).contains("\"code\":\"HL404\"", "\"message\":\"No records or heartbeats for task long\"",
        "\"details\":\"long-api\\nlonger-api\"", "\"hint\":\"The tasks whose id starts so are in details, one a line\"");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"hint\":\"Records are kept 48 hours\"");
  }

  @Test
  void theEndsOfATaskComeWithWhatIsLeftOutBetweenThem() throws Exception {
    HttpResponse<String> ends = get("/api/tasks/long-api?first=3&last=2");

    assertThat(ends.statusCode()).isEqualTo(200);
    assertThat(values(ends.body(), "message"))
        .as("the failure's first, then the error that explains it (the failure itself), then the records")
        .containsExactly("step 1200", "step 1200", "step 0", "step 1", "step 2", "step 2498", "step 2499");
    assertThat(ends.body()).contains("\"outcome\":\"failed\"", "\"record_count\":2500", "\"records_left_out\":2495",
        "\"left_out_at\":3", "\"levels\":{\"INFO\":2499,\"ERROR\":1}", "\"first_at\":\"2026-11-27T10:00:00Z\"");
  }

  @Test
  void theWholeTimelineLeavesNothingOut() throws Exception {
    String whole = get("/api/tasks/long-api").body();

    assertThat(values(whole, "message")).hasSize(2502).endsWith("step 2498", "step 2499");
    assertThat(whole).contains("\"record_count\":2500", "\"records_left_out\":0");
  }

  @Test
  void theWholeTimelineOfMoreThan10000RecordsIsItsNewest10000() throws Exception {
    String whole = get("/api/tasks/longer-api").body();

    List<String> messages = values(whole, "message");
    assertThat(messages).hasSize(10_000).startsWith("step 50").endsWith("step 10049");
    assertThat(whole).contains("\"record_count\":10050", "\"records_left_out\":50", "\"left_out_at\":0",
        "\"first_at\":\"2026-11-27T10:00:00Z\"");
  }

  @Test
  void pagesAfterARecordFillTheGap() throws Exception {
    String ends = get("/api/tasks/long-api?first=1&last=1").body();
    String firstId = values(ends, "id").get(2);   // the failure's and its explaining error's ids come first

    HttpResponse<String> page = get("/api/tasks/long-api/records?after=" + firstId + "&limit=3");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(values(page.body(), "message")).containsExactly("step 1", "step 2", "step 3");
  }

  @Test
  void badPageParametersAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> noAfter = get("/api/tasks/long-api/records");
    HttpResponse<String> negative = get("/api/tasks/long-api?first=-5");
    HttpResponse<String> notANumber = get("/api/tasks/long-api?last=all");

    assertThat(noAfter.statusCode()).isEqualTo(400);
    assertThat(noAfter.body()).contains("after must name the record the page follows");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).contains("first must be a whole number, 0 or more (got '-5')");
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(notANumber.body()).contains("last must be a whole number, 0 or more (got 'all')");
  }
}
