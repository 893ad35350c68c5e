package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How much a range's records take, grouped by worker, component, level or task. */
class RecordVolumeTest {

  private static final Instant SINCE = Instant.parse("2026-11-27T10:00:00Z");
  private static final Instant UNTIL = Instant.parse("2026-11-27T11:00:00Z");

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
        SELECT timestamptz '2026-11-27 10:00:00Z' + g * interval '1 second', level, repeat('x', size), 'worker',
               worker, task, metadata::jsonb
        FROM (VALUES
          -- A chatty worker: many short records of one logger.
          ('DEBUG', 10, 'chatty', 't-1', '{"logger": "diffusers.pipelines"}', 50),
          -- A worker of few long records, one an error outside a task.
          ('INFO', 1000, 'verbose', 't-2', '{}', 3),
          ('ERROR', 1000, 'verbose', NULL, '{"component": "upload"}', 1)
        ) AS r(level, size, worker, task, metadata, n),
        generate_series(1, n) g
        UNION ALL
        -- Before and after the range: not counted.
        SELECT '2026-11-27 09:59:59Z', 'INFO', 'before', 'worker', 'chatty', 't-1', '{}'
        UNION ALL
        SELECT '2026-11-27 08:40:00Z', 'INFO', 'long before', 'worker', 'old', NULL, '{}'
        UNION ALL
        SELECT '2026-11-27 11:00:00Z', 'INFO', 'after', 'worker', 'chatty', 't-1', '{}'"""));
  }

  /** The bytes of a worker's messages and metadata in the range as the table stores them, summed apart. */
  private static long storedBytes(String worker) {
    return one("SELECT sum(octet_length(message) + pg_column_size(metadata)) FROM system_logs WHERE source_id = '"
        + worker + "' AND timestamp >= '" + SINCE + "' AND timestamp < '" + UNTIL + "'");
  }

  /** The bytes of one of a worker's metadata in the range, as stored. */
  private static long metadataBytes(String worker) {
    return one("SELECT pg_column_size(metadata) FROM system_logs WHERE source_id = '" + worker + "' AND timestamp >= '"
        + SINCE + "' LIMIT 1");
  }

  private static long one(String sql) {
    return store.withConnection(c -> {
      try (var rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static List<String> parts(RecordVolume volume) {
    return volume.parts().stream().map(p -> p.name() + " " + p.records() + " " + p.bytes()).toList();
  }

  @Test
  void theRangesRecordsAreGroupedByWorkerTheMostRecordsFirstWithTheBytesTheyTake() {
    RecordVolume volume = store.volume(RecordVolume.By.WORKER, null, SINCE, UNTIL, 20);

    assertThat(parts(volume)).containsExactly("chatty 50 " + storedBytes("chatty"), "verbose 4 " + storedBytes("verbose"));
    assertThat(storedBytes("chatty") - 50 * 10).as("each record's metadata, as stored").isEqualTo(50 * metadataBytes("chatty"))
        .isBetween(50L, 50L * 64);
    assertThat(volume.records()).isEqualTo(54);
    assertThat(volume.bytes()).isEqualTo(volume.parts().stream().mapToLong(RecordVolume.Part::bytes).sum());
    assertThat(volume.partCount()).isEqualTo(2);
    assertThat(volume.storeBytes()).as("the partitions with their indexes").isGreaterThan(volume.bytes());
    assertThat(volume.partitions()).isPositive();
    assertThat(volume.heartbeatBytes()).as("an empty table's pages").isPositive();
  }

  @Test
  void byComponentLevelOrTaskARecordWithoutOneIsThePartNull() {
    assertThat(store.volume(RecordVolume.By.COMPONENT, null, SINCE, UNTIL, 20).parts())
        .extracting(p -> p.name() + " " + p.records())
        .containsExactly("diffusers.pipelines 50", "null 3", "upload 1");
    assertThat(store.volume(RecordVolume.By.LEVEL, null, SINCE, UNTIL, 20).parts())
        .extracting(p -> p.name() + " " + p.records()).containsExactly("DEBUG 50", "INFO 3", "ERROR 1");
    assertThat(store.volume(RecordVolume.By.TASK, null, SINCE, UNTIL, 20).parts())
        .extracting(p -> p.name() + " " + p.records()).containsExactly("t-1 50", "t-2 3", "null 1");
  }

  @Test
  void theLimitCutsThePartsNotTheCountsAndAWorkerNarrowsThem() {
    RecordVolume first = store.volume(RecordVolume.By.WORKER, null, SINCE, UNTIL, 1);
    RecordVolume verbose = store.volume(RecordVolume.By.LEVEL, "verbose", SINCE, UNTIL, 20);
    RecordVolume none = store.volume(RecordVolume.By.WORKER, null, UNTIL.plusSeconds(3600), null, 20);

    assertThat(first.parts()).extracting(RecordVolume.Part::name).containsExactly("chatty");
    assertThat(first.partCount()).isEqualTo(2);
    assertThat(first.records()).isEqualTo(54);
    assertThat(verbose.parts()).extracting(p -> p.name() + " " + p.records()).containsExactly("INFO 3", "ERROR 1");
    assertThat(none.parts()).isEmpty();
    assertThat(none.records()).isZero();
    assertThat(none.storeBytes()).as("the store's, whatever the range").isPositive();
  }

  @Test
  void whatTheRecordsAreGroupedByIsNamedInAnyCaseAndNothingElseIsTaken() {
    assertThat(RecordVolume.By.named(" Component ")).isEqualTo(RecordVolume.By.COMPONENT);
    assertThatThrownBy(() -> RecordVolume.By.named("host")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("records are grouped by worker, component, level or task (got 'host')");
  }

  @Test
  void theRangeBeforeAsLongHoldsWhatEachListedPartHadThen() {
    RecordVolume byWorker = store.volume(RecordVolume.By.WORKER, null, SINCE, UNTIL, 20);
    RecordVolume.Before before = store.volumeBefore(byWorker, null, Instant.now());

    assertThat(before.since()).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
    assertThat(before.until()).isEqualTo(SINCE);
    assertThat(before.records()).isEqualTo(1);
    assertThat(before.bytes()).isPositive();
    assertThat(byWorker.parts()).extracting(RecordVolume.Part::name, before::of)
        .containsExactly(tuple("chatty", 1L), tuple("verbose", 0L));
    assertThat(store.volumeBefore(byWorker, "verbose", Instant.now()).records()).as("of one worker").isZero();

    // A range without an end is as long as to now: the half hour before, or the two hours before,
    // where the records without a task are a part too.
    RecordVolume open = store.volume(RecordVolume.By.TASK, null, SINCE, null, 20);
    assertThat(store.volumeBefore(open, null, SINCE.plusSeconds(1800)).records()).isEqualTo(1);
    RecordVolume.Before twoHours = store.volumeBefore(open, null, SINCE.plusSeconds(7200));
    assertThat(twoHours.records()).isEqualTo(2);
    assertThat(open.parts()).extracting(RecordVolume.Part::name, twoHours::of)
        .containsExactly(tuple("t-1", 1L), tuple("t-2", 0L), tuple(null, 1L));
  }
}
