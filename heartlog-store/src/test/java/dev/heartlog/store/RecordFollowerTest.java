package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Following the store ({@code logs --follow}, the live tail): every wanted record once, in id
 * order, including those whose transactions commit after later records were read.
 */
class RecordFollowerTest {

  private static final List<LogFilter> EVERYTHING = List.of(LogFilter.all());

  private String url;
  private Store store;

  @BeforeEach
  void freshStore() {
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  @Test
  void eachRecordStoredAfterTheStartIsReadOnceInOrder() throws SQLException {
    store("gpu-1", "INFO", "before");
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    store("gpu-1", "INFO", "first");
    store("gpu-1", "INFO", "second");

    assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("first", "second");
    assertThat(messages(follower.read(EVERYTHING, 100))).isEmpty();
  }

  @Test
  void onlyWhatTheFilterWantsIsReadButEveryIdCountsAsSeen() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    storeAFleetsRecords();

    RecordFollower.Read read = follower.read(List.of(new LogFilter("gpu-2", null, "WARNING", null, null, null, 1)), 100);

    assertThat(messages(read)).containsExactly("warning on gpu-2", "error on gpu-2", "critical on gpu-2");
    assertThat(read.records()).allSatisfy(record -> assertThat(record.workerId()).isEqualTo("gpu-2"));
    assertThat(follower.waitingFor()).as("the ids of the records not wanted count as seen").isZero();
    assertThat(messages(follower.read(EVERYTHING, 100))).as("nothing is read twice, whatever the filter").isEmpty();
  }

  @Test
  void severalFiltersGetAtLeastWhatEachWants() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    storeAFleetsRecords();
    List<LogFilter> errorsOfGpu1AndCriticalsOfGpu2 = List.of(
        new LogFilter("gpu-1", null, "ERROR", null, null, null, 1),
        new LogFilter("gpu-2", null, "CRITICAL", null, null, null, 1));

