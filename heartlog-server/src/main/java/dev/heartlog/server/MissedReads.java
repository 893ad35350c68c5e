package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reads of what followers that come back missed: one at a time, by a thread of their own, and
 * shared. After a restart every browser comes back within seconds, most of them with the same
 * filter; those that come back while a read is under way wait for the next read, and those with
 * the same worker, task, level and component share it. It reads the records of all their ranges
 * of ids, and each takes its own: fifty followers of the fleet's errors coming back together make
 * two reads (the first one's, then one for the 49 others), not fifty taking turns (BENCHMARKS.md
 * §8, "Followers that come back together").
 *
 * <p>Each follower is sent the newest {@code limit} records of its range, as if read alone: a
 * shared read holds the newest {@code limit} records of all the ranges together, and a follower's
 * newest are among them unless the read came back full and holds fewer of its range. Such a
 * follower, one whose range ends well before the others', reads its own next.
 *
 * <p>A read's records count among those queued for all followers ({@link QueuedRecords}) once,
 * while any follower holds them ({@link Backlog}): they are in memory once, however many share
 * them. Counted once for each, 200 followers sharing 2,000 records had passed the bound of
 * 100,000 together, and a third of them were ended as they came back.
 */
final class MissedReads implements AutoCloseable {

  /**
   * How long a follower may send nothing before its turn at sending what it missed goes to the
   * next ({@link SendingTurns}): a browser that stopped reading. Sending one record takes
   * microseconds.
   */
  static final long SENDING_STALL_MILLIS = 250;
  /**
   * How long a follower's turn at sending what it missed lasts while others wait ({@link
   * SendingTurns}). Sending the 2,000 records of ReturningFollowersLoad takes well under it.
   */
  static final long SENDING_SLICE_MILLIS = 100;

