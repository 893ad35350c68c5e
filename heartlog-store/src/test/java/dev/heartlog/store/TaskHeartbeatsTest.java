package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long task's heartbeats in its timeline: past {@link TaskHeartbeats#POINTS}, of each worker's
 * heartbeats in each span of them, the one of the most VRAM used, with how many were sent.
 */
class TaskHeartbeatsTest {

  private static final int LONG = 2_500;
  private static final int SPIKE_AT = 1_234;

  private static Store store;

  /** The VRAM gpu-long reported in its heartbeat {@code i} of task train: a saw-tooth, and one spike. */
  private static int used(int i) {
    return i == SPIKE_AT ? 79_000 : (i * 37) % 97 * 100;
  }

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      try (Statement statement = c.createStatement()) {
        // The rows the ingest function writes for heartbeats that report a task.
        statement.execute("""
            CREATE TEMPORARY TABLE sent (worker_id text, received_at timestamptz, vram_total_mb int,
                                         vram_used_mb int, current_task_id text);
            -- A training run on one worker, a heartbeat every 2 s.
            INSERT INTO sent
            SELECT 'gpu-long', now() - interval '3 hours' + i * interval '2 seconds', 81559,
                   CASE WHEN i = %d THEN 79000 ELSE (i * 37) %% 97 * 100 END, 'train'
            FROM generate_series(0, %d) AS i;
            -- The next task of that worker, using more.
            INSERT INTO sent
            SELECT 'gpu-long', now() - interval '1 hour' + i * interval '2 seconds', 81559, 81000, 'next-task'
            FROM generate_series(0, 2999) AS i;
            -- Two workers running one task side by side, gpu-b's heartbeats a second after gpu-a's.
            INSERT INTO sent
            SELECT w.worker, now() - interval '2 hours' + i * interval '2 seconds' + w.late * interval '1 second',
                   24576, w.base + i, 'pair'
            FROM generate_series(0, 1499) AS i,
                 (VALUES ('gpu-a', 0, 10000), ('gpu-b', 1, 20000)) AS w (worker, late, base);
            -- A short task, and a long one on a worker without a GPU.
            INSERT INTO sent
            SELECT 'gpu-short', now() - interval '3 hours' + i * interval '1 minute', 24576, 5000 + i, 'short'
            FROM generate_series(0, 9) AS i;
            INSERT INTO sent
            SELECT 'cpu-only', now() - interval '2 hours' + i * interval '1 second', NULL, NULL, 'cpu'
            FROM generate_series(0, 1199) AS i;
            INSERT INTO worker_heartbeats (worker_id, received_at, status, vram_total_mb, vram_used_mb,
                                           current_task_id, records, logs_inserted)
            SELECT worker_id, received_at, 'active', vram_total_mb, vram_used_mb, current_task_id, 0, 0
            FROM sent ORDER BY random();
            """.formatted(SPIKE_AT, LONG - 1));
      }
      return null;
    });
  }

  private static List<HeartbeatPoint> of(TaskTimeline task, String worker) {
    return task.heartbeats().stream().filter(h -> h.workerId().equals(worker)).toList();
  }

  @Test
  void aLongTaskKeepsThePeakOfEachSpanOldestFirstAndCountsEveryHeartbeat() {
    TaskTimeline train = store.task("train");
    // Heartbeat i of 2,500 is in span i * 1,000 / 2,500: spans of 3 and 2 heartbeats in turn.
    List<Integer> expected = new ArrayList<>();
    for (int span = 0; span < TaskHeartbeats.POINTS; span++) {
      int s = span;
      expected.add(IntStream.range(0, LONG).filter(i -> i * TaskHeartbeats.POINTS / LONG == s)
          .map(TaskHeartbeatsTest::used).max().orElseThrow());
    }

    assertThat(train.heartbeatCount()).isEqualTo(LONG);
    assertThat(train.heartbeats()).extracting(HeartbeatPoint::vramUsedMb).containsExactlyElementsOf(expected);
    assertThat(train.heartbeats()).extracting(HeartbeatPoint::vramUsedMb).contains(79_000);
    assertThat(train.heartbeats()).extracting(HeartbeatPoint::currentTaskId).containsOnly("train");
    assertThat(train.heartbeats()).isSortedAccordingTo(Comparator.comparing(HeartbeatPoint::receivedAt));
  }

  @Test
  void workersSideBySideEachKeepTheirOwnPeakOfEverySpan() {
    TaskTimeline pair = store.task("pair");
    // 3,000 heartbeats in spans of 3, a, b, a then b, a, b: each worker has one or two in each span.
    List<Integer> ofA = new ArrayList<>();
    List<Integer> ofB = new ArrayList<>();
    for (int span = 0; span < TaskHeartbeats.POINTS; span++) {
      int last = 3 * span + 2;   // the span's last position in the order they came: a's at 2i, b's at 2i + 1
      ofA.add(10_000 + (last % 2 == 0 ? last : last - 1) / 2);
      ofB.add(20_000 + (last % 2 == 1 ? last : last - 1) / 2);
    }

    assertThat(pair.heartbeatCount()).isEqualTo(3_000);
    assertThat(of(pair, "gpu-a")).extracting(HeartbeatPoint::vramUsedMb).containsExactlyElementsOf(ofA);
    assertThat(of(pair, "gpu-b")).extracting(HeartbeatPoint::vramUsedMb).containsExactlyElementsOf(ofB);
    assertThat(pair.heartbeats()).as("the two workers' in one line of time")
        .isSortedAccordingTo(Comparator.comparing(HeartbeatPoint::receivedAt));
  }

  @Test
  void aTaskOfNoMoreHeartbeatsThanPointsKeepsThemAll() {
    TaskTimeline task = store.task("short");

    assertThat(task.heartbeatCount()).isEqualTo(10);
    assertThat(task.heartbeats()).extracting(HeartbeatPoint::vramUsedMb)
        .containsExactly(5000, 5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009);
  }

  @Test
  void aWorkerThatReportedNoVramKeepsTheLatestHeartbeatOfEachSpan() {
    List<HeartbeatPoint> cpu = store.task("cpu").heartbeats();

    assertThat(cpu).hasSize(TaskHeartbeats.POINTS);
    assertThat(cpu).extracting(HeartbeatPoint::vramUsedMb).allMatch(Objects::isNull);
    assertThat(Duration.between(cpu.get(0).receivedAt(), cpu.get(cpu.size() - 1).receivedAt()))
        .as("1,200 heartbeats a second apart in spans of 2 and 1: the first kept is the 2nd, the last the 1,200th")
        .isEqualTo(Duration.ofSeconds(1_198));
  }
}
