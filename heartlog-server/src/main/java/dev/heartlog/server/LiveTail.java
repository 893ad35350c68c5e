package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.RecordFollower;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import io.javalin.http.sse.SseClient;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * New records, pushed to browsers within about a second of being stored. One thread holds a
 * connection that {@code LISTEN}s on {@code heartlog_logs}, which the ingest function notifies
 * when it stored records (each of its connections at most every 200 ms: a notification makes
 * commits wait for each other); it then reads the records stored since the last ones it saw and
 * sends each subscriber (a server-sent-events client) those matching its filter. A poll every
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
  private static final int READ_LIMIT = 5_000;
  /** Reads in a row when they come back full; then the next notification or poll goes on. */
  private static final int MAX_READS_PER_WAKE = 20;
  private static final int LEVELS_BELOW_ALL = 0;

  /** What one browser follows. Null fields do not filter. */
  record Subscriber(SseClient client, String worker, String task, int minimumLevel, String grep, String component) {

    boolean wants(StoredRecord record) {
      return (worker == null || worker.equals(record.workerId()))
          && (task == null || task.equals(record.taskId()))
          && LogFilter.LEVELS.indexOf(record.level()) >= minimumLevel
          && (grep == null || record.message().toLowerCase(Locale.ROOT).contains(grep))
          && (component == null || LogFilter.covers(component, record.component()));
    }

    /**
     * What the store is asked for on this subscriber's behalf: its worker, task, level and
     * component. The text is matched here, by {@link #wants}, as Java lowercases it.
     */
    LogFilter storeFilter() {
      return new LogFilter(worker, task, minimumLevel == LEVELS_BELOW_ALL ? null : LogFilter.LEVELS.get(minimumLevel),
          null, null, null, component, 1);
    }

    static Subscriber of(SseClient client, String worker, String task, String level, String grep, String component) {
      String minimum = level == null || level.isBlank() ? null : level.trim().toUpperCase(Locale.ROOT);
      int index = minimum == null ? LEVELS_BELOW_ALL : Math.max(0, LogFilter.LEVELS.indexOf("WARN".equals(minimum) ? "WARNING" : minimum));
      return new Subscriber(client, blank(worker), blank(task), index,
          blank(grep) == null ? null : grep.trim().toLowerCase(Locale.ROOT), blank(component));
    }

    private static String blank(String value) {
      return value == null || value.isBlank() ? null : value.trim();
    }
  }

  private final Store store;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final PrintStream diagnostics;
  private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
  private final Thread thread;
  private volatile boolean running = true;
  private RecordFollower follower;

  LiveTail(Store store, String jdbcUrl, String user, String password, PrintStream diagnostics) {
    this.store = store;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.diagnostics = diagnostics;
    this.thread = new Thread(this::run, "heartlog-live-tail");
    thread.setDaemon(true);
    thread.start();
  }

  /** Follows new records for {@code subscriber}, first sending those stored after {@code afterId}. */
  void subscribe(Subscriber subscriber, Long afterId) {
    synchronized (this) {
      if (subscribers.isEmpty()) {
        startFollowing();
      }
    }
    if (afterId != null) {
      for (StoredRecord record : store.logsAfter(afterId, LogFilter.all())) {
        if (subscriber.wants(record)) {
          send(subscriber, record);
        }
      }
    }
    subscribers.add(subscriber);
    subscriber.client().onClose(() -> subscribers.remove(subscriber));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private void run() {
    long backoff = 500;
    while (running) {
      try (Connection connection = connect()) {
        backoff = 500;
        PGConnection listener = connection.unwrap(PGConnection.class);
        long lastRead = System.currentTimeMillis();
        while (running) {
          PGNotification[] notifications = listener.getNotifications(1_000);
          boolean due = System.currentTimeMillis() - lastRead >= SAFETY_POLL_MILLIS;
          if (((notifications != null && notifications.length > 0) || due) && !subscribers.isEmpty()) {
            dispatchNewRecords();
            lastRead = System.currentTimeMillis();
          }
        }
      } catch (Exception e) {
        // Everything is caught: a tail that dies silently is worse than one that retries.
        if (running) {
          diagnostics.println("heartlog serve: live tail lost its database connection (" + e.getMessage() + "); retrying");
          sleep(backoff);
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
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
    }
    return connection;
  }

  /**
   * Where following starts after a time with no subscriber: the newest record counts as sent, so
   * a new subscriber gets what is stored from now on (and what it asked for by {@code afterId}).
   */
  private void startFollowing() {
    follower = new RecordFollower(store, store.lastLogId());
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
      List<LogFilter> wanted = subscribers.stream().map(Subscriber::storeFilter).toList();
      RecordFollower.Read next = follower.read(wanted, READ_LIMIT);
      for (StoredRecord record : next.records()) {
        for (Subscriber subscriber : subscribers) {
          if (subscriber.wants(record)) {
            send(subscriber, record);
          }
        }
      }
      if (!next.full()) {
        return;
      }
    }
  }

  private void send(Subscriber subscriber, StoredRecord record) {
    try {
      subscriber.client().sendEvent("record", StoreJson.record(record), Long.toString(record.id()));
    } catch (RuntimeException e) {
      subscribers.remove(subscriber);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
