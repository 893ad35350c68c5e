package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Followers that come back while a read of what others missed is under way share the next read:
 * each is sent exactly what a read of its own range would have given it, the newest of its range
 * up to the limit and what it wants of them, over a real store. The expected records are picked
 * here from all the records stored, not through the reads under test.
 */
class MissedReadsTest {

  private static final int LIMIT = 100;

  private final ExecutorService followers = Executors.newCachedThreadPool();
  private GatedReads connections;
  private QueuedRecords queued;
  private MissedReads reads;
  private String url;
  private List<StoredRecord> stored;

  @BeforeEach
  void storeRecords() throws Exception {
    url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, (SELECT jsonb_agg(jsonb_build_object("
          + "'level', CASE WHEN g % 3 = 0 THEN 'ERROR' ELSE 'INFO' END, 'message', 'step ' || g)) "
          + "FROM generate_series(1, 1000) g), NULL)");
    }
    stored = store.logsAfter(0, Long.MAX_VALUE, new LogFilter(null, null, null, null, null, null, null, 10_000));
    assertThat(stored).hasSize(1000);
    connections = new GatedReads(url);
    queued = new QueuedRecords(Integer.MAX_VALUE, () -> {});
    Store gated = Store.open(connections, url);
    PrintStream diagnostics = new PrintStream(System.err, true);
    reads = new MissedReads(gated, new StoreGuard(gated, StoreGuard.DEFAULT_LIMIT, diagnostics), LIMIT, queued, diagnostics);
  }

  @AfterEach
  void close() {
    connections.open();
    followers.shutdownNow();
    reads.close();
  }

  @Test
  void followersThatComeBackDuringAReadShareTheNextAndEachGetsItsOwnRange() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 500);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);

    TailRequest steps7 = new TailRequest(null, null, 0, "7", null, null);
    Future<Backlog> wide = comeBack(everything(), 100, 1000);
    Future<Backlog> narrow = comeBack(steps7, 900, 1000);
    Future<Backlog> endingEarlier = comeBack(everything(), 0, 950);
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 4);
    connections.open();

    assertThat(ids(first)).isEqualTo(expected(everything(), 0, 500)).hasSize(LIMIT);
    assertThat(ids(wide)).isEqualTo(expected(everything(), 100, 1000)).hasSize(LIMIT);
    assertThat(ids(narrow)).isEqualTo(expected(steps7, 900, 1000)).isNotEmpty();
    // The shared read held the newest 100 of up to 1000, only 50 of its own: it read its own.
    assertThat(ids(endingEarlier)).isEqualTo(expected(everything(), 0, 950)).hasSize(LIMIT);
    assertThat(reads.reads()).as("the first, the shared one, and the one ending earlier read alone").isEqualTo(3);
  }

  @Test
  void followersOfTheSameStoreFilterShareWhateverTheirTextAndOthersReadTheirOwn() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);

    TailRequest errors = new TailRequest(null, null, LogFilter.LEVELS.indexOf("ERROR"), null, null, null);
    TailRequest errorsOfStep9 = new TailRequest(null, null, LogFilter.LEVELS.indexOf("ERROR"), "9", null, null);
    Future<Backlog> allErrors = comeBack(errors, 0, 1000);
    Future<Backlog> someErrors = comeBack(errorsOfStep9, 800, 1000);
    Future<Backlog> anotherWorker = comeBack(new TailRequest("gpu-2", null, 0, null, null, null), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 4);
    connections.open();

    assertThat(ids(first)).isEqualTo(expected(everything(), 0, 1000));
    assertThat(ids(allErrors)).isEqualTo(expected(errors, 0, 1000)).hasSize(LIMIT);
    assertThat(ids(someErrors)).isEqualTo(expected(errorsOfStep9, 800, 1000)).isNotEmpty();
    assertThat(ids(anotherWorker)).isEmpty();
    assertThat(reads.reads()).as("the first, the errors' shared, gpu-2's").isEqualTo(3);
  }

  @Test
  void aSharedReadCountsOnceAmongTheRecordsQueuedWhileAnyFollowerHoldsIt() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);
    List<Future<Backlog>> sharing = List.of(
        comeBack(everything(), 900, 1000), comeBack(everything(), 920, 1000), comeBack(everything(), 950, 1000));
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 4);
    connections.open();
    first.get(15, TimeUnit.SECONDS);
    List<Backlog> backlogs = new ArrayList<>();
    for (Future<Backlog> follower : sharing) {
      backlogs.add(follower.get(15, TimeUnit.SECONDS));
    }
    assertThat(backlogs).extracting(backlog -> backlog.records().size()).containsExactly(100, 80, 50);

    backlogs.forEach(Backlog::hold);
    backlogs.get(0).hold();   // a second hold by the same follower counts nothing
    assertThat(queued.count()).as("the shared read's 100 records, once").isEqualTo(100);
    assertThat(backlogs).allSatisfy(backlog -> assertThat(backlog.sharedBy()).isEqualTo(3));
    backlogs.get(0).release();
    backlogs.get(0).release();
    backlogs.get(1).release();
    assertThat(queued.count()).as("one follower holds them still").isEqualTo(100);
    backlogs.get(2).release();
    assertThat(queued.count()).isZero();
  }

  @Test
  void aReadAllOfWhoseFollowersWentIsNotMade() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);
    Future<Backlog> gone = comeBack(new TailRequest("gpu-1", null, 0, null, null, null), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 2);

    gone.cancel(true);   // interrupts its thread, as a follower's end() does
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 1);
    connections.open();

    assertThat(ids(first)).hasSize(LIMIT);
    // Reads are made in turn: once a later one is, the gone one's turn has passed.
    assertThat(ids(comeBack(everything(), 0, 10))).hasSize(10);
    assertThat(reads.reads()).as("the first, the later one").isEqualTo(2);
    assertThat(connections.taken()).isEqualTo(2);
  }

  @Test
  void aStoreThatCannotBeReadFailsEveryFollowerOfTheRead() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);
    Future<Backlog> second = comeBack(everything(), 0, 900);
    Future<Backlog> third = comeBack(everything(), 500, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 3);
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE system_logs RENAME TO system_logs_away");
    }
    connections.open();

    for (Future<Backlog> follower : List.of(first, second, third)) {
      assertThatThrownBy(() -> follower.get(15, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("has no heartlog schema yet");
    }
    assertThat(reads.reads()).as("the first, the one the other two shared").isEqualTo(2);
  }

  @Test
  void followersWaitingWhenTheTailClosesAreToldSo() throws Exception {
    connections.close();
    Future<Backlog> first = comeBack(everything(), 0, 1000);
    await().atMost(Duration.ofSeconds(15)).until(() -> connections.waiting() == 1);
    Future<Backlog> waiting = comeBack(everything(), 0, 900);
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 2);

    reads.close();

    assertThatThrownBy(() -> waiting.get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().hasMessage("the live tail is closed");
    assertThatThrownBy(() -> first.get(15, TimeUnit.SECONDS)).as("the read under way, interrupted")
        .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(PostgrestError.class,
            answer -> assertThat(answer.details).contains("interrupted"));
  }

  private static TailRequest everything() {
    return new TailRequest(null, null, 0, null, null, null);
  }

  /** A follower coming back with the range of ids between the {@code from}th and the {@code until}th record stored. */
  private Future<Backlog> comeBack(TailRequest request, int from, int until) {
    long fromId = from == 0 ? 0 : stored.get(from - 1).id();
    long untilId = stored.get(until - 1).id();
    return followers.submit(() -> reads.read(request, fromId, untilId, Set.of()));
  }

  /** What a read of its own range would send it: the newest {@value #LIMIT} it wants, picked from all stored. */
  private List<Long> expected(TailRequest request, int from, int until) {
    LogFilter filter = request.storeFilter(LIMIT);
    List<StoredRecord> range = stored.subList(from, until).stream()
        .filter(record -> filter.minimumLevel() == null || LogFilter.LEVELS.indexOf(record.level())
            >= LogFilter.LEVELS.indexOf(filter.minimumLevel()))
        .filter(record -> filter.workerId() == null || filter.workerId().equals(record.workerId()))
        .toList();
    return range.subList(Math.max(0, range.size() - LIMIT), range.size()).stream()
        .filter(request::wants).map(StoredRecord::id).toList();
  }

  private static List<Long> ids(Future<Backlog> follower) throws Exception {
    return follower.get(15, TimeUnit.SECONDS).records().stream().map(StoredRecord::id).toList();
  }
}
