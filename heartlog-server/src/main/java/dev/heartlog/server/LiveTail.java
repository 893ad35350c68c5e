package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.RecordFollower;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import dev.heartlog.store.StoredRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * New records, pushed to browsers within about a second of being stored. One thread holds a
 * connection that {@code LISTEN}s on {@code heartlog_logs}, which the ingest function notifies
 * when it stored records (each of its connections at most every 200 ms: a notification makes
 * commits wait for each other); it then reads the records stored since the last ones it saw and
 * queues for each subscriber (a browser's server-sent events, or a WebSocket) those matching its
 * filter; each subscriber's own thread sends them ({@link TailSubscriber}). A poll every
 * {@link #SAFETY_POLL_MILLIS} finds what was stored without a notification, and what was
 * notified while reconnecting. With no subscriber it reads nothing: a fleet's records would
 * otherwise be read back as fast as they are stored, for nobody.
 *
 * <p>It reads through a {@link RecordFollower}, which waits for ids that commit late and reads a
 * record only where some subscriber's worker, task and level want it: following a fleet's errors
 * does not read back the whole fleet's records. A read that comes back full is followed by the
 * next after a pause four times as long as it took ({@link
 * RecordFollower#catchUpPauseMillis}), so a burst is caught up in seconds rather than at one read
 * per notification or poll, and a tail that cannot keep up falls behind rather than take a core
 * from the fleet's heartbeats.
 */
final class LiveTail implements AutoCloseable {

  static final long SAFETY_POLL_MILLIS = 1_000;
  /** What a standby answers LISTEN with ("cannot execute LISTEN during recovery"). */
  private static final String READ_ONLY_SQL_TRANSACTION = "25006";
  private static final int READ_LIMIT = 5_000;
  /** How long a read's failure waits to learn whether the connection listened on still stands. */
  private static final int CONNECTION_CHECK_SECONDS = 2;
  /** Reads in a row when they come back full; then the next notification or poll goes on. */
  private static final int MAX_READS_PER_WAKE = 20;
  /**
   * The most records a follower that comes back is sent of what it missed, the newest; at most
   * half the bound on the records queued for all followers, so that no follower is ended for
   * what it missed alone, again each time it comes back.
   */
  static final int MISSED_LIMIT = 10_000;
  /**
   * How far back, in ids, what a follower missed is looked for: the records of the last 100,000
   * ids, about half a minute of a 10,000-worker fleet and minutes of a smaller one. It bounds the
   * rows read for one follower coming back.
   */
  static final long MISSED_IDS = 100_000;

  /** Where a follower's records go: its server-sent-events stream or its WebSocket. */
  interface Sink {
    /** Sends one record, by the follower's own thread; throws when the follower is gone. */
    void send(StoredRecord record) throws Exception;

    /** Ends the stream or socket, saying why where it can: the follower fell too far behind. */
    void close(String reason);

    /**
     * How long the follower may go without a record before {@link #keepAlive} is called, by its
     * own thread; null: never (a WebSocket is pinged apart).
     */
    default Duration keepAliveAfter() {
      return null;
    }

    /** Sends what keeps a quiet stream open through proxies, and tells nothing to its reader. */
    default void keepAlive() throws Exception {}
  }

  private final Store store;
  /** The server's: a follower's reads are answered at once while the database is known to be down. */
  private final StoreGuard guard;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final PrintStream diagnostics;
  private final Set<TailSubscriber> subscribers = new CopyOnWriteArraySet<>();
  private final MissedReads missedReads;
  private final QueuedRecords queued;
  /** Held while the follower furthest behind is chosen and ended. */
  private final Object endingOne = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  /** Whether it has said that the database is a standby, where it cannot LISTEN: once. */
  private boolean saidStandby;
  private RecordFollower follower;

  /**
   * @param maxQueued the most records queued for all followers together; beyond it the follower
   *     furthest behind is ended
   */
  LiveTail(Store store, StoreGuard guard, String jdbcUrl, String user, String password, int maxQueued,
      PrintStream diagnostics) {
    this.store = store;
    this.guard = guard;
    this.queued = new QueuedRecords(maxQueued, this::endFurthestBehind);
    this.missedReads = new MissedReads(store, guard, Math.min(MISSED_LIMIT, maxQueued / 2), queued, diagnostics);
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.diagnostics = diagnostics;
    this.thread = new Thread(this::run, "heartlog-live-tail");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Sends {@code sink} the new records {@code request} wants, first those stored after its {@code
   * afterId}, until the returned action ends it (call it when the follower goes).
   */
  Runnable subscribe(TailRequest request, Sink sink) {
    TailSubscriber subscriber;
    // Between two reads: what was sent to the others so far is what the follower missed.
    synchronized (this) {
      if (subscribers.isEmpty()) {
        startFollowing();
      }
      Supplier<Backlog> missed = request.afterId() == null ? () -> Backlog.NONE : missedSince(request);
      subscriber = new TailSubscriber(request, missed, sink, subscribers::remove, queued);
      subscribers.add(subscriber);
    }
    subscriber.start();
    return subscriber::end;
  }

  /** The newest record stored now: a follower asking now is sent what comes after it. */
  long newestRecordId() {
    return guard.call(store::lastLogId);
  }

  /** The followers now. */
  int followers() {
    return subscribers.size();
  }

  /** The records queued for all followers now, those of what they missed among them. */
  int queuedForAll() {
    return queued.count();
  }

  /** The reads of what followers that come back missed. */
  MissedReads missedReads() {
    return missedReads;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    subscribers.forEach(TailSubscriber::end);
    missedReads.close();
  }

  private void run() {
    long backoff = 500;
    FailureReport lost = FailureReport.connection(diagnostics);
    FailureReport reads = FailureReport.reads(diagnostics);
    while (running) {
      try (Connection connection = connect()) {
        backoff = 500;
        lost.worked();
        PGConnection listener = connection.unwrap(PGConnection.class);
        // The clock of intervals, not the wall clock: set back an hour (NTP, a VM's host), the
        // poll stopped for that hour, and records stored without a notification were not sent.
        long lastRead = System.nanoTime();
        while (running) {
          PGNotification[] notifications = listener.getNotifications(1_000);
          boolean due = System.nanoTime() - lastRead >= TimeUnit.MILLISECONDS.toNanos(SAFETY_POLL_MILLIS);
          if (((notifications != null && notifications.length > 0) || due) && !subscribers.isEmpty()) {
            readNewRecords(connection, reads);
            lastRead = System.nanoTime();
          }
        }
      } catch (Exception | Error e) {
        // Everything is caught, an OutOfMemoryError of a large read too: a tail that dies
        // silently is worse than one that retries.
        if (running) {
          lost.failed(e.getMessage());
          sleep(backoff);
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
    }
  }

  /**
   * Sends the followers what is new. A read that fails while the connection listened on stands
   * (the pool had no connection in time, the store's tables are missing or refused to this
   * login) is said as such and tried again at the next poll, a second later, on the same
   * connection; before, it was said as the connection's loss, which was closed and made again.
   *
   * @throws StoreException where the database does not answer, or the connection listened on is gone
   */
  private void readNewRecords(Connection listening, FailureReport reads) throws SQLException {
    try {
      dispatchNewRecords();
      reads.worked();
    } catch (StoreException e) {
      if ((e.isUnreachable() && !e.isPoolTimeout()) || !listening.isValid(CONNECTION_CHECK_SECONDS)) {
        throw e;
      }
      reads.failed(DatabaseErrors.reason(e));
    }
  }

  private Connection connect() throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "heartlog-live-tail");
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN heartlog_logs");
    } catch (SQLException e) {
      if (!READ_ONLY_SQL_TRANSACTION.equals(e.getSQLState())) {
        connection.close();
        throw e;
      }
      // A standby (a read replica) takes no LISTEN, and the primary's notifications do not reach
      // it anyway: the poll alone finds the records as they are replayed.
      if (!saidStandby) {
        saidStandby = true;
        diagnostics.println("heartlog serve: the database is a standby (read replica), which takes no LISTEN: "
            + "the live tail reads new records once a second");
      }
    }
    return connection;
  }

  /**
   * Where following starts after a time with no subscriber: the newest record counts as sent, so
   * a new subscriber gets what is stored from now on (and what it asked for by {@code afterId}).
   */
  private void startFollowing() {
    follower = new RecordFollower(store, guard.call(store::lastLogId));
  }

  private synchronized void dispatchNewRecords() {
    for (int read = 0; read < MAX_READS_PER_WAKE; read++) {
      long pause = follower.catchUpPauseMillis();
      if (pause > 0) {
        try {
          wait(pause);   // releases this monitor: a browser may subscribe meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      // Per read: a browser that subscribed meanwhile is asked for from this read on.
      List<LogFilter> wanted = subscribers.stream().map(subscriber -> subscriber.request().storeFilter(1)).toList();
      RecordFollower.Read next = follower.read(wanted, READ_LIMIT);
      for (StoredRecord record : next.records()) {
        for (TailSubscriber subscriber : subscribers) {
          if (subscriber.request().wants(record)) {
            subscriber.offer(record);
          }
        }
      }
      if (!next.full()) {
        return;
      }
    }
  }

  /**
   * Ends the follower with the most records queued, which holds the most memory and would be the
   * last to catch up: {@link TailSubscriber} bounds each follower's queue, this bounds them all.
   * Called by the tail's thread as it queues new records, and by a follower's as it counts what it
   * missed; one at a time, so that two do not each end one for the same excess.
   */
  private void endFurthestBehind() {
    synchronized (endingOne) {
      if (!queued.overBound()) {
        return;
      }
      // A WebSocket's close reason holds at most 123 bytes.
      String reason = "heartlog: followers fell " + queued.max() + " records behind together, this one furthest;"
          + " follow again with after=<last id received>";
      subscribers.stream().max(Comparator.comparingInt(TailSubscriber::queued))
          .filter(furthest -> furthest.queued() > 0)
          .ifPresent(furthest -> furthest.endBehind(reason));
    }
  }

  /**
   * What a follower that comes back missed: the records it wants stored after its {@code afterId}
   * and up to where following has read now, so that it continues where it left off; the newest
   * {@value #MISSED_LIMIT} of them (fewer with a small bound), among the last {@value #MISSED_IDS}
   * ids. Those following still waits for (transactions not committed yet) come later, to
   * everyone. Where following stands is taken now, under the lock; the follower's own thread waits
   * for the read, which {@link MissedReads} makes one at a time and shares among those that come
   * back together.
   */
  private Supplier<Backlog> missedSince(TailRequest request) {
    long untilId = follower.newestId();
    long fromId = Math.max(request.afterId(), untilId - MISSED_IDS);
    if (fromId >= untilId) {
      return () -> Backlog.NONE;
    }
    Set<Long> comingLater = follower.idsWaitedFor(fromId, untilId);
    return () -> {
      try {
        return missedReads.read(request, fromId, untilId, comingLater);
      } catch (InterruptedException ended) {   // the follower went while it waited
        Thread.currentThread().interrupt();
        return Backlog.NONE;
      }
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
