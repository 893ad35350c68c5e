package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A flood of one record, as {@link LogBuffer} counts it ({@link Repeats}). */
class RepeatsTest {

  private static final Instant T0 = Instant.parse("2026-12-04T07:00:00Z");
  private static final String RETRYING = "connection refused, retrying";

  private final LogBuffer buffer = new LogBuffer(100, 10_000, Long.MAX_VALUE, () -> {}, new Drops());

  private void warn(Instant at, String message, Map<String, Object> metadata) {
    assertThat(buffer.offer(at, Level.WARNING, message, "task-1", metadata)).isTrue();
  }

  private List<LogRecord> drain() {
    return buffer.drain(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  @Test
  void aFloodIsTenRecordsAndItsCountOnceAnotherRecordComes() {
    Map<String, Object> metadata = Map.of("logger", "worker.Uploader", "exception", "java.net.ConnectException: refused");
    for (int i = 0; i < 50_000; i++) {
      warn(T0.plusNanos(i * 1_000L), RETRYING, metadata);
    }
    Instant lastRepeat = T0.plusNanos(49_999 * 1_000L);
    warn(lastRepeat.plusMillis(5), "connected", Map.of("logger", "worker.Uploader"));

    List<LogRecord> records = drain();

    assertThat(records).hasSize(12);
    assertThat(records.subList(0, 10)).allSatisfy(r -> {
      assertThat(r.message()).isEqualTo(RETRYING);
      assertThat(r.metadata()).isEqualTo(metadata);
    });
    LogRecord count = records.get(10);
    assertThat(count.message()).isEqualTo("repeated 49990 more times: " + RETRYING);
    assertThat(count.level()).isEqualTo(Level.WARNING);
    assertThat(count.taskId()).isEqualTo("task-1");
    assertThat(count.timestamp()).isEqualTo(lastRepeat);
    assertThat(count.metadata()).containsEntry("repeated", 49_990L).containsEntry("logger", "worker.Uploader")
        .doesNotContainKey("exception");
    assertThat(records.get(11).message()).isEqualTo("connected");
    assertThat(records).extracting(LogRecord::sequence).isSorted();
  }

  @Test
  void aFloodThatGoesOnIsCountedAtEachBatchAndFromZeroAfter() {
    for (int i = 0; i < 1_000; i++) {
      warn(T0.plusMillis(i), RETRYING, Map.of());
    }
    assertThat(drain()).extracting(LogRecord::message).hasSize(11).last().isEqualTo("repeated 990 more times: " + RETRYING);

    for (int i = 1_000; i < 1_500; i++) {
      warn(T0.plusMillis(i), RETRYING, Map.of());
    }
    List<LogRecord> next = drain();

    assertThat(next).extracting(LogRecord::message).containsExactly("repeated 500 more times: " + RETRYING);
    assertThat(next.get(0).timestamp()).isEqualTo(T0.plusMillis(1_499));
    assertThat(buffer.size()).isZero();
    assertThat(drain()).isEmpty();
  }

  @Test
  void aFewRepeatsAndRepeatsSecondsApartStayRecords() {
    for (int i = 0; i < 3; i++) {
      warn(T0.plusMillis(i), "attempt failed", Map.of());
    }
    for (int i = 0; i < 20; i++) {
      warn(T0.plusSeconds(10 + 2L * i), "still waiting for the GPU", Map.of());
    }
    warn(T0.plusSeconds(60), "one more time", Map.of());
    warn(T0.plusSeconds(60).plusMillis(1), "repeated once", Map.of());
    for (int i = 0; i < 11; i++) {
      warn(T0.plusSeconds(70), "eleven in a row", Map.of());
    }
    warn(T0.plusSeconds(71), "done", Map.of());

    List<LogRecord> records = drain();

    assertThat(records).filteredOn(r -> r.message().equals("attempt failed")).hasSize(3);
    assertThat(records).filteredOn(r -> r.message().equals("still waiting for the GPU")).hasSize(20);
    assertThat(records).filteredOn(r -> r.message().equals("eleven in a row")).hasSize(10);
    assertThat(records).extracting(LogRecord::message).contains("repeated 1 more time: eleven in a row");
    assertThat(records).hasSize(3 + 20 + 2 + 10 + 1 + 1);
  }

  @Test
  void aRecordWithOtherMetadataTaskOrLevelIsNoRepeat() {
    for (int i = 0; i < 30; i++) {
      buffer.offer(T0.plusMillis(i), Level.WARNING, RETRYING, "task-1", Map.of("attempt", i));
    }
    for (int i = 0; i < 30; i++) {
      buffer.offer(T0.plusMillis(i), Level.WARNING, RETRYING, i % 2 == 0 ? "task-1" : "task-2", Map.of());
    }
    for (int i = 0; i < 30; i++) {
      buffer.offer(T0.plusMillis(i), i % 2 == 0 ? Level.WARNING : Level.ERROR, "upload failed", null, Map.of());
    }

    assertThat(drain()).hasSize(90).noneMatch(r -> r.message().startsWith("repeated"));
  }

  @Test
  void aPatternRepeatsOnlyWithEqualArguments() {
    for (int i = 0; i < 40; i++) {
      buffer.offer(T0, Level.INFO, MessagePattern.of("frame {} of {} rendered", new Object[] {i, 40}), null, Map.of());
    }
    for (int i = 0; i < 40; i++) {
      buffer.offer(T0, Level.INFO, MessagePattern.of("waiting for {} on port {}", new Object[] {"redis", 6379}), null, Map.of());
    }
    buffer.offer(T0, Level.INFO, "waiting for redis on port 6379", null, Map.of());

    List<LogRecord> records = drain();

    assertThat(records).extracting(LogRecord::message)
        .filteredOn(m -> m.startsWith("frame ")).hasSize(40);
    assertThat(records).extracting(LogRecord::message)
        .containsSubsequence("waiting for redis on port 6379", "repeated 30 more times: waiting for redis on port 6379",
            "waiting for redis on port 6379")
        .hasSize(40 + 10 + 1 + 1);
  }

  @Test
  void eachThreadsFloodIsCountedThoughTheyInterleave() throws Exception {
    java.util.concurrent.ExecutorService first = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.ExecutorService second = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 3; round++) {
        int from = round * 100;
        first.submit(() -> floodFromThisThread(from, "render-0")).get();
        second.submit(() -> floodFromThisThread(from, "render-1")).get();
      }
    } finally {
      first.shutdown();
      second.shutdown();
    }
    warn(T0.plusSeconds(1), "done", Map.of());

    List<LogRecord> records = drain();

    assertThat(records).extracting(LogRecord::message).filteredOn(RETRYING::equals).hasSize(20);
    assertThat(records).filteredOn(r -> r.message().startsWith("repeated "))
        .extracting(r -> r.metadata().get("thread"), r -> r.metadata().get("repeated"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("render-0", 290L), org.assertj.core.groups.Tuple.tuple("render-1", 290L));
    assertThat(records).hasSize(20 + 1 + 2);
  }

  @Test
  void aRowPushedOutByManyThreadsStillHasItsCountRecorded() throws Exception {
    java.util.concurrent.ExecutorService render = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      render.submit(() -> floodFromThisThread(0, "render-0")).get();
      for (int t = 0; t < Repeats.MAX_ROWS; t++) {
        int thread = t;
        Thread other = new Thread(() -> warn(T0.plusMillis(100), "request " + thread, Map.of()));
        other.start();
        other.join();
      }
      render.submit(() -> floodFromThisThread(100, "render-0")).get();
    } finally {
      render.shutdown();
    }

    List<LogRecord> records = drain();

    assertThat(records).extracting(LogRecord::message).filteredOn(RETRYING::equals).hasSize(20);
    assertThat(records).filteredOn(r -> r.message().startsWith("repeated "))
        .extracting(r -> r.metadata().get("repeated")).containsExactly(90L, 90L);
    assertThat(records).hasSize(20 + Repeats.MAX_ROWS + 2);
    // The first flood's count is recorded when the 64th thread's row pushes its row out, before
    // that thread's record and before the flood that comes after it.
    assertThat(records.subList(10 + Repeats.MAX_ROWS - 1, 10 + Repeats.MAX_ROWS + 2)).extracting(LogRecord::message)
        .containsExactly("repeated 90 more times: " + RETRYING, "request " + (Repeats.MAX_ROWS - 1), RETRYING);
  }

