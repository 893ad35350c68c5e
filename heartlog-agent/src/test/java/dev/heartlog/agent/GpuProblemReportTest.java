package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
}
