package dev.heartlog.server;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Every request's use of the store goes through here, so that a fleet's heartbeats do not pile up
 * behind a database that is down or cannot keep up. Each waiting request holds one of the web
 * server's threads (250), and before this a fleet of 300 workers sending during an outage held
 * them all, each for the pool's 30 s wait: even {@code /healthz} went unanswered.
 *
 * <ul>
 *   <li>Once a request finds the database unreachable, the requests after it are answered 503 at
 *       once, without waiting for a connection, until a check (one at a time, every second) finds
 *       it answering again. The agents keep their batches and send them at a later heartbeat.
 *   <li>At most {@link #DEFAULT_LIMIT} requests use or wait for the store at once; more are
 *       answered 503 at once, leaving threads for the probes and the viewer.
 * </ul>
 *
 * Both answers carry {@code Retry-After}, and each episode is said on the server's output once
 * when it begins and once when it ends, with the number of requests it answered.
 */
final class StoreGuard implements AutoCloseable {

  /**
   * How many requests may use or wait for the store at once by default: ten for each of serve's
   * ten connections (its {@code --db-pool} sets both), well within the web server's 250 threads.
   */
  static final int DEFAULT_LIMIT = 100;
  /** How long a client answered at once is asked to wait; heartlog's agents wait for their next heartbeat anyway. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  /** How long after a failed check the database is checked again. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The database found unreachable: when, and why. */
  private record Outage(long sinceNanos, String reason) {}

  private final Store store;
  private final PrintStream diagnostics;
  private final int limit;
  private final Semaphore using;
  private final AtomicReference<Outage> outage = new AtomicReference<>();
  /** Counts the outages ended: a request that began before the last one ended does not start another. */
  private final AtomicLong outagesEnded = new AtomicLong();
  private final AtomicLong answeredAtOnce = new AtomicLong();
  private final AtomicLong turnedAway = new AtomicLong();
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "heartlog-database-check");
    thread.setDaemon(true);
    return thread;
  });

  StoreGuard(Store store, int limit, PrintStream diagnostics) {
    this.store = store;
    this.limit = limit;
    this.using = new Semaphore(limit);
    this.diagnostics = diagnostics;
  }

  /** Whether the database is answering, as far as the requests and checks have found: false during an outage. */
  boolean reachable() {
    return outage.get() == null;
  }

  /**
   * Runs {@code work} on the store, or answers at once.
   *
   * @throws PostgrestError 503 while the database is known to be unreachable or {@link #limit}
   *     requests already use it, and the store's failure as {@link DatabaseErrors#answer} words it
   */
  <T> T call(Supplier<T> work) {
    Outage known = outage.get();
    if (known != null) {
      answeredAtOnce.incrementAndGet();
      throw unreachable(known);
    }
    if (!using.tryAcquire()) {
      turnedAway();
      throw busy();
    }
    long outagesBefore = outagesEnded.get();
    try {
      return work.get();
    } catch (StoreException e) {
      if (e.isUnreachable() && !e.isPoolTimeout() && outagesEnded.get() == outagesBefore) {
        begin(new Outage(System.nanoTime(), DatabaseErrors.reason(e)));
      }
      throw DatabaseErrors.answer(e);
    } finally {
      using.release();
      if (turnedAway.get() > 0 && using.availablePermits() >= limit / 2 && outage.get() == null) {
        caughtUp();
      }
    }
  }

  private void begin(Outage found) {
    if (outage.compareAndSet(null, found)) {
      diagnostics.println("heartlog serve: the database does not answer (" + found.reason() + "); requests that need it "
          + "are answered 503 at once until it does, checked every " + CHECK_INTERVAL.toSeconds() + " s");
      checks.execute(this::check);
    }
  }

  /** One check: the outage ends when the store answers, else another check comes a second later. */
  private void check() {
    try {
      store.checkReachable();   // through the pool: it returns as soon as the pool has a connection again
    } catch (RuntimeException e) {   // the store's failure, or any other: tried again, never left closed for good
      checks.schedule(this::check, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    Outage ended = outage.get();
    outagesEnded.incrementAndGet();
    outage.set(null);
    long seconds = Duration.ofNanos(System.nanoTime() - ended.sinceNanos()).toSeconds();
    long answered = answeredAtOnce.getAndSet(0) + turnedAway.getAndSet(0);   // those turned away as it went down too
    diagnostics.println("heartlog serve: the database answers again after " + seconds + " s; "
        + requests(answered) + " answered 503 at once meanwhile");
  }

  private void turnedAway() {
    if (turnedAway.getAndIncrement() == 0) {
      diagnostics.println("heartlog serve: " + limit + " requests already use or wait for the database; more are "
          + "answered 503 at once while so many do (a slow database, or more workers than one server's pool keeps "
          + "up with)");
    }
  }

  private void caughtUp() {
    long count = turnedAway.getAndSet(0);
    if (count > 0) {
      diagnostics.println("heartlog serve: the database keeps up again; " + requests(count) + " answered 503 at once "
          + "meanwhile");
    }
  }

  private static String requests(long count) {
    return count == 1 ? "1 request was" : count + " requests were";
  }

  private static PostgrestError unreachable(Outage known) {
    long seconds = Duration.ofNanos(System.nanoTime() - known.sinceNanos()).toSeconds();
    return new PostgrestError(503, "PGRST001", "Database client error. Retrying the connection.",
        known.reason(), "The database has not answered for " + seconds + " s; heartlog serve checks it every "
            + CHECK_INTERVAL.toSeconds() + " s and sends requests on once it answers")
        .retryAfter(RETRY_AFTER);
  }

  private PostgrestError busy() {
    return new PostgrestError(503, "HL503", "Too many requests wait for the database", null,
        limit + " requests already use or wait for it; send again later").retryAfter(RETRY_AFTER);
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
