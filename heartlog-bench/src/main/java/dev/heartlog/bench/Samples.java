package dev.heartlog.bench;

import java.util.Arrays;

/** Durations in nanoseconds, kept while recording. */
final class Samples {
  private final Object lock = new Object();
  private long[] values = new long[1 << 16];
  private int size;
  private boolean recording;

  void start() {
    synchronized (lock) {
      size = 0;
      recording = true;
    }
  }

  void stop() {
    synchronized (lock) {
      recording = false;
    }
  }

  void add(long nanos) {
    synchronized (lock) {
      if (!recording) {
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }
  }

  /** The nearest-rank percentile {@code p} (0..1] of what was recorded; 0 when nothing was. */
  long percentile(double p) {
    long[] sorted;
    synchronized (lock) {
      sorted = Arrays.copyOf(values, size);
    }
    Arrays.sort(sorted);
    return percentile(sorted, p);
  }

  /** The nearest-rank percentile {@code p} (0..1] of values sorted ascending; 0 for none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
