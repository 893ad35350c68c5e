package dev.heartlog.agent;

/**
 * Batches cut from the buffer, waiting for the store to acknowledge them, oldest first. Used by
 * the heartbeat thread only.
 */
interface BatchQueue extends AutoCloseable {

  /** Whether {@link #append} may succeed now; cutting a batch that cannot be kept is pointless. */
  boolean canAccept();

  /** Adds a batch at the end; {@code false} when it cannot be kept (full, or the disk failed). */
  boolean append(Batch batch);

  /** The oldest batch not acknowledged yet, or {@code null}. */
  Batch peek();

  /** Removes the batch {@link #peek} returned: the store has it. */
  void ack(Batch batch);

  /** Whether an appended batch survives the process (then its buffer capacity is freed at once). */
  boolean durable();

  int pendingBatches();

  long pendingBytes();

  @Override
  void close();
}
