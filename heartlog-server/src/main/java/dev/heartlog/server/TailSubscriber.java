package dev.heartlog.server;

import dev.heartlog.store.StoredRecord;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One follower of the live tail: what it asks for, and a thread of its own that sends it its
 * records from a bounded queue. The tail only queues, so a follower that reads slowly, or not at
 * all, holds up no one else: one WebSocket that stopped reading had kept the tail's other
 * followers from any new record for more than 15 s, its writes blocked until the server's idle
 * timeout. A follower {@value #QUEUED_RECORDS} records behind is ended, told why where its way
 * out can say; it comes back with {@code after=<its last id>}.
 *
 * <p>A follower that comes back is first sent what it missed, waited for by its own thread too
 * ({@link MissedReads}): the records stored meanwhile wait in its queue. Read by the tail, under
 * its lock, that read had held up every other follower, up to 1.5 s for one that follows the
 * fleet's errors from a cold cache (BENCHMARKS.md §8). What it missed counts, until sent, among
 * the records queued for all followers ({@link QueuedRecords}) as its queue does; a read shared
 * with others counts once for all of them ({@link Backlog}).
 */
final class TailSubscriber {

  /** Records queued for one follower: what a follower that comes back is sent, twice. */
  static final int QUEUED_RECORDS = 2 * LiveTail.MISSED_LIMIT;

  private static final AtomicLong NUMBERS = new AtomicLong();

  private final TailRequest request;
  private final Supplier<Backlog> missed;
  private final LiveTail.Sink sink;
  private final Consumer<TailSubscriber> onEnd;
  private final QueuedRecords queuedForAll;
  private final BlockingQueue<StoredRecord> queue = new ArrayBlockingQueue<>(QUEUED_RECORDS);
  /** Of what it missed, the records read and not sent yet: how far behind it is, with its queue. */
  private final AtomicInteger missedLeft = new AtomicInteger();
  private volatile Backlog backlog = Backlog.NONE;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Thread sender;

  /**
   * @param missed read by the follower's thread before it sends anything else: what a follower
   *     that comes back missed, in id order
   * @param onEnd given this follower once when it ends, whichever way
   * @param queuedForAll the records queued for all the tail's followers, which this one's add to
   */
  TailSubscriber(TailRequest request, Supplier<Backlog> missed, LiveTail.Sink sink,
      Consumer<TailSubscriber> onEnd, QueuedRecords queuedForAll) {
    this.request = request;
    this.missed = missed;
    this.sink = sink;
    this.onEnd = onEnd;
    this.queuedForAll = queuedForAll;
    this.sender = new Thread(this::send, "heartlog-tail-follower-" + NUMBERS.incrementAndGet());
    sender.setDaemon(true);
  }

  /** Starts sending; call it once the tail offers it records, so that its end finds it there. */
  void start() {
    sender.start();
  }

  TailRequest request() {
    return request;
  }

  /** Queues a record it wants; a follower this far behind is ended instead. */
  void offer(StoredRecord record) {
    if (ended.get()) {
      return;
    }
    if (queue.offer(record)) {
      queuedForAll.added(1);
    } else {
      endBehind("heartlog: this follower fell " + QUEUED_RECORDS
          + " records behind; follow again with after=<the last id received>");
    }
  }

  /**
   * The records queued for it, and its share of those of what it missed not sent yet (all of
   * them, unless it shares their read with others): what ending it would free.
   */
  int queued() {
    return queue.size() + missedLeft.get() / backlog.sharedBy();
  }

  /** Ends a follower too far behind, telling it why where its way out can. */
  void endBehind(String reason) {
    end();
    // Its sender is likely blocked in a write that ends only at the server's idle timeout: the
    // stream or socket is closed from elsewhere.
    closeFromElsewhere(reason);
  }

  private void closeFromElsewhere(String reason) {
    Thread closer = new Thread(() -> sink.close(reason), "heartlog-tail-close");
    closer.setDaemon(true);
    closer.start();
  }

  /** Stops sending; what is queued is dropped. */
  void end() {
    if (ended.compareAndSet(false, true)) {
      sender.interrupt();
      while (queue.poll() != null) {
        queuedForAll.removed(1);
      }
      missedLeft.set(0);
      backlog.release();
      onEnd.accept(this);
    }
  }

  private void send() {
    Backlog missedRecords;
    try {
      missedRecords = missed.get();
    } catch (RuntimeException e) {   // the store is down: said in the server's diagnostics
      if (!ended.get()) {   // not a read cut short by the follower's going
        end();
        closeFromElsewhere("heartlog: could not read what this follower missed; follow again with after=<the last id received>");
      }
      return;
    }
    // Counted before it is sent, which may end this follower if it is now the furthest behind.
    // Held here and let go once sent, or by end(), whichever comes first: once either way.
    backlog = missedRecords;
    missedLeft.set(missedRecords.records().size());
    missedRecords.hold();
    if (ended.get()) {
      missedRecords.release();   // end() came before it was held, and did not
      return;
    }
    try {
      missedRecords.awaitTurn();
      try {
        for (StoredRecord record : missedRecords.records()) {
          if (ended.get()) {
            return;
          }
          sink.send(record);
          missedLeft.updateAndGet(left -> Math.max(0, left - 1));   // not below what end() left
          missedRecords.sentOne();
        }
      } finally {
        missedRecords.endTurn();
      }
      missedRecords.release();
      backlog = Backlog.NONE;   // let go of the read's records, too
      Duration keepAliveAfter = sink.keepAliveAfter();
      while (!ended.get()) {
        StoredRecord record = keepAliveAfter == null ? queue.take()
            : queue.poll(keepAliveAfter.toMillis(), TimeUnit.MILLISECONDS);
        if (record == null) {
          sink.keepAlive();   // quiet for that long: on this thread, as every write to the follower
          continue;
        }
        queuedForAll.removed(1);
        if (!ended.get()) {
          sink.send(record);
        }
      }
    } catch (InterruptedException ended) {
      // end()
    } catch (Exception gone) {
      end();   // the browser or socket went away
    }
  }
}
