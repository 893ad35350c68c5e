package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Followers that come back together, as every browser does within seconds of {@code heartlog
 * serve} restarting: their reads of what they missed take turns and are shared, so that they
 * leave the server's pooled connections to the workers' heartbeats, and what they missed counts
 * towards the bound on the records queued for all followers. The tail runs over a real store;
 * its followers are sinks in this test, one that stops reading among them.
 */
class ReturningFollowersTest {

  private String url;
  private GatedReads reads;
  private LiveTail tail;
  private final List<CountDownLatch> stalls = new ArrayList<>();

  @BeforeEach
  void openStore() {
    url = TestDatabase.migratedUrl();
    reads = new GatedReads(url);
  }

  @AfterEach
  void closeTail() {
    reads.open();
    stalls.forEach(CountDownLatch::countDown);
    tail.close();
  }

  @Test
  void followersThatComeBackTogetherShareTheReadsOfWhatTheyMissedOneAtATime() throws Exception {
    startTail(100_000);
    BlockingQueue<StoredRecord> first = follow(null);
    long missed = storeAndAwait(first, "gpu-1", "missed by those coming back");

    reads.close();
    List<BlockingQueue<StoredRecord>> returning = new ArrayList<>();
    returning.add(follow(missed - 1));
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 1);
    // While the first one's read is under way, five more come back: four of everything, one of gpu-1.
    for (int follower = 0; follower < 4; follower++) {
      returning.add(follow(missed - 1 - follower));
    }
    returning.add(follow(missed - 1, "gpu-1"));