  private final Store store;
  private final StoreGuard guard;
  private final int limit;
  private final QueuedRecords queued;
  private final PrintStream diagnostics;
  private final ExecutorService reader = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "heartlog-tail-missed-reads");
    thread.setDaemon(true);
    return thread;
  });
  /** The reads not started yet, by the store filter they read: a follower that comes back joins its filter's. */
  private final Map<LogFilter, SharedRead> next = new HashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final SendingTurns sendingTurns = new SendingTurns(SENDING_STALL_MILLIS, SENDING_SLICE_MILLIS);

  /**
   * @param limit the most records a follower is sent of what it missed, the newest
   * @param queued the records queued for all the tail's followers, which those read add to
   */
  MissedReads(Store store, StoreGuard guard, int limit, QueuedRecords queued, PrintStream diagnostics) {
    this.store = store;
    this.guard = guard;
    this.limit = limit;
    this.queued = queued;
    this.diagnostics = diagnostics;
  }

  /**
   * What {@code request}'s follower missed: the records it wants among those stored after {@code
   * fromId} up to {@code untilId}, the newest {@code limit}, in id order, but for those whose ids
   * are {@code comingLater}. Waits for a read that holds them, and may share it.
   *
   * @throws InterruptedException when the follower went while it waited
   * @throws dev.heartlog.store.StoreException when the store could not be read
   */
  Backlog read(TailRequest request, long fromId, long untilId, Set<Long> comingLater) throws InterruptedException {
    waiting.incrementAndGet();
    try {
      SharedRead read = join(request.storeFilter(limit), fromId, untilId, false);
      List<StoredRecord> range = rangeOf(read, fromId, untilId);
      if (range == null) {   // a shared read that does not hold all its newest
        read = join(request.storeFilter(limit), fromId, untilId, true);
        range = rangeOf(read, fromId, untilId);
      }
      return new Backlog(range.subList(Math.max(0, range.size() - limit), range.size()).stream()
          .filter(record -> request.wants(record) && !comingLater.contains(record.id()))
          .toList(), read, sendingTurns);
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Followers that came back waiting for a read of what they missed. */
  int waiting() {
    return waiting.get();
  }

  /** The reads made so far. */
  int reads() {
    return reads.get();
  }

  @Override
  public void close() {
    for (Runnable notRun : reader.shutdownNow()) {   // their followers, if any are left, are told
      ((ReadTask) notRun).read.records.completeExceptionally(new IllegalStateException("the live tail is closed"));
    }
  }

  /** The read a follower's range joins: the next one of its filter, or one of its own. */
  private synchronized SharedRead join(LogFilter filter, long fromId, long untilId, boolean alone) {
    SharedRead read = alone ? null : next.get(filter);
    if (read == null) {
      SharedRead toRun = new SharedRead(filter, queued);
      reader.execute(new ReadTask(toRun));   // refused once the tail is closed: then none is left waiting
      read = toRun;
      if (!alone) {
        next.put(filter, read);
      }
    }
    read.fromId = Math.min(read.fromId, fromId);
    read.untilId = Math.max(read.untilId, untilId);
    read.followers++;
    return read;
  }

  private void run(SharedRead read) {
    long fromId;
    long untilId;
    synchronized (this) {
      next.remove(read.filter, read);   // from now on a follower that comes back waits for the next
      fromId = read.fromId;
      untilId = read.untilId;
      if (read.followers == 0) {   // all went while it waited
        read.records.complete(List.of());
        return;
      }
    }
    try {
      reads.incrementAndGet();
      read.records.complete(guard.call(() -> store.logsAfter(fromId, untilId, read.filter)));
    } catch (PostgrestError e) {
      if (e.status != 503) {   // a 503 is the database down or too busy, which the guard says once for all requests
        diagnostics.println("heartlog serve: live tail could not read what followers missed (" + e.getMessage()
            + (e.details == null ? "" : ": " + e.details) + ")");
      }
      read.records.completeExceptionally(e);
    } catch (RuntimeException e) {
      diagnostics.println("heartlog serve: live tail could not read what followers missed (" + e.getMessage() + ")");
      read.records.completeExceptionally(e);
    }
  }

  /**
   * The records of a follower's range in {@code read}, in id order, all of its newest {@code
   * limit}; null where the read came back full and may not hold them all.
   */
  private List<StoredRecord> rangeOf(SharedRead read, long fromId, long untilId) throws InterruptedException {
    List<StoredRecord> records;
    try {
      records = read.records.get();
    } catch (InterruptedException gone) {
      synchronized (this) {
        read.followers--;
      }
      throw gone;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    }
    int start = firstAfter(records, fromId);
    int end = firstAfter(records, untilId);
    boolean full = records.size() >= limit;
    boolean holdsAllItsRange = start > 0 || records.isEmpty() || records.get(0).id() == fromId + 1;
    if (full && end - start < limit && !holdsAllItsRange) {
      return null;
    }
    return records.subList(start, end);
  }

  /** The index of the first record with an id above {@code id}; records are in id order. */
  private static int firstAfter(List<StoredRecord> records, long id) {
    int low = 0;
    int high = records.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (records.get(middle).id() <= id) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** A read to make, in its turn on the reader's thread. */
  private final class ReadTask implements Runnable {
    final SharedRead read;

    ReadTask(SharedRead read) {
      this.read = read;
    }

    @Override
    public void run() {
      MissedReads.this.run(read);
    }
  }

  /** One read of the store for the followers that joined it: the union of their ranges of ids. */
  static final class SharedRead {
    final LogFilter filter;
    final CompletableFuture<List<StoredRecord>> records = new CompletableFuture<>();
    // Guarded by the MissedReads that made it: the ranges' union, and the followers still waiting for it.
    long fromId = Long.MAX_VALUE;
    long untilId = Long.MIN_VALUE;
    int followers;
    private final QueuedRecords queued;
    private int holders;   // guarded by this

    SharedRead(LogFilter filter, QueuedRecords queued) {
      this.filter = filter;
      this.queued = queued;
    }

    void hold() {
      boolean first;
      synchronized (this) {
        first = holders++ == 0;
      }
      if (first) {
        queued.added(records.join().size());   // outside the lock: it may end a follower, which lets go of its own
      }
    }

    void release() {
      boolean last;
      synchronized (this) {
        last = --holders == 0;
      }
      if (last) {
        queued.removed(records.join().size());
      }
    }

    synchronized int holders() {
      return holders;
    }
  }
}
