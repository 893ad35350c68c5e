package dev.heartlog.agent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a heartbeat loop's calls to the store on another thread, one at a time, so that the loop
 * goes on cutting records into the spool while a call waits. The loop did both on one thread:
 * while a call waited on the store (a lock, a network dropping packets, up to the socket
 * timeout), nothing went into the spool, and records past memory's bound were dropped though the
 * spool had room (a burst of 20,000 records while a call waited 20 s on a lock: 9,389 dropped;
 * RELIABILITY.md).
 *
 * <p>A loop on a thread of its own has a sending thread of its own; the loops of a {@link
 * HeartbeatScheduler} share its sending threads, as many as it has heartbeat threads. Either is a
 * heartbeat thread: what the driver logs on it is not captured.
 */
final class SendingThread implements AutoCloseable {

  /** How often the loop's work runs while a call waits. */
  static final long MEANWHILE_EVERY_MILLIS = 20;

  private final ExecutorService threads;
  /** Whether closing this ends its thread: a scheduler's threads end with the scheduler. */
  private final boolean owned;

  private SendingThread(ExecutorService threads, boolean owned) {
    this.threads = threads;
    this.owned = owned;
  }

  /** A sending thread of its own, for a loop on a thread of its own. */
  static SendingThread own(String name) {
    return new SendingThread(Executors.newSingleThreadExecutor(task -> {
      Thread sender = new HeartbeatScheduler.HeartbeatThread(task, name);
      sender.setDaemon(true);
      return sender;
    }), true);
  }

  /** Calls made on threads shared with other loops, which outlive this. */
  static SendingThread sharing(ExecutorService threads) {
    return new SendingThread(threads, false);
  }

  /**
   * The transport's answer to {@code heartbeat}, running {@code meanwhile} every {@value
   * #MEANWHILE_EVERY_MILLIS} ms while it waits. Returns only once the call has ended, interrupted
   * or not, so that a next call never overtakes it. Should {@code meanwhile} throw, it runs no
   * more, and what it threw is thrown once the call has ended (its answer is then lost, and its
   * batch sent again: the store recognises a repeat).
   */
  DeliveryResult deliver(Transport transport, Heartbeat heartbeat, Runnable meanwhile) {
    Future<DeliveryResult> call = threads.submit(() -> transport.deliver(heartbeat));
    boolean interrupted = false;
    RuntimeException failedMeanwhile = null;
    try {
      while (true) {
        try {
          DeliveryResult result = call.get(MEANWHILE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
          if (failedMeanwhile != null) {
            throw failedMeanwhile;
          }
          return result;
        } catch (TimeoutException e) {
          if (failedMeanwhile == null) {
            try {
              meanwhile.run();
            } catch (RuntimeException thrown) {
              failedMeanwhile = thrown;
            }
          }
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException("heartbeat call failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts the transport's call to {@code heartbeat} and returns at once; {@code ended} runs once
   * the call has ended, on the thread that ended it (or on this one, should it end first). For a
   * loop on a shared scheduler, whose round serves other agents while the call waits.
   */
  Future<DeliveryResult> start(Transport transport, Heartbeat heartbeat, Runnable ended) {
    CompletableFuture<DeliveryResult> call = CompletableFuture.supplyAsync(() -> transport.deliver(heartbeat), threads);
    call.whenComplete((result, failure) -> ended.run());
    return call;
  }

  @Override
  public void close() {
    if (owned) {
      threads.shutdown();
    }
  }
}
