package dev.heartlog.store;

import static dev.heartlog.store.TestRecords.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Python's logging writes {@code NoneType: None} as the traceback of {@code exc_info=True}
 * outside an {@code except} block ({@code logger.exception("Task failed")} after the handler
 * that logged why): no stack trace, as an empty or blank one is none. It explains no failure,
 * names no exception and makes no kind of error.
 */
class NoStackTraceTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private static final String TRACEBACK =
      "Traceback (most recent call last):\\n  File \\\"w.py\\\", line 9, in render\\nValueError: bad frame 12";

  private static Store store;

  private static String traced(int minutesAgo, String message, String task, String exception) {
    return TestRecords.traced(NOW.minus(Duration.ofMinutes(minutesAgo)), "ERROR", message, task, exception);
  }

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "py-1", records(
          traced(9, "decode failed", "t-closing", TRACEBACK),
          // logging writes it without the line end; a handler that formats it itself may keep one.
          traced(8, "Task failed", "t-closing", "NoneType: None"),
          traced(7, "upload failed", null, "NoneType: None\\n"),
          traced(6, "queue unreachable", null, "NoneType: None")));
      return null;
    });
  }

  @Test
  void aClosingLineLoggedWithExcInfoOutsideAnExceptIsExplainedByTheTracebackBeforeIt() {
    TaskTimeline task = store.task("t-closing");
    RecentTask listed = store.tasks(new TaskFilter(null, NOW.minus(Duration.ofHours(1)), null, false, 10)).stream()
        .filter(t -> t.id().equals("t-closing")).findFirst().orElseThrow();
    List<TaskSummary> recent = store.worker("py-1", 10, 10).orElseThrow().recentTasks();

    assertThat(task.failure()).hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("Task failed"));
    assertThat(task.explainingError()).hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("decode failed"));
    assertThat(listed.failure()).isEqualTo("Task failed");
    assertThat(listed.failureException()).as("the task list").isEqualTo("ValueError: bad frame 12");
    assertThat(recent).singleElement().satisfies(t -> assertThat(t.failureException()).as("the worker's page")
        .isEqualTo("ValueError: bad frame 12"));
  }

  @Test
  void errorsWhoseOnlyTracebackIsNoneTypeNoneAreKindsByTheirMessages() {
    List<ErrorKind> kinds = store.errorKinds("py-1", NOW.minus(Duration.ofHours(1)), null, 10).kinds();

    assertThat(kinds).extracting(ErrorKind::message)
        .containsExactlyInAnyOrder("decode failed", "Task failed", "upload failed", "queue unreachable");
    assertThat(kinds).extracting(ErrorKind::exception).containsOnly("ValueError: bad frame 12", null);
  }

  @Test
  void aStackTraceIsNeitherBlankNorNoneTypeNone() {
    assertThat(List.of("NoneType: None", "NoneType: None\n", " \n", "\t", "").stream()
        .map(NoStackTraceTest::withException).filter(StoredRecord::hasStackTrace)).isEmpty();
    assertThat(withException(null).hasStackTrace()).isFalse();
    assertThat(withException("Traceback (most recent call last):\nValueError: x").hasStackTrace()).isTrue();
    assertThat(withException("java.lang.IllegalStateException: NoneType: None").hasStackTrace()).isTrue();
  }

  @Test
  void theStoreReadsAStackTraceAsTheRecordDoes() {
    // Past 64 bytes an exception is taken for a stack trace unread, by both.
    List<String> samples = List.of("NoneType: None", "\tNoneType: None \n", " \r\n", "", "Traceback (most recent call last):\nValueError: x",
        " ".repeat(64), " ".repeat(65), "NoneType: None\nTraceback (most recent call last):\nValueError: x", "é".repeat(40));
    List<Boolean> expected = List.of(false, false, false, false, true, false, true, true, true);

    List<Boolean> byStore = store.withConnection(c -> {
      List<Boolean> answers = new java.util.ArrayList<>();
      try (var statement = c.prepareStatement("SELECT heartlog_has_stack_trace(?)")) {
        for (String sample : samples) {
          statement.setString(1, sample);
          try (var rs = statement.executeQuery()) {
            rs.next();
            answers.add(rs.getBoolean(1));
          }
        }
      }
      return answers;
    });

    assertThat(byStore).isEqualTo(expected);
    assertThat(samples.stream().map(sample -> withException(sample).hasStackTrace()).toList()).isEqualTo(expected);
  }

  private static StoredRecord withException(String exception) {
    return new StoredRecord(1, NOW, NOW, "ERROR", "failed", "py-1", null, null, exception, null, null);
  }
}
