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

  private static LogRecord record(long sequence, Level level) {
    return new LogRecord(Instant.EPOCH, sequence, level, "message " + sequence, null, Map.of());
  }

  @Test
  @Timeout(30)
  void manyThreadsBelowCapacityLoseNothingAndStatisticsAddUp() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    AtomicInteger thresholdCalls = new AtomicInteger();
    LogBuffer buffer = new LogBuffer(100, threads * perThread, Long.MAX_VALUE, thresholdCalls::incrementAndGet);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      pool.submit(
          () -> {
            start.await();
            for (int i = 1; i <= perThread; i++) {
              buffer.offer(record(base + i, Level.INFO));
            }
            return null;
          });
    }
    Set<Long> drained = new HashSet<>();
    start.countDown();
    pool.shutdown();
    while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
      buffer.drain(1_000, Long.MAX_VALUE).forEach(r -> drained.add(r.sequence()));
    }
    buffer.drain(Integer.MAX_VALUE, Long.MAX_VALUE).forEach(r -> drained.add(r.sequence()));

    assertThat(drained).hasSize(threads * perThread);
    assertThat(buffer.totalBuffered()).isEqualTo(threads * perThread);
    assertThat(buffer.totalDropped()).isZero();
    assertThat(buffer.size()).isZero();
    assertThat(thresholdCalls.get()).isPositive();
  }

  @Test
  void reachingTheFlushThresholdAsksForAHeartbeatOnceAndKeepsEverything() {
    AtomicInteger thresholdCalls = new AtomicInteger();
    LogBuffer buffer = new LogBuffer(3, 100, Long.MAX_VALUE, thresholdCalls::incrementAndGet);

    for (int i = 1; i <= 5; i++) {
      assertThat(buffer.offer(record(i, Level.INFO))).isTrue();
    }

    assertThat(thresholdCalls.get()).isEqualTo(1);
    assertThat(buffer.size()).isEqualTo(5);
    assertThat(buffer.isDue()).isTrue();
  }

  @Test
  void pastCapacityRecordsAreDroppedAndCountedForTheReport() {
    LogBuffer buffer = new LogBuffer(2, 3, Long.MAX_VALUE, () -> {});

    List<Boolean> accepted = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      accepted.add(buffer.offer(record(i, Level.INFO)));
    }

    assertThat(accepted).containsExactly(true, true, true, false, false);
    assertThat(buffer.totalDropped()).isEqualTo(2);
    assertThat(buffer.takeUnreportedDrops()).isEqualTo(2);
    assertThat(buffer.takeUnreportedDrops()).isZero();
  }

  @Test
  void theByteBoundHoldsAsWellAsTheRecordBound() {
    long oneRecord = record(1, Level.INFO).estimatedBytes();
    LogBuffer buffer = new LogBuffer(100, 1_000, oneRecord * 2, () -> {});

    buffer.offer(record(1, Level.INFO));
    buffer.offer(record(2, Level.INFO));
    boolean third = buffer.offer(record(3, Level.INFO));

    assertThat(third).isFalse();
    assertThat(buffer.size()).isEqualTo(2);
  }

  @Test
  void drainTakesOldestFirstWithinTheBatchLimits() {
    LogBuffer buffer = new LogBuffer(100, 1_000, Long.MAX_VALUE, () -> {});
    for (int i = 1; i <= 10; i++) {
      buffer.offer(record(i, Level.INFO));
    }

    List<LogRecord> first = buffer.drain(4, Long.MAX_VALUE);
    List<LogRecord> second = buffer.drain(100, record(1, Level.INFO).estimatedBytes() * 2);

    assertThat(first).extracting(LogRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(second).extracting(LogRecord::sequence).containsExactly(5L, 6L);
  }
}
