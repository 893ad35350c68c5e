package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ids longer than an index entry holds (a B-tree's takes about 2.7 kB after compression): a
 * current task id such as a presigned URL failed every heartbeat of its worker as a whole, with
 * "index row size ... exceeds", for as long as the task ran; a worker id as long did at every one.
 * And a status far longer than a status is, kept whole in every heartbeat's row.
 */
class LongIdsTest {

  /** 3,000 characters that compress as little as a signed URL's: over the index's limit, whole. */
  private static final String LONG = randomText(3_000);

  private static Store store;

  @BeforeAll
  static void open() {
    store = TestDatabase.freshStore();
  }

  private static String randomText(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    Random random = new Random(42);
    StringBuilder text = new StringBuilder("https://bucket.example/clip.mp4?X-Amz-Signature=");
    while (text.length() < length) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static String heartbeat(String workerId, String currentTask) {
    return store.withConnection(c -> {
      try (PreparedStatement call = c.prepareStatement("SELECT func_worker_heartbeat_with_logs(worker_id_param => ?, "
          + "current_task_id_param => ?, logs_param => '[{\"level\": \"INFO\", \"message\": \"rendering\"}]')::text")) {
        call.setString(1, workerId);
        call.setString(2, currentTask);
        try (ResultSet rs = call.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    });
  }

  private static String one(String sql) {
    return store.withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }

  @Test
  void aCurrentTaskIdTooLongToIndexLeavesTheHeartbeatWithoutItAndSaysSo() {
    String answer = heartbeat("gpu-long-task", LONG);

    assertThat(answer).contains("\"success\": true", "\"logs_inserted\": 1", "\"current_task_error\": "
        + "\"current_task_id_param is 3000 bytes long, over the 2000 heartlog keeps: this heartbeat has no current task\"");
    assertThat(one("SELECT count(*) || ' ' || coalesce(max(current_task_id), 'none') FROM worker_heartbeats "
        + "WHERE worker_id = 'gpu-long-task'")).isEqualTo("1 none");
    assertThat(one("SELECT status || ' ' || coalesce(current_task_id, 'none') FROM workers WHERE id = 'gpu-long-task'"))
        .isEqualTo("active none");
    assertThat(one("SELECT message FROM system_logs WHERE source_id = 'gpu-long-task'")).isEqualTo("rendering");
  }

  @Test
  void aCurrentTaskIdThatFitsIsKeptWhole() {
    String fits = LONG.substring(0, 2_000);

    assertThat(heartbeat("gpu-fitting-task", fits)).doesNotContain("current_task_error");
    assertThat(one("SELECT current_task_id FROM worker_heartbeats WHERE worker_id = 'gpu-fitting-task'")).isEqualTo(fits);
  }

  @Test
  void aStatusLongerThan200CharactersKeepsItsStartAndTheAnswerSaysSo() {
    String answer = store.withConnection(c -> {
      try (PreparedStatement call = c.prepareStatement("SELECT func_worker_heartbeat_with_logs(worker_id_param => "
          + "'gpu-long-status', status_param => ?)::text")) {
        call.setString(1, "error: " + "x".repeat(99_993));
        try (ResultSet rs = call.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    });

    assertThat(answer).contains("\"success\": true",
        "\"status_error\": \"status_param is 100000 characters long; heartlog keeps its first 200\"");
    assertThat(one("SELECT char_length(status) || ' ' || left(status, 9) FROM workers WHERE id = 'gpu-long-status'"))
        .isEqualTo("200 error: xx");
    assertThat(one("SELECT char_length(status) FROM worker_heartbeats WHERE worker_id = 'gpu-long-status'")).isEqualTo("200");
  }

  @Test
  void theSeedsPlainHeartbeatKeepsTheFirst200CharactersOfAStatusToo() {
    store.withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'gpu-patched-status', status_param => 'active')"));

    var row = store.updateWorker("gpu-patched-status", java.util.Map.of("status", "error: " + "y".repeat(993)), false, null);

    assertThat(row).hasValueSatisfying(json -> assertThat(json).contains("\"status\":\"error: " + "y".repeat(193) + "\""));
    assertThat(one("SELECT char_length(status) FROM workers WHERE id = 'gpu-patched-status'")).isEqualTo("200");
  }

  @Test
  void aWorkerIdTooLongToIndexIsRefusedSayingWhy() {
    String answer = heartbeat(LONG, null);

    assertThat(answer).isEqualTo("{\"error\": \"worker_id_param is 3000 bytes long; heartlog takes worker ids of at most 2000\", "
        + "\"success\": false, \"logs_inserted\": 0}");
  }
}
