package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.HeartbeatPoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCommandTest {

  private static HeartbeatPoint beat(Integer total, Integer used) {
    return new HeartbeatPoint("w", Instant.parse("2026-11-29T10:00:00Z"), "active", total, used, 0, "t");
  }

  @Test
  void theVramLineSaysThePeakOfTheTotalOrThatNoneWasReported() {
    assertThat(TaskCommand.vram(List.of(beat(81559, 1200), beat(81559, 30846), beat(81559, 900)), 3))
        .isEqualTo("peak 30846 MiB of 81559 MiB over 3 heartbeats");
    assertThat(TaskCommand.vram(List.of(beat(81559, null)), 1))
        .isEqualTo("unknown of 81559 MiB over 1 heartbeat");
    // A worker without a GPU, or whose nvidia-smi fails: nothing to show but that.
    assertThat(TaskCommand.vram(List.of(beat(null, null), beat(null, null)), 2))
        .isEqualTo("not reported in 2 heartbeats (no GPU, or nvidia-smi could not read it)");
    // A long task's heartbeats, thinned by the store to the peak of each span: the count is of all sent.
    assertThat(TaskCommand.vram(List.of(beat(81559, 30846), beat(81559, 41000)), 86_400))
        .isEqualTo("peak 41000 MiB of 81559 MiB over 86400 heartbeats");
  }
}
