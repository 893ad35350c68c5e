package dev.heartlog.agent;

/**
 * The queue without a spool: one batch in flight, in memory. Its records keep holding buffer
 * capacity until the store acknowledges them, so the buffer's bound covers them.
 */
final class MemoryBatchQueue implements BatchQueue {

  private Batch inFlight;

  @Override
  public boolean canAccept() {
    return inFlight == null;
  }

  @Override
  public boolean append(Batch batch) {
    if (inFlight != null) {
      return false;
    }
    inFlight = batch;
    return true;
  }

  @Override
  public Batch peek() {
    return inFlight;
  }

  @Override
  public void ack(Batch batch) {
    if (inFlight == batch) {
      inFlight = null;
    }
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public int pendingBatches() {
    return inFlight == null ? 0 : 1;
  }

  @Override
  public long pendingBytes() {
    return inFlight == null ? 0 : inFlight.logsJson().length();
  }

  @Override
  public void close() {
    inFlight = null;
  }
}