    await().atMost(Duration.ofSeconds(15)).until(() -> tail.missedReads().waiting() == returning.size());
    assertThat(reads.waiting()).as("reads of what was missed under way at once").isEqualTo(1);
    reads.open();
    for (BlockingQueue<StoredRecord> follower : returning) {
      StoredRecord record = follower.poll(15, TimeUnit.SECONDS);
      assertThat(record).as("a returning follower was sent what it missed").isNotNull();
      assertThat(record.id()).isEqualTo(missed);
    }
    assertThat(reads.taken()).as("reads: the first, one shared by the four of everything, gpu-1's").isEqualTo(3);
  }

  @Test
  void whatFollowersMissedCountsTowardsTheBoundOnAllTheyHaveQueued() throws Exception {
    Burst burst = burstWatchedByOne(600);   // a bound of 1,000: a returning follower is sent at most 500
    long before = burst.before();

    // Three that stopped reading come back together, each reading its own: 500 each, 1,500 held
    // for a bound of 1,000.
    List<String> ends = new ArrayList<>();
    followStalled(new TailRequest(null, null, 0, null, null, before), ends);
    followStalled(new TailRequest(null, null, LogFilter.LEVELS.indexOf("INFO"), null, null, before), ends);
    followStalled(new TailRequest("gpu-burst", null, 0, null, null, before), ends);

    await().atMost(Duration.ofSeconds(15)).until(() -> !snapshot(ends).isEmpty());
    assertThat(snapshot(ends).get(0)).isEqualTo(
        "heartlog: followers fell 1000 records behind together, this one furthest; follow again with after=<last id received>");
    long newest = storeAndAwait(burst.watching(), "gpu-watch", "the follower that kept up was kept");
    assertThat(newest).isGreaterThan(before);
  }

  @Test
  void followersSharingAReadOfWhatTheyMissedCountItOnce() throws Exception {
    long before = burstWatchedByOne(600).before();

    // While one follower's read is under way, three that stopped reading come back and share the next.
    reads.close();
    follow(before, "gpu-watch");
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 1);
    List<String> ends = new ArrayList<>();
    AtomicInteger stalledSending = new AtomicInteger();
    for (int follower = 0; follower < 3; follower++) {
      followStalled(new TailRequest(null, null, 0, null, null, before), ends, stalledSending);
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> tail.missedReads().waiting() == 4);
    reads.open();

    await().atMost(Duration.ofSeconds(15)).until(() -> stalledSending.get() == 3);
    await().atMost(Duration.ofSeconds(15)).until(() -> tail.queuedForAll() == 500);   // not 1,500
    assertThat(snapshot(ends)).isEmpty();
    assertThat(reads.taken()).isEqualTo(2);
  }

  @Test
  void pastTheBoundTheFollowerEndedIsTheOneWhoseEndFreesTheMostNotOneSharingItsRead() throws Exception {
    startTail(1_000);
    BlockingQueue<StoredRecord> watching = follow(null, "gpu-watch");
    long before = storeAndAwait(watching, "gpu-watch", "before the burst");
    storeMany("gpu-burst", 300);
    storeMany("gpu-other", 100);
    storeAndAwait(watching, "gpu-watch", "after the burst");

    // Two that stopped reading share a read of 401 records; a third reads its own 300, of gpu-burst.
    reads.close();
    follow(before, "gpu-watch");
    await().atMost(Duration.ofSeconds(15)).until(() -> reads.waiting() == 1);
    List<String> sharingEnds = new ArrayList<>();
    List<String> aloneEnds = new ArrayList<>();
    AtomicInteger stalledSending = new AtomicInteger();
    followStalled(new TailRequest(null, null, 0, null, null, before), sharingEnds, stalledSending);
    followStalled(new TailRequest(null, null, 0, null, null, before), sharingEnds, stalledSending);
    followStalled(new TailRequest("gpu-burst", null, 0, null, null, before), aloneEnds, stalledSending);
    await().atMost(Duration.ofSeconds(15)).until(() -> tail.missedReads().waiting() == 4);
    reads.open();
    await().atMost(Duration.ofSeconds(15)).until(() -> stalledSending.get() == 3);
    assertThat(tail.queuedForAll()).isEqualTo(701);

    // 250 more for all three: past 1,000 at about 100 each. Ending the one alone frees its 300
    // and its queue; ending one of the two sharing would free its queue alone.
    storeMany("gpu-burst", 250);
    await().atMost(Duration.ofSeconds(15)).until(() -> !snapshot(aloneEnds).isEmpty());
    storeAndAwait(watching, "gpu-watch", "once all were queued");
    assertThat(snapshot(sharingEnds)).isEmpty();
  }

  @Test
  void aFollowerIsNeverEndedForWhatItMissedAloneHoweverSmallTheBound() throws Exception {
    Burst burst = burstWatchedByOne(1_500);
    long before = burst.before();
    long after = burst.after();

    List<String> ends = new ArrayList<>();
    BlockingQueue<StoredRecord> returning = new LinkedBlockingQueue<>();
    tail.subscribe(new TailRequest(null, null, 0, null, null, before), sink(returning, ends));

    List<StoredRecord> received = new ArrayList<>();
    while (received.isEmpty() || received.get(received.size() - 1).id() != after) {
      StoredRecord record = returning.poll(15, TimeUnit.SECONDS);
      assertThat(record).as("a record of what it missed, %d received; ended: %s", received.size(), snapshot(ends)).isNotNull();
      received.add(record);
    }
    assertThat(received).as("the newest half of the bound").hasSize(500);
    assertThat(snapshot(ends)).isEmpty();
  }

  /** A burst of gpu-burst's records stored between two of gpu-watch's, and the follower of gpu-watch that received them. */
  private record Burst(BlockingQueue<StoredRecord> watching, long before, long after) {}

  /** Starts the tail with a bound of 1,000, a follower of gpu-watch, and stores a burst of {@code records}. */
  private Burst burstWatchedByOne(int records) throws Exception {
    startTail(1_000);
    BlockingQueue<StoredRecord> watching = follow(null, "gpu-watch");
    long before = storeAndAwait(watching, "gpu-watch", "before the burst");
    storeMany("gpu-burst", records);
    long after = storeAndAwait(watching, "gpu-watch", "after the burst");
    return new Burst(watching, before, after);
  }

  private void startTail(int maxQueued) {
    Store store = Store.open(reads, url);
    PrintStream diagnostics = new PrintStream(System.err, true);
    tail = new LiveTail(store, new StoreGuard(store, StoreGuard.DEFAULT_LIMIT, diagnostics), url, null, null, maxQueued,
        diagnostics);
  }

  /** A follower of everything (or of one worker) that reads all it is sent; after an id, or from now on. */
  private BlockingQueue<StoredRecord> follow(Long afterId, String... worker) {
    BlockingQueue<StoredRecord> records = new LinkedBlockingQueue<>();
    tail.subscribe(new TailRequest(worker.length == 0 ? null : worker[0], null, 0, null, null, afterId),
        sink(records, new ArrayList<>()));
    return records;
  }

  /** A follower that reads nothing: its first record's sending waits until it is ended. */
  private void followStalled(TailRequest request, List<String> ends) {
    followStalled(request, ends, new AtomicInteger());
  }

  /** The same, counting in {@code sending} the followers stalled in their first record's sending. */
  private void followStalled(TailRequest request, List<String> ends, AtomicInteger sending) {
    CountDownLatch stalled = new CountDownLatch(1);
    stalls.add(stalled);
    tail.subscribe(request, new LiveTail.Sink() {
      @Override
      public void send(StoredRecord record) throws InterruptedException {
        sending.incrementAndGet();
        stalled.await();
        throw new InterruptedException("the follower is gone");
      }

      @Override
      public void close(String reason) {
        synchronized (ends) {
          ends.add(reason);
        }
        stalled.countDown();
      }
    });
  }

  private static LiveTail.Sink sink(BlockingQueue<StoredRecord> records, List<String> ends) {
    return new LiveTail.Sink() {
      @Override
      public void send(StoredRecord record) {
        records.add(record);
      }

      @Override
      public void close(String reason) {
        synchronized (ends) {
          ends.add(reason);
        }
      }
    };
  }

  private static List<String> snapshot(List<String> ends) {
    synchronized (ends) {
      return List.copyOf(ends);
    }
  }

  /** Stores a record and returns its id once {@code follower} received it. */
  private long storeAndAwait(BlockingQueue<StoredRecord> follower, String worker, String message) throws Exception {
    storeMany(worker, 1, message);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      StoredRecord record = follower.poll(500, TimeUnit.MILLISECONDS);
      if (record != null && record.message().equals(message)) {
        return record.id();
      }
    }
    throw new AssertionError("the follower got no \"" + message + "\" in 15 s");
  }

  private void storeMany(String worker, int records) throws SQLException {
    storeMany(worker, records, "burst");
  }

  private void storeMany(String worker, int records, String message) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, NULL, "
          + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', '" + message + "')) "
          + "FROM generate_series(1, " + records + ") g), NULL)");
    }
  }
}
