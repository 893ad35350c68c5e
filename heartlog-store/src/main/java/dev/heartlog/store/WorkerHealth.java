package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One worker as the fleet view shows it.
 *
 * @param id the worker id
 * @param health its status ({@code active}, {@code stopped}, {@code crashed}), or {@code stale}
 *     when it claims to be active but its heartbeats stopped
 * @param lastHeartbeat when its last heartbeat arrived, or {@code null}
 * @param heartbeatAgeSeconds seconds since then, or {@code null}
 * @param vramTotalMb total GPU memory in MiB, or {@code null}
 * @param vramUsedMb used GPU memory in MiB, or {@code null}
 * @param currentTaskId the task it reported last, or {@code null}
 * @param errorsLastHour ERROR and CRITICAL records of the last hour
 * @param warningsLastHour WARNING records of the last hour
 * @param clockSkewMs the worker's clock minus the store's at its last heartbeat, in milliseconds
 *     (negative: behind), or {@code null} when that heartbeat did not say (the seed's workers)
 * @param workerRowError why the orchestrator's {@code workers} table refused the worker's row at
 *     a heartbeat since the last that wrote it (a status its enum does not list, a worker it
 *     never registered), or {@code null}
 * @param sharedIdAt when, in the last 10 minutes, a heartbeat last showed that several processes
 *     send heartbeats as this worker at once (replicas given one id, a worker started twice): its
 *     row then mixes their statuses, tasks and VRAM; {@code null} when none did
 * @param gpuProblem why its last heartbeat had no GPU figures, or figures of only some GPUs, as
 *     its agent said (the heartbeat's {@code gpu_problem}: {@code nvidia-smi not found}, {@code
 *     Failed to initialize NVML: Unknown Error}); {@code null} when it said nothing
 */
public record WorkerHealth(
    String id,
    String health,
    Instant lastHeartbeat,
    Long heartbeatAgeSeconds,
    Integer vramTotalMb,
    Integer vramUsedMb,
    String currentTaskId,
    long errorsLastHour,
    long warningsLastHour,
    Long clockSkewMs,
    String workerRowError,
    Instant sharedIdAt,
    String gpuProblem) {

  /** Skew below this is the network's delay or ordinary drift, not a clock to tell anyone about. */
  public static final long NOTABLE_SKEW_MS = 2_000;

  /**
   * Skew from which a worker's records sit noticeably off a range of times asked of them (its
   * tasks of the last hour): said where such a range is read. Less moves no record out of any
   * range worth asking, so a fleet's ordinary drift says nothing.
   */
  public static final Duration RANGE_SKEW = Duration.ofMinutes(1);

  /** Whether the worker's clock is off by enough that its records' times mislead. */
  public boolean clockSkewed() {
    return clockSkewMs != null && Math.abs(clockSkewMs) >= NOTABLE_SKEW_MS;
  }

  /**
   * The healths of workers that hold no GPU memory now, whatever they reported last: gone
   * ({@code stopped}, {@code crashed}), silent ({@code stale}), or removed by the orchestrator
   * ({@code unknown}).
   */
  private static final Set<String> NOT_RUNNING = Set.of("stopped", "crashed", "stale", "unknown");

  /** Whether the worker runs now, as far as its heartbeats say: its health is none of {@link #NOT_RUNNING}. */
  public boolean running() {
    return !NOT_RUNNING.contains(health);
  }

  /** The workers whose health is one of {@code healths} (any case); all of them when it is empty. */
  public static List<WorkerHealth> withHealth(List<WorkerHealth> workers, Collection<String> healths) {
    if (healths.isEmpty()) {
      return workers;
    }
    Set<String> wanted = healths.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    return workers.stream().filter(w -> wanted.contains(w.health().toLowerCase(Locale.ROOT))).toList();
  }
}
