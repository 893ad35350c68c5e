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

/**
 * The query API's parameters read as the command line reads its options. One that takes one
 * value, given more than once: as the command line refuses {@code --worker a --worker b}, the API
 * refuses {@code worker=a&worker=b}, where it answered for the first as if the second had not
 * been asked for; and a blank value does not hide the one given after it. One an endpoint does not
 * take is refused, naming those it does, as the command line refuses an unknown option: {@code
 * levle=ERROR} answered with the records of every level.
 */
@Timeout(60)
class QueryParametersTest {

  @TempDir static Path folder;
  static HeartlogServer server;

  /**
   * Three records of gpu-1 and two of gpu-2, each worker's in a task of its own; the newest, "step
   * 0", has the metadata {@code a=1, b=2}, the next {@code a=1} alone.
   */
  @BeforeAll
  static void start() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq, metadata)
        SELECT now() - g * interval '1 minute', 'INFO', 'step ' || g, 'worker',
               CASE WHEN g < 3 THEN 'gpu-1' ELSE 'gpu-2' END, CASE WHEN g < 3 THEN 'task-1' ELSE 'task-2' END, g,
               CASE g WHEN 0 THEN '{"a": "1", "b": "2"}'::jsonb WHEN 1 THEN '{"a": "1"}'::jsonb ELSE '{}'::jsonb END
        FROM generate_series(0, 4) g"""));
    server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys")).readerKeys(ReaderRequests.READER)
        .listenTo(url, null, null).port(0).build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void twoDifferentValuesAreRefusedNamingBoth() throws Exception {
    HttpResponse<String> logs = get("/api/logs?worker=gpu-1&worker=gpu-2");
    HttpResponse<String> tasks = get("/api/tasks?since=1h&since=2h");
    HttpResponse<String> limit = get("/api/logs?limit=1&limit=2");

    assertThat(logs.statusCode()).isEqualTo(400);
    assertThat(logs.body()).contains("\"code\":\"HL400\"",
        "\"message\":\"worker takes one value, and was given 2: 'gpu-1', 'gpu-2'\"");
    assertThat(tasks.statusCode()).isEqualTo(400);
    assertThat(tasks.body()).contains("since takes one value, and was given 2: '1h', '2h'");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).contains("limit takes one value");
  }

  /**
   * A time it cannot read is refused naming the parameter, as the command line names its option:
   * a request giving since and until did not say which it was.
   */
  @Test
  void aTimeItCannotReadIsRefusedNamingTheParameter() throws Exception {
    for (String endpoint : List.of("/api/logs", "/api/tasks", "/api/errors", "/api/volume", "/api/errors/0a1b2c3d")) {
      HttpResponse<String> refused = get(endpoint + "?since=1h&until=22.00");
      assertThat(refused.statusCode()).as(endpoint).isEqualTo(400);
      assertThat(refused.body()).as(endpoint).contains("\"code\":\"HL400\"",
          "\"message\":\"Invalid value for until: '22.00' is neither an age (30s, 15m, 2h, 1d, 1h30m)");
    }
    HttpResponse<String> heartbeats = get("/api/workers/gpu-1/heartbeats?since=yesterday-ish");
    assertThat(heartbeats.body()).contains("\"message\":\"Invalid value for since: 'yesterday-ish' is neither");
  }

  @Test
  void aBlankValueDoesNotHideTheOneGivenAfterIt() throws Exception {
    HttpResponse<String> logs = get("/api/logs?worker=&worker=gpu-2");

    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(values(logs.body(), "worker_id")).containsExactly("gpu-2", "gpu-2");
  }

  @Test
  void theSameValueTwiceIsReadOnce() throws Exception {
    HttpResponse<String> logs = get("/api/logs?task=task-1&task=task-1");

    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(values(logs.body(), "task_id")).containsExactly("task-1", "task-1", "task-1");
  }

  @Test
  void theLiveTailRefusesTwoValuesBeforeItsStreamOpens() throws Exception {
    HttpResponse<String> tail = ReaderRequests.getEventStream(server, "/api/tail?level=ERROR&level=INFO");

    assertThat(tail.statusCode()).isEqualTo(400);
    assertThat(tail.body()).contains("level takes one value, and was given 2: 'ERROR', 'INFO'");
  }

  @Test
  void metadataMayStillBeRepeatedForMoreKeys() throws Exception {
    HttpResponse<String> logs = get("/api/logs?meta=a=1&meta=b=2");

    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(values(logs.body(), "message")).containsExactly("step 0");
  }

  @Test
  void aParameterTheEndpointDoesNotTakeIsRefusedNamingTheNearestAndAll() throws Exception {
    HttpResponse<String> logs = get("/api/logs?levle=ERROR");
    HttpResponse<String> task = get("/api/tasks/task-1?frist=1");
    HttpResponse<String> clocks = get("/api/clocks?worker=gpu-1");
    HttpResponse<String> tail = ReaderRequests.getEventStream(server, "/api/tail?levl=ERROR");

    assertThat(logs.statusCode()).isEqualTo(400);
    assertThat(logs.body()).contains("\"code\":\"HL400\"", "\"message\":\"GET /api/logs takes no parameter 'levle' "
        + "(did you mean level?); it takes worker, task, level, since, until, grep, component, meta, limit, before, kind, "
        + "around, context\"");
    assertThat(task.statusCode()).isEqualTo(400);
    assertThat(task.body()).contains("GET /api/tasks/{id} takes no parameter 'frist' (did you mean first?); it takes first, last");
    assertThat(clocks.statusCode()).isEqualTo(400);
    assertThat(clocks.body()).contains("GET /api/clocks takes no parameters (got 'worker')");
    assertThat(tail.statusCode()).isEqualTo(400);
    assertThat(tail.body()).contains("GET /api/tail takes no parameter 'levl' (did you mean level?)");
  }

  @Test
  void everyParameterAnEndpointTakesAndTheKeyArePassed() throws Exception {
    List<String> asked = List.of(
        "/api/logs?worker=gpu-1&task=task-1&level=INFO&since=1h&until=0s&grep=step&component=x&meta=a=1&limit=5&before=999999",
        "/api/tasks?since=1h&until=0s&worker=gpu-1&failed=false&meta=a=1&limit=5",
        "/api/tasks/task-1?first=1&last=1",
        "/api/tasks/task-1/records?after=0&limit=5",
        "/api/workers/gpu-1?limit=5",
        "/api/workers/gpu-1/heartbeats?since=1h&limit=5",
        "/api/workers?health=stale&stale_after_s=60",
        "/api/clocks?apikey=" + ReaderRequests.READER);
    for (String path : asked) {
      HttpResponse<String> answer = get(path);
      assertThat(answer.statusCode()).as(path + ": " + answer.body()).isIn(200, 404);
      assertThat(answer.body()).as(path).doesNotContain("takes no parameter");
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return ReaderRequests.get(server, path);
  }
}