  private void floodFromThisThread(int from, String thread) {
    for (int i = from; i < from + 100; i++) {
      warn(T0.plusMillis(i), RETRYING, Map.of("thread", thread));
    }
  }

  @Test
  void keptRepeatsAreEachARecord() {
    LogBuffer keeping = new LogBuffer(100, 10_000, Long.MAX_VALUE, () -> {}, new Drops(), true);
    for (int i = 0; i < 500; i++) {
      keeping.offer(T0, Level.WARNING, RETRYING, null, Map.of());
    }

    assertThat(keeping.drain(Integer.MAX_VALUE, Long.MAX_VALUE)).hasSize(500)
        .allSatisfy(r -> assertThat(r.message()).isEqualTo(RETRYING));
  }

  @Test
  void aFloodNoLongerCrowdsOutTheRecordsAroundIt() {
    LogBuffer small = new LogBuffer(100, 1_000, Long.MAX_VALUE, () -> {}, new Drops());
    small.offer(T0, Level.INFO, "task started", null, Map.of());
    for (int i = 0; i < 100_000; i++) {
      small.offer(T0.plusNanos(i * 100L), Level.WARNING, RETRYING, null, Map.of());
    }
    small.offer(T0.plusMillis(20), Level.INFO, "task done", null, Map.of());

    assertThat(small.drain(Integer.MAX_VALUE, Long.MAX_VALUE)).extracting(LogRecord::message)
        .containsExactly("task started", RETRYING, RETRYING, RETRYING, RETRYING, RETRYING, RETRYING, RETRYING,
            RETRYING, RETRYING, RETRYING, "repeated 99990 more times: " + RETRYING, "task done");
    assertThat(small.totalDropped()).isZero();
  }
  /**
   * Floods counted without the buffer's lock while the heartbeat thread takes their counts, and
   * while other threads' rows push theirs out: every repeat is a record or in exactly one count.
   */
  @Test
  void everyRepeatIsKeptOrCountedOnceWhileBatchesAreTakenAndRowsReplaced() throws Exception {
    int floods = 4;
    int repeats = 200_000;
    java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.ConcurrentLinkedQueue<LogRecord> taken = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Thread heartbeat = new Thread(() -> {
      while (flooding.get()) {
        List<LogRecord> batch = drain();
        taken.addAll(batch);
        buffer.release(batch);
      }
    });
    Thread newThreads = new Thread(() -> {
      for (int t = 0; flooding.get(); t++) {
        int thread = t;
        Thread other = new Thread(() -> warn(T0, "request " + thread, Map.of()));
        other.start();
        try {
          other.join();
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    List<Thread> flooders = new java.util.ArrayList<>();
    for (int f = 0; f < floods; f++) {
      String name = "render-" + f;
      flooders.add(new Thread(() -> {
        for (int i = 0; i < repeats; i++) {
          warn(T0.plusNanos(i * 1_000L), RETRYING, Map.of("thread", name));
        }
        warn(T0.plusSeconds(1), "done", Map.of("thread", name));
      }));
    }
    flooders.forEach(flooder -> flooder.setUncaughtExceptionHandler((thread, e) -> failures.add(e)));
    heartbeat.start();
    newThreads.start();
    flooders.forEach(Thread::start);
    for (Thread flooder : flooders) {
      flooder.join();
    }
    flooding.set(false);
    heartbeat.join();
    newThreads.join();
    taken.addAll(drain());

    assertThat(failures).isEmpty();

    for (int f = 0; f < floods; f++) {
      String name = "render-" + f;
      List<LogRecord> own = taken.stream().filter(r -> name.equals(r.metadata().get("thread")))
          .sorted(java.util.Comparator.comparingLong(LogRecord::sequence)).toList();
      long kept = own.stream().filter(r -> r.message().equals(RETRYING)).count();
      long counted = own.stream().filter(r -> r.message().startsWith("repeated "))
          .mapToLong(r -> (Long) r.metadata().get("repeated")).sum();
      assertThat(kept + counted).as(name).isEqualTo(repeats);
      assertThat(kept).as(name).isLessThan(repeats / 10);
      assertThat(own).last().extracting(LogRecord::message).isEqualTo("done");
    }
  }
}
