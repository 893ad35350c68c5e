package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the task list sums up a task that several workers logged for: its errors, its workers and
 * its failure, the message of its latest error, even where errors share a time.
 */
class TaskFailureTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static Map<String, RecentTask> tasks;

  @BeforeAll
  static void fill() {
    Store store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-b", records(
          record(30, "INFO", "claimed t-split", "t-split"),
          record(20, "ERROR", "shard 1 failed", "t-split"),
          // Two errors of one task made at the same time: the one stored second is its failure.
          record(5, "ERROR", "tie stored first", "t-tie"),
          record(5, "ERROR", "tie stored second", "t-tie")));
      TestDatabase.heartbeat(c, "gpu-a", records(
          record(25, "INFO", "claimed t-split's second shard", "t-split"),
          record(10, "CRITICAL", "shard 2 lost its GPU", "t-split"),
          record(8, "INFO", "cleaned up shard 2", "t-split"),
          // Another task's error at the same time as t-tie's, stored after both of them.
          record(5, "ERROR", "another task's failure", "t-other"),
          record(4, "INFO", "t-tie's record after its errors", "t-tie")));
      return null;
    });
    tasks = store.tasks(new TaskFilter(null, NOW.minus(Duration.ofHours(1)), null, false, 50)).stream()
        .collect(Collectors.toMap(RecentTask::id, Function.identity()));
  }

  private static String record(int minutesAgo, String level, String message, String task) {
    return "{\"timestamp\": \"" + NOW.minus(Duration.ofMinutes(minutesAgo)) + "\", \"level\": \"" + level
        + "\", \"message\": \"" + message + "\", \"task_id\": \"" + task + "\"}";
  }

  private static String records(String... records) {
    return "[" + String.join(",", records) + "]";
  }

  @Test
  void aTaskSplitOverTwoWorkersIsSummedUpOverBothWithTheLatestErrorOfEitherAsItsFailure() {
    RecentTask split = tasks.get("t-split");

    assertThat(split.workers()).as("in byte order").containsExactly("gpu-a", "gpu-b");
    assertThat(split.records()).isEqualTo(5);
    assertThat(split.errors()).as("ERROR and CRITICAL, from both workers").isEqualTo(2);
    assertThat(split.firstAt()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
    assertThat(split.lastAt()).isEqualTo(NOW.minus(Duration.ofMinutes(8)));
    assertThat(split.failure()).as("gpu-a's error, later than gpu-b's").isEqualTo("shard 2 lost its GPU");
  }

  @Test
  void ofTwoErrorsMadeAtTheSameTimeTheOneStoredLastIsTheFailureNeverAnotherTasksError() {
    assertThat(tasks.get("t-tie").failure()).isEqualTo("tie stored second");
    assertThat(tasks.get("t-tie").errors()).isEqualTo(2);
    assertThat(tasks.get("t-other").failure()).isEqualTo("another task's failure");
  }

  @Test
  void everyTaskWithARecordInTheRangeIsListed() {
    assertThat(tasks.keySet()).containsExactlyInAnyOrder("t-split", "t-tie", "t-other");
    assertThat(tasks.values()).extracting(RecentTask::failed).containsOnly(true);
    assertThat(List.of(tasks.get("t-tie").workers(), tasks.get("t-other").workers()))
        .containsExactly(List.of("gpu-a", "gpu-b"), List.of("gpu-a"));
  }
}
