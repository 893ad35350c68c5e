package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LogBufferTest {

  private final Drops drops = new Drops();

  private LogBuffer buffer(int threshold, int maxRecords, long maxBytes, Runnable onThreshold) {
    return new LogBuffer(threshold, maxRecords, maxBytes, onThreshold, drops);
  }

  private static boolean offer(LogBuffer buffer, Level level, String message) {
    return buffer.offer(Instant.EPOCH, level, message, null, Map.of());
  }

  @Test
  @Timeout(30)
  void manyThreadsBelowCapacityLoseNothingAndStatisticsAddUp() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    AtomicInteger thresholdCalls = new AtomicInteger();
    LogBuffer buffer = buffer(100, threads * perThread, Long.MAX_VALUE, thresholdCalls::incrementAndGet);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      pool.submit(() -> {
        start.await();
        for (int i = 1; i <= perThread; i++) {
          offer(buffer, Level.values()[i % 5], thread + ":" + i);
        }
        return null;
      });
    }
    Set<String> drained = new HashSet<>();
    List<Long> sequences = new ArrayList<>();
    start.countDown();
    pool.shutdown();
    while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
      buffer.drain(1_000, Long.MAX_VALUE).forEach(r -> {
        drained.add(r.message());
        sequences.add(r.sequence());
      });
    }
    buffer.drain(Integer.MAX_VALUE, Long.MAX_VALUE).forEach(r -> {
      drained.add(r.message());
      sequences.add(r.sequence());
    });

    assertThat(drained).hasSize(threads * perThread);
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
    assertThat(buffer.totalBuffered()).isEqualTo(threads * perThread);
    assertThat(buffer.totalDropped()).isZero();
    assertThat(buffer.size()).isZero();
    assertThat(thresholdCalls.get()).isPositive();
  }

  @Test
  void drainReturnsRecordsInTheOrderTheyWereLoggedAcrossLevels() {
    LogBuffer buffer = buffer(100, 1_000, Long.MAX_VALUE, () -> {});
    offer(buffer, Level.ERROR, "1");
    offer(buffer, Level.DEBUG, "2");
    offer(buffer, Level.INFO, "3");
    offer(buffer, Level.ERROR, "4");

    assertThat(buffer.drain(100, Long.MAX_VALUE)).extracting(LogRecord::message).containsExactly("1", "2", "3", "4");
  }

  @Test
  void reachingTheFlushThresholdAsksForAHeartbeatOnceAndKeepsEverything() {
    AtomicInteger thresholdCalls = new AtomicInteger();
    LogBuffer buffer = buffer(3, 100, Long.MAX_VALUE, thresholdCalls::incrementAndGet);

    for (int i = 1; i <= 5; i++) {
      assertThat(offer(buffer, Level.INFO, "r" + i)).isTrue();
    }

    assertThat(thresholdCalls.get()).isEqualTo(1);
    assertThat(buffer.size()).isEqualTo(5);
    assertThat(buffer.isDue()).isTrue();
  }

  @Test
  void atCapacityDebugGoesBeforeInfoAndTheOldestFirst() {
    LogBuffer buffer = buffer(100, 4, Long.MAX_VALUE, () -> {});
    offer(buffer, Level.INFO, "info-1");
    offer(buffer, Level.DEBUG, "debug-1");
    offer(buffer, Level.DEBUG, "debug-2");
    offer(buffer, Level.ERROR, "error-1");

    offer(buffer, Level.INFO, "info-2");     // evicts debug-1
    offer(buffer, Level.WARNING, "warn-1");  // evicts debug-2
    offer(buffer, Level.INFO, "info-3");     // evicts info-1
    boolean debugKept = offer(buffer, Level.DEBUG, "debug-3");  // least severe: refused

    assertThat(debugKept).isFalse();
    assertThat(buffer.drain(100, Long.MAX_VALUE)).extracting(LogRecord::message)
        .containsExactly("error-1", "info-2", "warn-1", "info-3");
    assertThat(buffer.totalDropped()).isEqualTo(4);
    assertThat(buffer.totalEvicted()).isEqualTo(3);
    assertThat(drops.takeUnreported()).containsEntry(Drops.Reason.BUFFER_FULL, 4L);
  }

  @Test
  void errorsAreNeverEvictedForLessSevereRecords() {
    LogBuffer buffer = buffer(100, 2, Long.MAX_VALUE, () -> {});
    offer(buffer, Level.ERROR, "error-1");
    offer(buffer, Level.CRITICAL, "critical-1");

    assertThat(offer(buffer, Level.WARNING, "warning")).isFalse();
    assertThat(offer(buffer, Level.ERROR, "error-2")).isTrue();
    assertThat(buffer.drain(100, Long.MAX_VALUE)).extracting(LogRecord::message)
        .containsExactly("critical-1", "error-2");
  }

  @Test
  void theByteBoundHoldsAsWellAsTheRecordBound() {
    long oneRecord = LogRecord.estimatedBytes("r1", null, Map.of());
    LogBuffer buffer = buffer(100, 1_000, oneRecord * 2, () -> {});

    offer(buffer, Level.INFO, "r1");
    offer(buffer, Level.INFO, "r2");
    offer(buffer, Level.INFO, "r3");

    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.totalDropped()).isEqualTo(1);
  }

  @Test
  void drainedRecordsHoldTheirBytesUntilReleased() {
    long oneRecord = LogRecord.estimatedBytes("r1", null, Map.of());
    LogBuffer buffer = buffer(100, 1_000, oneRecord * 2, () -> {});
    offer(buffer, Level.INFO, "r1");
    offer(buffer, Level.INFO, "r2");

    List<LogRecord> first = buffer.drain(100, oneRecord);  // the batch's byte limit: one record
    List<LogRecord> second = buffer.drain(100, oneRecord);
    assertThat(first).extracting(LogRecord::estimatedBytes).containsExactly(oneRecord);
    assertThat(offer(buffer, Level.INFO, "r3")).isFalse();  // both still in flight

    buffer.release(first);
    buffer.release(second);
    assertThat(offer(buffer, Level.INFO, "r4")).isTrue();
    assertThat(offer(buffer, Level.INFO, "r5")).isTrue();
    assertThat(buffer.drain(100, Long.MAX_VALUE)).extracting(LogRecord::message).containsExactly("r4", "r5");
  }

  @Test
  void drainedRecordsHoldCapacityUntilReleased() {
    LogBuffer buffer = buffer(100, 3, Long.MAX_VALUE, () -> {});
    for (int i = 1; i <= 3; i++) {
      offer(buffer, Level.INFO, "r" + i);
    }
    List<LogRecord> taken = buffer.drain(2, Long.MAX_VALUE);
    assertThat(buffer.held()).isEqualTo(3);

    offer(buffer, Level.INFO, "r4");  // still full: evicts r3, the only record waiting
    assertThat(buffer.totalEvicted()).isEqualTo(1);

    buffer.release(taken);
    offer(buffer, Level.INFO, "r5");
    assertThat(buffer.totalEvicted()).isEqualTo(1);
    assertThat(buffer.drain(100, Long.MAX_VALUE)).extracting(LogRecord::message).containsExactly("r4", "r5");
  }
}
