package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fleet's list of tasks ({@code heartlog tasks}), on records stored through the function. */
class TaskListTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant HOUR_AGO = NOW.minus(Duration.ofHours(1));

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-1", records(
          record(180, "INFO", "claimed t-old", "t-old"),
          record(170, "INFO", "finished t-old", "t-old"),
          record(120, "INFO", "claimed t-long", "t-long"),
          record(40, "INFO", "claimed t-shared", "t-shared"),
          record(30, "INFO", "step 1", "t-long"),
          record(20, "ERROR", "retrying after a timeout", "t-long"),
          record(10, "ERROR", "CUDA out of memory", "t-long")));
      TestDatabase.heartbeat(c, "gpu-2", records(
          record(15, "INFO", "claimed t-ok", "t-ok"),
          record(14, "WARNING", "slow disk", "t-ok"),
          record(5, "INFO", "finished t-shared", "t-shared"),
          record(1, "ERROR", "queue unreachable", null)));
      return TestDatabase.heartbeat(c, "gpu-3", records(record(50, "CRITICAL", "driver lost", "t-crit")));
    });
  }

  private static String record(int minutesAgo, String level, String message, String task) {
    return "{\"timestamp\": \"" + NOW.minus(Duration.ofMinutes(minutesAgo)) + "\", \"level\": \"" + level
        + "\", \"message\": \"" + message + "\"" + (task == null ? "" : ", \"task_id\": \"" + task + "\"") + "}";
  }

  private static String records(String... records) {
    return "[" + String.join(",", records) + "]";
  }

  private static List<String> ids(TaskFilter filter) {
    return store.tasks(filter).stream().map(RecentTask::id).toList();
  }

  @Test
  void tasksWithRecordsInTheRangeComeMostRecentlyActiveFirst() {
    assertThat(ids(new TaskFilter(null, HOUR_AGO, null, false, 50)))
        .as("t-old logged only before the hour; the record of no task is no task")
        .containsExactly("t-shared", "t-long", "t-ok", "t-crit");
  }

  @Test
  void eachTaskIsSummedUpFromAllOfItsRecordsThoseBeforeTheRangeToo() {
    RecentTask longTask = store.tasks(new TaskFilter(null, HOUR_AGO, null, false, 50)).get(1);

    assertThat(longTask.id()).isEqualTo("t-long");
    assertThat(longTask.firstAt()).isEqualTo(NOW.minus(Duration.ofMinutes(120)));
    assertThat(longTask.lastAt()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
    assertThat(longTask.records()).isEqualTo(4);
    assertThat(longTask.errors()).isEqualTo(2);
    assertThat(longTask.failure()).as("the last error's message").isEqualTo("CUDA out of memory");
    assertThat(longTask.failed()).isTrue();
  }

  @Test
  void aTaskSeveralWorkersLoggedForNamesThemAllAndATaskWithoutErrorsNoFailure() {
    assertThat(store.tasks(new TaskFilter(null, HOUR_AGO, null, false, 50)))
        .filteredOn(task -> !task.failed())
        .extracting(RecentTask::id, RecentTask::workers, RecentTask::records, RecentTask::failure)
        .containsExactly(
            tuple("t-shared", List.of("gpu-1", "gpu-2"), 2L, null),
            tuple("t-ok", List.of("gpu-2"), 2L, null));
  }

  @Test
  void failedOnlyListsTheTasksWithAnErrorInTheRangeLatestFailureFirst() {
    assertThat(store.tasks(new TaskFilter(null, HOUR_AGO, null, true, 50)))
        .extracting(RecentTask::id, RecentTask::failure)
        .containsExactly(tuple("t-long", "CUDA out of memory"), tuple("t-crit", "driver lost"));
  }

  @Test
  void aWorkerTheRangesEndAndTheLimitEachNarrowTheList() {
    assertThat(ids(new TaskFilter("gpu-2", HOUR_AGO, null, false, 50)))
        .as("the tasks gpu-2 logged for, each with all of its records")
        .containsExactly("t-shared", "t-ok");
    assertThat(store.tasks(new TaskFilter("gpu-2", HOUR_AGO, null, false, 50)).get(0).workers())
        .containsExactly("gpu-1", "gpu-2");
    assertThat(ids(new TaskFilter(null, HOUR_AGO, NOW.minus(Duration.ofMinutes(12)), false, 50)))
        .as("ordered by each task's latest record before the end: t-ok 14, t-long 20, t-shared 40, t-crit 50 minutes ago")
        .containsExactly("t-ok", "t-long", "t-shared", "t-crit");
    assertThat(ids(new TaskFilter(null, HOUR_AGO, null, false, 2))).containsExactly("t-shared", "t-long");
    assertThat(ids(new TaskFilter(null, null, null, false, 50)))
        .as("no range: every task the store keeps")
        .containsExactly("t-shared", "t-long", "t-ok", "t-crit", "t-old");
  }

  @Test
  void aLimitThatTheNewestRecordsFillIsTheWholeRangesFirstTasksSummedUpWhole() {
    // Two tasks logged in the last ten minutes: a limit of 2 is answered from that window alone.
    List<RecentTask> whole = store.tasks(new TaskFilter(null, HOUR_AGO, null, false, 50));
    List<RecentTask> failures = store.tasks(new TaskFilter(null, HOUR_AGO, null, true, 50));

    assertThat(store.tasks(new TaskFilter(null, HOUR_AGO, null, false, 2))).isEqualTo(whole.subList(0, 2));
    assertThat(store.tasks(new TaskFilter(null, HOUR_AGO, null, true, 1))).isEqualTo(failures.subList(0, 1));
    assertThat(store.tasks(new TaskFilter(null, null, null, false, 2)).get(1).records())
        .as("t-long's records of two hours ago count too").isEqualTo(4);
  }

  @Test
  void aPickedTaskWithNoRecordLeftIsLeftOutOfTheSummariesTheOthersKeepTheirOrder() {
    // Retention may drop a task's records between its pick and its summing up.
    List<String> summed = store.withConnection(c -> {
      try (PreparedStatement statement = NamedSql.load("task-summaries")
              .prepare(c, Map.of("tasks", new String[] {"t-ok", "t-dropped", "t-crit"}));
          ResultSet rs = statement.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString("task_id"));
        }
        return ids;
      }
    });

    assertThat(summed).containsExactly("t-ok", "t-crit");
  }

  @Test
  void aRangeThatEndsBeforeItBeginsIsRefusedAndOneOfNoLengthIsNot() {
    Instant until = Instant.parse("2026-12-01T03:13:34.5Z");
    Instant since = until.plus(Duration.ofMinutes(30));

    assertThatThrownBy(() -> new TaskFilter(null, since, until, false, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("since (2026-12-01T03:43:34Z) is after until (2026-12-01T03:13:34Z), so nothing can match;");
    assertThatThrownBy(() -> new LogFilter(null, null, null, since, until, null, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("since 1h until 30m is the half hour that ended 30 minutes ago");
    assertThat(new LogFilter(null, null, null, until, until, null, 10).until()).isEqualTo(until);
    assertThat(new TaskFilter(null, since, null, false, 10).since()).isEqualTo(since);
  }

  @Test
  void withoutSinceTheTaskListReadsTheHourBeforeItsEnd() {
    Instant now = Instant.parse("2026-12-01T04:00:00Z");
    Instant twoHoursAgo = now.minus(Duration.ofHours(2));

    assertThat(TaskFilter.sinceOrDefault(null, twoHoursAgo, now)).isEqualTo(now.minus(Duration.ofHours(3)));
    assertThat(TaskFilter.sinceOrDefault(null, null, now)).isEqualTo(now.minus(Duration.ofHours(1)));
    assertThat(TaskFilter.sinceOrDefault(twoHoursAgo, null, now)).isEqualTo(twoHoursAgo);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new TaskFilter(null, null, null, false, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be positive");
  }
}
