package dev.heartlog.agent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a heartbeat loop's calls to the store on a thread of their own, one at a time, so that
 * the loop goes on cutting records into the spool while a call waits. The loop did both on one
 * thread: while a call waited on the store (a lock, a network dropping packets, up to the socket
 * timeout), nothing went into the spool, and records past memory's bound were dropped though the
 * spool had room (a burst of 20,000 records while a call waited 20 s on a lock: 9,389 dropped;
 * RELIABILITY.md). Its thread is a heartbeat thread: what the driver logs on it is not captured.
 */
final class SendingThread implements AutoCloseable {

  /** How often the loop's work runs while a call waits. */
  static final long MEANWHILE_EVERY_MILLIS = 20;

  private final ExecutorService thread;

  SendingThread(String name) {
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread sender = new HeartbeatScheduler.HeartbeatThread(task, name);
      sender.setDaemon(true);
      return sender;
    });
  }

  /**
   * The transport's answer to {@code heartbeat}, running {@code meanwhile} every {@value
   * #MEANWHILE_EVERY_MILLIS} ms while it waits. Returns only once the call has ended, interrupted
   * or not, so that a next call never overtakes it. Should {@code meanwhile} throw, it runs no
   * more, and what it threw is thrown once the call has ended (its answer is then lost, and its
   * batch sent again: the store recognises a repeat).
   */
  DeliveryResult deliver(Transport transport, Heartbeat heartbeat, Runnable meanwhile) {
    Future<DeliveryResult> call = thread.submit(() -> transport.deliver(heartbeat));
    boolean interrupted = false;
    Throwable failedMeanwhile = null;
    try {
      while (true) {
        try {
          DeliveryResult result = call.get(MEANWHILE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
          if (failedMeanwhile != null) {
            throw unchecked(failedMeanwhile);
          }
          return result;
        } catch (TimeoutException e) {
          if (failedMeanwhile == null) {
            try {
              meanwhile.run();
            } catch (RuntimeException | Error thrown) {   // an Error too: the call is still to be waited for
              failedMeanwhile = thrown;
            }
          }
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw unchecked(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What a call or the work meanwhile threw, to throw again as it was where it can be. */
  private static RuntimeException unchecked(Throwable thrown) {
    if (thrown instanceof RuntimeException runtime) {
      return runtime;
    }
    if (thrown instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("heartbeat call failed", thrown);
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
