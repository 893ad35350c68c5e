package dev.heartlog.agent;

/**
 * Reads GPU memory for a heartbeat. Implementations never throw: an absent GPU, driver or tool
 * is a {@link GpuReading#unavailable(String) reading} with nulls.
 */
@FunctionalInterface
public interface GpuProbe {

  GpuReading read();

  /** A probe for machines without GPUs, reporting nulls and no problem. */
  static GpuProbe none() {
    return () -> new GpuReading(null, null, java.util.List.of(), null);
  }
}
