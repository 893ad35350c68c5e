package dev.heartlog.agent;

import java.util.List;

/**
 * GPU memory as one heartbeat reports it.
 *
 * @param totalMb total memory in MiB over the GPUs counted, or {@code null} when unknown
 * @param usedMb used memory in MiB over the GPUs counted, or {@code null} when unknown
 * @param gpusCounted indexes (in {@code nvidia-smi} order) of the GPUs whose figures were summed
 * @param problem why figures are missing ({@code "nvidia-smi not found"}, the tool's error line),
 *     or {@code null} when the reading is complete
 */
public record GpuReading(Integer totalMb, Integer usedMb, List<Integer> gpusCounted, String problem) {

  public GpuReading {
    gpusCounted = List.copyOf(gpusCounted);
  }

  /** A reading with no figures and the reason. */
  public static GpuReading unavailable(String problem) {
    return new GpuReading(null, null, List.of(), problem);
  }
}
