package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GpuProblemReportTest {

  @Test
  void aGpuProblemIsSaidOnceNotOnEveryBeatAndHeartbeatsGoOnWithNulls() {
    RecordingTransport store = new RecordingTransport();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    try (HeartlogAgent agent =
        AgentTestSupport.agent(store)
            .heartbeatInterval(Duration.ofMillis(20))
            .gpuProbe(() -> GpuReading.unavailable("Failed to initialize NVML: Unknown Error"))
            .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
            .build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.acknowledged.size() >= 5);
    }

    String printed = diagnostics.toString(StandardCharsets.UTF_8);
    assertThat(printed.split("Failed to initialize NVML", -1)).hasSize(2);
    assertThat(store.acknowledged).allSatisfy(h -> assertThat(h.vramTotalMb()).isNull());
    assertThat(store.acknowledged.get(0).metadata()).containsEntry("gpu_problem", "Failed to initialize NVML: Unknown Error");
  }

  /** A GPU of 23,017 MiB used, each reading counted and taking {@code millis}. */
  private static GpuProbe counted(AtomicInteger readings, long millis) {
    return () -> {
      readings.incrementAndGet();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new GpuReading(81559, 23017, List.of(0), null);
    };
  }

  @Test
  void theGpuIsReadOnceAnIntervalThoughABurstSendsHeartbeatsBackToBack() {
    // nvidia-smi takes a tenth of a second on a healthy machine and hangs until its timeout (5 s)
    // on one whose driver is wedged: read for every heartbeat of a burst, it held up the burst's
    // delivery as long, until the buffer dropped records.
    RecordingTransport store = new RecordingTransport();
    AtomicInteger readings = new AtomicInteger();
    try (HeartlogAgent agent = AgentTestSupport.agent(store)
        .heartbeatInterval(Duration.ofMinutes(10))
        .gpuProbe(counted(readings, 0))
        .build()) {
      for (int i = 0; i < 2_000; i++) {
        agent.log(Level.INFO, "frame " + i);
      }
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(store.storedRecords()).hasSize(2_000);
    assertThat(store.acknowledged.size()).as("heartbeats").isGreaterThan(2);
    assertThat(readings.get()).as("GPU readings, in one heartbeat interval").isEqualTo(1);
    assertThat(store.acknowledged).allSatisfy(h -> assertThat(h.vramUsedMb()).isEqualTo(23017));
  }

  @Test
  void aGpuReadingThatTookLongIsTakenAgainOnlyAfterSixtyTimesAsLong() {
    // A probe that answers after 300 ms, heartbeats every 50 ms: the next reading after 18 s.
    RecordingTransport store = new RecordingTransport();
    AtomicInteger readings = new AtomicInteger();
    try (HeartlogAgent agent = AgentTestSupport.agent(store)
        .heartbeatInterval(Duration.ofMillis(50))
        .gpuProbe(counted(readings, 300))
        .build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.acknowledged.size() >= 20);
    }

    assertThat(readings.get()).isEqualTo(1);
    assertThat(store.acknowledged).allSatisfy(h -> assertThat(h.vramUsedMb()).isEqualTo(23017));
  }
}
