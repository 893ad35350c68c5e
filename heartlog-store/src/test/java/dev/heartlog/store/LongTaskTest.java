package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long task's timeline read in parts: its ends with the rest counted, the pages between them,
 * and the newest 100,000 of a longer one, each agreeing with the timeline read whole.
 */
class LongTaskTest {

  private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  private static Store store;

  /**
   * Task "long": 3,000 records from three workers, four to a second (ties on time), a third of
   * them without a sequence number, the others numbered against the order they were stored in,
   * two workers' records often with the same number (each worker's session numbers its own), and
   * one ERROR in the middle. Task "short": 10 records.
   */
  @BeforeAll
  static void fill() {
    store = PooledStores.fresh();   // some 200 queries in one test
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, session_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + (g / 4) * interval '1 second',
               CASE WHEN g = 1500 THEN 'ERROR' WHEN g % 100 = 0 THEN 'WARNING' ELSE 'INFO' END,
               'record ' || g, 'worker', 'gpu-' || (g % 3), 'long', 's-' || (g % 3),
               CASE WHEN g % 3 = 0 THEN NULL ELSE 10000 - g / 3 END
        FROM generate_series(0, 2999) g;
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id)
        SELECT timestamptz '2026-11-27 11:00:00Z' + g * interval '1 second', 'INFO', 'short ' || g, 'worker', 'gpu-9', 'short'
        FROM generate_series(0, 9) g;
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
        SELECT timestamptz '2026-11-27 12:00:00Z' + g * interval '1 second',
               CASE WHEN g IN (100, 300, 700, 999) THEN 'ERROR' WHEN g = 800 THEN 'WARNING' ELSE 'INFO' END,
               CASE g WHEN 100 THEN 'upload failed' WHEN 300 THEN 'render failed for frame 12'
                      WHEN 700 THEN 'retrying' WHEN 800 THEN 'slow upload' WHEN 999 THEN 'Task failed'
                      ELSE 'frame ' || g END,
               'worker', 'gpu-8', 'closing-line',
               CASE g WHEN 100 THEN '{"exception": "ConnectionError: reset by peer"}'
                      WHEN 300 THEN '{"exception": "Traceback (most recent call last):\\nKeyError: 12"}'
                      WHEN 700 THEN '{"exception": " \\n"}' WHEN 800 THEN '{"exception": "TimeoutError"}'
                      ELSE '{}' END::jsonb
        FROM generate_series(0, 999) g"""));
  }

  private static List<Long> ids(List<StoredRecord> records) {
    return records.stream().map(StoredRecord::id).toList();
  }

  @Test
  void theEndsOfALongTaskAreItsFirstAndLastRecordsWithTheRestCounted() {
    TaskTimeline whole = store.task("long");
    TaskTimeline ends = store.task("long", 500, 400);

    assertThat(whole.records()).hasSize(3000);
    assertThat(whole.leftOut()).isZero();
    assertThat(ends.records()).hasSize(900);
    assertThat(ids(ends.records().subList(0, 500))).isEqualTo(ids(whole.records().subList(0, 500)));
    assertThat(ids(ends.records().subList(500, 900))).isEqualTo(ids(whole.records().subList(2600, 3000)));
    assertThat(ends.leftOutAt()).isEqualTo(500);
    assertThat(ends.leftOut()).isEqualTo(2100);
    assertThat(ends.recordCount()).isEqualTo(3000);
    assertThat(ends.levels()).containsExactly(Map.entry("INFO", 2970L), Map.entry("WARNING", 29L), Map.entry("ERROR", 1L));
    assertThat(ends.levels()).isEqualTo(whole.levels());
    assertThat(ends.workers()).isEqualTo(whole.workers()).hasSize(3);
    assertThat(ends.failure()).as("the error between the ends")
        .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("record 1500"));
    assertThat(ends.firstAt()).isEqualTo(START);
    assertThat(ends.lastAt()).isEqualTo(START.plusSeconds(749));
  }

  @Test
  void theErrorThatExplainsALongTasksFailureIsTheWholeTasksThoughItIsLeftOut() {
    // A closing "Task failed" without a stack trace, 699 records after the error that had one, a
    // blank stack trace (none) and a warning's between them.
    TaskTimeline whole = store.task("closing-line");
    TaskTimeline ends = store.task("closing-line", 50, 50);
    TaskTimeline longTail = store.task("closing-line", 50, 800);

    assertThat(whole.explainingError()).hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("render failed for frame 12"));
    assertThat(ends.records()).extracting(StoredRecord::message).doesNotContain("render failed for frame 12");
    assertThat(ends.failure()).hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("Task failed"));
    assertThat(ends.explainingError()).as("left out").map(StoredRecord::id).isEqualTo(whole.explainingError().map(StoredRecord::id));
    assertThat(ends.explainingError().orElseThrow().exception()).endsWith("KeyError: 12");
    assertThat(longTail.explainingError()).as("in the newest records").map(StoredRecord::id)
        .isEqualTo(whole.explainingError().map(StoredRecord::id));
    assertThat(store.task("long", 500, 400).explainingError()).as("none has a stack trace: the failure itself")
        .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("record 1500"));
    assertThat(store.task("short", 4, 4).explainingError()).as("no error").isEmpty();
  }

  @Test
  void pagesAfterTheFirstEndFillTheGapInTheTimelinesOrder() {
    List<StoredRecord> whole = store.task("long").records();
    TaskTimeline ends = store.task("long", 100, 100);

    List<StoredRecord> read = new ArrayList<>(ends.records().subList(0, ends.leftOutAt()));
    List<StoredRecord> page;
    do {
      page = store.taskRecordsAfter("long", read.get(read.size() - 1).id(), 700);
      read.addAll(page);
    } while (page.size() == 700);

    assertThat(ids(read)).isEqualTo(ids(whole));
  }

  @Test
  void theRecordAfterEachRecordIsTheNextOneOfTheTimelineTiesOnTimeIncluded() {
    List<StoredRecord> whole = store.task("long").records();

    // The first 50 seconds: every way a tie on time can fall (with and without sequence numbers).
    for (int i = 0; i < 200; i++) {
      assertThat(ids(store.taskRecordsAfter("long", whole.get(i).id(), 1)))
          .as("after record %d", i).containsExactly(whole.get(i + 1).id());
    }
  }

  @Test
  void endsThatMeetOrOverlapHoldEveryRecordOnce() {
    List<String> all = List.of(
        "short 0", "short 1", "short 2", "short 3", "short 4", "short 5", "short 6", "short 7", "short 8", "short 9");

    for (int[] ends : new int[][] {{5, 5}, {6, 7}, {10, 0}, {0, 10}, {20, 20}}) {
      TaskTimeline task = store.task("short", ends[0], ends[1]);
      assertThat(task.records()).as("first %d, last %d", ends[0], ends[1])
          .extracting(StoredRecord::message).isEqualTo(all);
      assertThat(task.leftOut()).isZero();
    }
    TaskTimeline apart = store.task("short", 4, 4);
    assertThat(apart.records()).extracting(StoredRecord::message)
        .containsExactly("short 0", "short 1", "short 2", "short 3", "short 6", "short 7", "short 8", "short 9");
    assertThat(apart.leftOutAt()).isEqualTo(4);
    assertThat(apart.leftOut()).isEqualTo(2);
  }

  @Test
  void theNextPageAfterARecordThatIsGoneIsEmpty() {
    assertThat(store.taskRecordsAfter("long", Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void aTaskOfMoreThan100000RecordsHasItsNewestWithTheOlderCounted() {
    Store own = TestDatabase.freshStore();
    own.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '100 milliseconds', 'INFO', 'step ' || g,
               'worker', 'gpu-1', 'training', g
        FROM generate_series(1, 100050) g"""));

    TaskTimeline task = own.task("training");

    assertThat(task.records()).hasSize(100_000);
    assertThat(task.records().get(0).message()).isEqualTo("step 51");
    assertThat(task.leftOutAt()).isZero();
    assertThat(task.leftOut()).isEqualTo(50);
    assertThat(task.firstAt()).as("the first record's, though it is left out").isEqualTo(START.plusMillis(100));
    assertThat(task.workers()).singleElement().satisfies(share -> assertThat(share.records()).isEqualTo(100_050));
  }
}
