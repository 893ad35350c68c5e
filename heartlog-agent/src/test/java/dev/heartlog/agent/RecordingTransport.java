package dev.heartlog.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fake store: keeps every heartbeat it is given and acknowledges it, fails while {@link #down}
 * is set, as an unreachable database would, and rejects batches carrying {@link #poison}.
 */
final class RecordingTransport implements Transport {

  final List<Heartbeat> received = new CopyOnWriteArrayList<>();
  final List<Heartbeat> acknowledged = new CopyOnWriteArrayList<>();
  final AtomicBoolean down = new AtomicBoolean();
  final AtomicBoolean closed = new AtomicBoolean();
  /** The names of the threads that made heartbeat calls. */
  final Set<String> callingThreads = ConcurrentHashMap.newKeySet();
  /** Records with this message make their batch rejected, as a store refuses bad data. */
  volatile String poison;

  @Override
  public DeliveryResult deliver(Heartbeat heartbeat) {
    received.add(heartbeat);
    callingThreads.add(Thread.currentThread().getName());
    if (down.get()) {
      return DeliveryResult.failed("connection refused");
    }
    if (poison != null && heartbeat.records().stream().anyMatch(r -> r.message().equals(poison))) {
      return DeliveryResult.rejected("value too long");
    }
    acknowledged.add(heartbeat);
    return DeliveryResult.stored(heartbeat.records().size());
  }

  @Override
  public void close() {
    closed.set(true);
  }

  /** Every record the store acknowledged, in order. */
  List<LogRecord> storedRecords() {
    List<LogRecord> records = new ArrayList<>();
    for (Heartbeat heartbeat : acknowledged) {
      records.addAll(heartbeat.records());
    }
    return records;
  }

  List<String> storedMessages() {
    return storedRecords().stream().map(LogRecord::message).toList();
  }
}