    // The store is asked for either worker's records at either level: the caller sorts them out.
    assertThat(messages(follower.read(errorsOfGpu1AndCriticalsOfGpu2, 100)))
        .containsExactly("error on gpu-1", "error on gpu-2", "critical on gpu-2");
  }

  /** Records of three workers at every level but DEBUG, in this order. */
  private void storeAFleetsRecords() throws SQLException {
    for (String record : List.of("gpu-1 ERROR", "gpu-1 WARNING", "gpu-2 INFO", "gpu-2 WARNING", "gpu-2 ERROR",
        "gpu-2 CRITICAL", "gpu-3 CRITICAL")) {
      String worker = record.split(" ")[0];
      String level = record.split(" ")[1];
      store(worker, level, level.toLowerCase(java.util.Locale.ROOT).replace("info", "routine") + " on " + worker);
    }
  }

  @Test
  void aTextFilterIgnoresCase() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    store("gpu-1", "INFO", "Disk FULL");
    store("gpu-1", "INFO", "all fine");

    assertThat(messages(follower.read(List.of(new LogFilter(null, null, null, null, null, "disk full", 1)), 100)))
        .containsExactly("Disk FULL");
  }

  @Test
  void aRecordThatCommitsAfterLaterRecordsWereReadIsStillRead() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    try (Connection late = DriverManager.getConnection(url)) {
      late.setAutoCommit(false);
      store(late, "gpu-late", "ERROR", "committed late");   // its id is given now
      store("gpu-1", "INFO", "committed first");
      assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("committed first");
      assertThat(follower.waitingFor()).isEqualTo(1);
      late.commit();
    }

    assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("committed late");
    assertThat(follower.waitingFor()).isZero();
  }

  @Test
  void aRecordThatCommitsAfterFollowingStartedIsReadEvenWithAnIdBelowTheStart() throws SQLException {
    try (Connection late = DriverManager.getConnection(url)) {
      late.setAutoCommit(false);
      store(late, "gpu-late", "ERROR", "committed after following started");   // its id is given now
      store("gpu-1", "INFO", "stored before following started");
      RecordFollower follower = new RecordFollower(store, store.lastLogId());
      assertThat(follower.waitingFor()).isEqualTo(1);
      late.commit();

      assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("committed after following started");
    }
  }

  @Test
  void whatWasReadIsNotReadAgainWhenTheIdSequenceIsSetBack() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    store("gpu-1", "INFO", "first");
    store("gpu-1", "INFO", "second");
    assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("first", "second");
    long newest = follower.newestId();

    store.withConnection(connection -> connection.createStatement().execute(
        "SELECT setval(pg_get_serial_sequence('system_logs', 'id'), 1)"));

    assertThat(messages(follower.read(EVERYTHING, 100))).isEmpty();
    assertThat(follower.newestId()).isEqualTo(newest);
  }

  @Test
  void theIdsOfARolledBackInsertAreWaitedForOnlySoLong() throws SQLException {
    AtomicLong clock = new AtomicLong(1_000_000);
    RecordFollower follower = new RecordFollower(store, store.lastLogId(), clock::get);
    try (Connection rolledBack = DriverManager.getConnection(url)) {
      rolledBack.setAutoCommit(false);
      store(rolledBack, "gpu-gone", "INFO", "never committed");
      store("gpu-1", "INFO", "committed");
      assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("committed");
      rolledBack.rollback();
    }
    clock.addAndGet(RecordFollower.GAP_WAIT_MILLIS);
    follower.read(EVERYTHING, 100);
    assertThat(follower.waitingFor()).as("still waited for at the limit").isEqualTo(1);

    clock.addAndGet(1);
    follower.read(EVERYTHING, 100);

    assertThat(follower.waitingFor()).isZero();
  }

  @Test
  void aFullReadSaysSoAndTheNextGoesOn() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    for (int i = 1; i <= 5; i++) {
      store("gpu-1", "INFO", "record " + i);
    }

    RecordFollower.Read first = follower.read(EVERYTHING, 3);
    RecordFollower.Read second = follower.read(EVERYTHING, 3);

    assertThat(first.full()).isTrue();
    assertThat(messages(first)).containsExactly("record 1", "record 2", "record 3");
    assertThat(second.full()).isFalse();
    assertThat(messages(second)).containsExactly("record 4", "record 5");
  }

  @Test
  void afterAFullReadTheFollowerPausesFourTimesAsLongAsTheReadTook() throws SQLException {
    // A clock that moves 40 ms at every look: a read looks at its start and at its end.
    AtomicLong clock = new AtomicLong(1_000_000);
    RecordFollower follower = new RecordFollower(store, store.lastLogId(), () -> clock.addAndGet(40));
    for (int i = 1; i <= 5; i++) {
      store("gpu-1", "INFO", "record " + i);
    }
    assertThat(follower.catchUpPauseMillis()).as("before any read").isZero();

    assertThat(follower.read(EVERYTHING, 3).full()).isTrue();
    assertThat(follower.catchUpPauseMillis()).isEqualTo(4 * 40);

    assertThat(follower.read(EVERYTHING, 3).full()).isFalse();
    assertThat(follower.catchUpPauseMillis()).as("caught up: the caller waits for new records anyway").isZero();
  }

  @Test
  void aReadCoversTheNextIdsGivenOutAndWaitsForThoseNotCommittedYet() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    try (Connection late = DriverManager.getConnection(url)) {
      late.setAutoCommit(false);
      for (int i = 1; i <= 10; i++) {
        store(late, "gpu-late", "INFO", "late " + i);   // ten ids given out, not committed yet
      }
      store("gpu-1", "INFO", "committed");

      RecordFollower.Read first = follower.read(EVERYTHING, 5);
      RecordFollower.Read second = follower.read(EVERYTHING, 5);
      RecordFollower.Read third = follower.read(EVERYTHING, 5);

      assertThat(first.records()).isEmpty();
      assertThat(first.full()).isTrue();
      assertThat(second.records()).isEmpty();
      assertThat(second.full()).isTrue();
      assertThat(messages(third)).containsExactly("committed");
      assertThat(third.full()).isFalse();
      assertThat(follower.waitingFor()).isEqualTo(10);
      late.commit();
    }

    RecordFollower.Read fourth = follower.read(EVERYTHING, 5);
    assertThat(messages(fourth)).containsExactly("late 1", "late 2", "late 3", "late 4", "late 5");
    assertThat(fourth.full()).as("cut at the limit").isTrue();
    assertThat(messages(follower.read(EVERYTHING, 5))).containsExactly("late 6", "late 7", "late 8", "late 9", "late 10");
    assertThat(follower.waitingFor()).isZero();
  }

  @Test
  void theIdIndexsNewRangesAreSummarizedSoThatAReadReadsOnlyItsOwnPages() throws SQLException {
    RecordFollower follower = new RecordFollower(store, store.lastLogId());
    insertRecords(80_000);   // about 8 ranges of 128 pages, unsummarized until a VACUUM
    long before = rowsRecheckedReadingTheNewest(100);
    assertThat(before).as("before: every unsummarized page").isGreaterThan(40_000);

    follower.read(EVERYTHING, 100);
    long afterTheRead = rowsRecheckedReadingTheNewest(100);
    insertRecords(80_000);
    follower.read(EVERYTHING, 100);

    // Left: the range still being filled, where the newest ids are.
    assertThat(afterTheRead).isLessThan(before / 4);
    assertThat(rowsRecheckedReadingTheNewest(100)).as("again at the next read").isLessThan(before / 4);
    assertThat(rangesLeftUnsummarized()).as("the range still being filled").isEqualTo(partialRanges());
  }

  /**
   * Summarizes what the follower left, and says how many ranges that was: ranges summarized while
   * records still go into them cost a BRIN WAL record per record stored.
   */
  private int rangesLeftUnsummarized() {
    return store.withConnection(connection -> {
      try (var rows = connection.createStatement().executeQuery(
          "SELECT sum(brin_summarize_new_values(inhrelid))::integer FROM pg_inherits "
              + "WHERE inhparent = 'system_logs_id_brin'::regclass")) {
        rows.next();
        return rows.getInt(1);
      }
    });
  }

  /** How many partitions end in a range of fewer than 128 pages. */
  private int partialRanges() {
    return store.withConnection(connection -> {
      try (var rows = connection.createStatement().executeQuery(
          "SELECT count(*)::integer FROM pg_inherits h JOIN pg_index i ON i.indexrelid = h.inhrelid "
              + "WHERE h.inhparent = 'system_logs_id_brin'::regclass "
              + "AND pg_relation_size(i.indrelid) / current_setting('block_size')::bigint % 128 <> 0")) {
        rows.next();
        return rows.getInt(1);
      }
    });
  }

  @Test
  void aPartitionLockedByAVacuumIsLeftForOneSecondAndTheReadGoesOn() throws SQLException {
    AtomicLong clock = new AtomicLong(1_000_000);
    RecordFollower follower = new RecordFollower(store, store.lastLogId(), clock::get);
    insertRecords(80_000);
    long before = rowsRecheckedReadingTheNewest(100);
    try (Connection vacuum = DriverManager.getConnection(url)) {
      // VACUUM's lock, held: summarizing waits 10 ms for it, then leaves the partition.
      vacuum.setAutoCommit(false);
      String partition = store.withConnection(connection -> {
        try (var rows = connection.createStatement().executeQuery(
            "SELECT tableoid::regclass::text FROM system_logs ORDER BY id DESC LIMIT 1")) {
          rows.next();
          return rows.getString(1);
        }
      });
      vacuum.createStatement().execute("LOCK TABLE " + partition + " IN SHARE UPDATE EXCLUSIVE MODE");
      store("gpu-1", "INFO", "read while locked");

      assertThat(store.summarizeNewIds()).isEqualTo(-1);
      assertThat(messages(follower.read(EVERYTHING, 100_000))).endsWith("read while locked");
      vacuum.commit();
    }
    store("gpu-1", "INFO", "read within the second");
    assertThat(messages(follower.read(EVERYTHING, 100))).containsExactly("read within the second");
    assertThat(rowsRecheckedReadingTheNewest(100)).as("left for a second").isGreaterThan(before / 2);

    clock.addAndGet(RecordFollower.SUMMARY_BACKOFF_MILLIS);
    follower.read(EVERYTHING, 100);

    assertThat(rowsRecheckedReadingTheNewest(100)).isLessThan(before / 4);
  }

  private void insertRecords(int count) {
    store.withConnection(connection -> connection.createStatement().execute(
        "INSERT INTO system_logs (timestamp, level, message, source_type, source_id) "
            + "SELECT now(), 'INFO', 'record ' || g, 'worker', 'gpu-1' FROM generate_series(1, " + count + ") g"));
  }

  /** The rows read and thrown away to find the newest {@code ids} ids through the id index. */
  private long rowsRecheckedReadingTheNewest(int ids) {
    long newest = store.lastLogId();
    return store.withConnection(connection -> {
      long removed = 0;
      // As on a table of millions of rows: a table this small would be scanned whole.
      connection.createStatement().execute("SET enable_seqscan = off");
      try (var rows = connection.createStatement().executeQuery(
          "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM system_logs WHERE id > " + (newest - ids))) {
        while (rows.next()) {
          var matcher = java.util.regex.Pattern.compile("Rows Removed by Index Recheck: (\\d+)").matcher(rows.getString(1));
          if (matcher.find()) {
            removed += Long.parseLong(matcher.group(1));
          }
        }
      } finally {
        connection.createStatement().execute("RESET enable_seqscan");
      }
      return removed;
    });
  }

  private static List<String> messages(RecordFollower.Read read) {
    return read.records().stream().map(StoredRecord::message).toList();
  }

  private void store(String worker, String level, String message) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      store(connection, worker, level, message);
    }
  }

  private static void store(Connection connection, String worker, String level, String message) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT func_worker_heartbeat_with_logs(?, NULL, NULL, jsonb_build_array(jsonb_build_object("
            + "'level', ?::text, 'message', ?::text)), NULL)")) {
      statement.setString(1, worker);
      statement.setString(2, level);
      statement.setString(3, message);
      statement.execute();
    }
  }
}
