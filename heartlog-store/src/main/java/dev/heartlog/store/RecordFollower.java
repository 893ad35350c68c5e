package dev.heartlog.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Follows the records stored from a point on, as {@code logs --follow} and {@code heartlog
 * serve}'s live tail do: each {@link #read} returns the records stored since the last one that
 * the followers' filters want, in id order, none twice.
 *
 * <p>Ids are given when a record is inserted, and transactions commit in any order, so a record
 * may become visible after records with higher ids were read. Each id skipped over is waited for
 * ({@link #GAP_WAIT_MILLIS}) and asked for again with every read; a fixed window of ids read
 * again, as before, lost records whenever more ids than the window were given out while a
 * transaction committed (a fleet's heartbeats at 50,000 records a second: 2,000 ids in 40 ms).
 * So every id is read, but a record only where a filter wants it ({@link
 * Store#recordsForFollowers}): following a fleet's errors does not read back all of its records.
 *
 * <p>Not thread-safe: one follower, one thread.
 */
public final class RecordFollower {

  /**
   * How long an id skipped over is asked for again: its transaction may not have committed yet.
   * The ids of an insert that was rolled back never come.
   */
  public static final long GAP_WAIT_MILLIS = 30_000;
  /** At most this many ids waited for; a larger jump in ids is not waited for. */
  static final int MAX_GAPS = 100_000;
  /**
   * How long the id index's new ranges are left unsummarized ({@link Store#summarizeNewIds})
   * after a partition's lock was found held, or the summary failed.
   */
  static final long SUMMARY_BACKOFF_MILLIS = 1_000;
  /** Ids before the starting point looked at for transactions still to commit. */
  static final int STARTING_LOOKBACK_IDS = 5_000;
  /**
   * After a full read, how many times as long as it took the follower waits before reading again
   * ({@link #catchUpPauseMillis}). A follower behind a busy fleet would otherwise read without a
   * break, and its backend take a core from the store's ingest: with a browser following the
   * errors, the first 10 s of a 10,000-worker fleet had heartbeats p50 1.3 s instead of 13 ms
   * (BENCHMARKS.md §8). With the pause a follower reads at most a fifth of the time, and falls
   * further behind instead.
   */
  public static final int CATCH_UP_PAUSE_FACTOR = 4;

  private final Store store;
  private final LongSupplier clock;
  /** Ids below {@link #newestId} not seen yet, with when they were first missed, oldest first. */
  private final LinkedHashMap<Long, Long> gaps = new LinkedHashMap<>();
  private long newestId;
  private boolean maySummarize = true;
  private long nextSummaryAt = Long.MIN_VALUE;
  private long lastReadMillis;
  private boolean lastReadFull;

  /**
   * Follows what is stored after {@code afterId}, the newest record seen: the records stored after
   * it, and those of the {@value #STARTING_LOOKBACK_IDS} ids before it whose transactions had not
   * committed yet (those ids are waited for, as later ones).
   */
  public RecordFollower(Store store, long afterId) {
    // Milliseconds of the clock of intervals: on the wall clock, set forward, the ids waited for
    // were given up at once (records committed late were not sent); set back, kept as much longer.
    this(store, afterId, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
  }

  // Visible for testing: the clock that ages the ids waited for.
  RecordFollower(Store store, long afterId, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
    this.newestId = Math.max(0, afterId - STARTING_LOOKBACK_IDS);
    if (newestId < afterId) {
      // Every id up to afterId was given out: those not visible yet are waited for.
      readIds(List.of(), STARTING_LOOKBACK_IDS, afterId, clock.getAsLong());
    }
  }

  /** What one read found. */
  public record Read(List<StoredRecord> records, boolean full) {}

  /**
   * Reads up to {@code limit} ids: those after the newest seen and those still waited for. Returns
   * the records among them that one of {@code wanted} matches (worker, task, minimum level,
   * text), and whether there is more to read than this read covered, so that the caller reads
   * again at once to catch up.
   *
   * <p>A read covers the next {@code limit} ids the sequence gave out, visible or not: those not
   * visible yet are waited for. Without a readable sequence (a user without the privilege), it
   * reads the next {@code limit} ids stored, which costs more the further behind it is.
   */
  public Read read(Collection<LogFilter> wanted, int limit) {
    long now = clock.getAsLong();
    gaps.values().removeIf(missedAt -> now - missedAt > GAP_WAIT_MILLIS);
    summarizeNewIds(now);
    long issued = store.issuedLogId();
    // Never below the newest seen: a sequence set back (ALTER SEQUENCE ... RESTART) must not make
    // the follower show again what it showed.
    long until = issued > 0 ? Math.max(newestId, Math.min(issued, newestId + limit)) : Long.MAX_VALUE;
    Read read = readIds(wanted, limit, until, now);
    if (until < issued && !read.full()) {
      read = new Read(read.records(), true);
    }
    lastReadMillis = Math.max(0, clock.getAsLong() - now);
    lastReadFull = read.full();
    return read;
  }

  /**
   * How long to wait before the next read: after a full read, {@value #CATCH_UP_PAUSE_FACTOR}
   * times as long as it took; otherwise no time (the caller waits for new records anyway). Callers
   * that read again at once to catch up wait this long first, so that following never takes
   * more than a fifth of a core from the store.
   */
  public long catchUpPauseMillis() {
    return lastReadFull ? CATCH_UP_PAUSE_FACTOR * lastReadMillis : 0;
  }

  /**
   * Reads the ids after the newest seen up to {@code until}, all of them given out (or all there
   * are, for {@link Long#MAX_VALUE}), and those waited for; at most {@code limit}.
   */
  private Read readIds(Collection<LogFilter> wanted, int limit, long until, long now) {
    List<Store.FollowedId> ids = store.recordsForFollowers(newestId, until, gaps.keySet(), wanted, limit);
    List<StoredRecord> records = new ArrayList<>();
    for (Store.FollowedId followed : ids) {
      long id = followed.id();
      if (id <= newestId) {
        if (gaps.remove(id) == null) {
          continue;   // already seen
        }
      } else {
        waitForIdsBelow(id, now);
        newestId = id;
      }
      if (followed.record() != null) {
        records.add(followed.record());
      }
    }
    if (until != Long.MAX_VALUE) {
      // Every id up to the read's end was given out: those not seen are still to come.
      waitForIdsBelow(until + 1, now);
      newestId = until;
    }
    for (Iterator<Long> oldest = gaps.keySet().iterator(); gaps.size() > MAX_GAPS; ) {
      oldest.next();
      oldest.remove();
    }
    // A read cut at the limit left ids out; they are read next, by the ids waited for.
    return new Read(records, ids.size() >= limit);
  }

  /**
   * BRIN leaves the id index's newest ranges unsummarized until a VACUUM, and a read by id reads
   * all of their pages: at a fleet's rate, hundreds of thousands of rows per read. Summarized
   * before each read, each page is summarized once and a read reads about its own pages. Without
   * the tables' owner's rights this is not done, and reads cost more the longer since the last
   * VACUUM.
   */
  private void summarizeNewIds(long now) {
    if (!maySummarize || now < nextSummaryAt) {
      return;
    }
    try {
      if (store.summarizeNewIds() < 0) {
        nextSummaryAt = now + SUMMARY_BACKOFF_MILLIS;   // a VACUUM holds a partition: it summarizes
      }
    } catch (StoreException e) {
      if (e.sqlState() != null && e.sqlState().startsWith("08")) {
        throw e;   // the store cannot be reached: the read itself would wait for it again
      }
      maySummarize = !"42501".equals(e.sqlState());   // not the owner: never
      nextSummaryAt = now + SUMMARY_BACKOFF_MILLIS;
    }
  }

  /** The ids after the newest seen and below {@code end} are waited for, unless too many. */
  private void waitForIdsBelow(long end, long now) {
    if (end - newestId - 1 <= MAX_GAPS) {
      for (long skipped = newestId + 1; skipped < end; skipped++) {
        gaps.put(skipped, now);
      }
    }
  }

  /** The newest id seen. */
  public long newestId() {
    return newestId;
  }

  /**
   * The ids above {@code afterId} and at or below {@code untilId} still waited for, as they are
   * now: their records, once committed, come in a later read. A copy, for another thread.
   */
  public Set<Long> idsWaitedFor(long afterId, long untilId) {
    Set<Long> waited = new HashSet<>();
    for (long id : gaps.keySet()) {
      if (id > afterId && id <= untilId) {
        waited.add(id);
      }
    }
    return waited;
  }

  /** How many ids below {@link #newestId} are still waited for. */
  public int waitingFor() {
    return gaps.size();
  }
}
