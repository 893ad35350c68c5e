package dev.heartlog.cli;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.GpuReading;
import java.util.List;

/** The demo's stand-in for nvidia-smi: an 80 GB GPU whose use the demo worker sets. */
final class SimulatedGpu implements GpuProbe {

  static final int TOTAL_MB = 81_559;

  private volatile int usedMb = 1_200;

  void use(int megabytes) {
    usedMb = Math.max(0, Math.min(TOTAL_MB, megabytes));
  }

  int used() {
    return usedMb;
  }

  @Override
  public GpuReading read() {
    return new GpuReading(TOTAL_MB, usedMb, List.of(0), null);
  }
}
