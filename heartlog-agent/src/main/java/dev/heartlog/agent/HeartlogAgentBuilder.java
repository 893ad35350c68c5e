package dev.heartlog.agent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link HeartlogAgent}; made by {@link HeartlogAgent#builder()}. Each setter validates
 * its value and throws {@link IllegalArgumentException} with a sentence naming what to fix.
 */
public final class HeartlogAgentBuilder {
  private String workerId;
  private Transport transport;
  private Duration heartbeatInterval = HeartlogAgent.DEFAULT_HEARTBEAT_INTERVAL;
  private Duration maxRetryDelay = HeartlogAgent.DEFAULT_MAX_RETRY_DELAY;
  private Path spoolDirectory = HeartlogAgent.DEFAULT_SPOOL_DIRECTORY;
  private long spoolMaxBytes = HeartlogAgent.DEFAULT_SPOOL_MAX_BYTES;
  private SpoolSync spoolSync = HeartlogAgent.DEFAULT_SPOOL_SYNC;
  private Duration spoolSyncInterval = HeartlogAgent.DEFAULT_SPOOL_SYNC_INTERVAL;
  private int bufferSize = HeartlogAgent.DEFAULT_BUFFER_SIZE;
  private List<String> startWarnings = List.of();
  private int maxBufferedRecords = HeartlogAgent.DEFAULT_MAX_BUFFERED_RECORDS;
  private long maxBufferedBytes = HeartlogAgent.DEFAULT_MAX_BUFFERED_BYTES;
  private int maxBatchRecords = HeartlogAgent.DEFAULT_MAX_BATCH_RECORDS;
  private long maxBatchBytes = HeartlogAgent.DEFAULT_MAX_BATCH_BYTES;
  private boolean debug;
  private boolean keepRepeats;
  private ComponentLevels levels = ComponentLevels.NONE;
  private Credentials maskedValues = Credentials.NONE;
  private List<String> maskedVariables = List.of();
  private Duration shutdownTimeout = HeartlogAgent.DEFAULT_SHUTDOWN_TIMEOUT;
  private Duration statsInterval = HeartlogAgent.DEFAULT_STATS_INTERVAL;
  private GpuProbe gpuProbe;   // null: nvidia-smi, with the two settings below
  private String nvidiaSmi = "nvidia-smi";
  private String cudaVisibleDevices;
  private String cudaDeviceOrder;
  private boolean shutdownHook = true;
  private Clock clock = Clock.systemUTC();
  private PrintStream diagnostics = System.err;
  private HeartbeatScheduler scheduler;

  /** The longest worker id the store takes, in UTF-8 bytes (its indexes hold no longer). */
  static final int MAX_ID_BYTES = 2000;

  HeartlogAgentBuilder() {}

  /** The worker's id, as the orchestrator knows it. Required. */
  public HeartlogAgentBuilder workerId(String workerId) {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("worker id must not be blank");
    }
    int bytes = workerId.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_ID_BYTES) {   // the store refuses it at every heartbeat: said at the start instead
      throw new IllegalArgumentException("worker id is " + bytes + " bytes long; heartlog takes worker ids of at most "
          + MAX_ID_BYTES);
    }
    this.workerId = workerId.trim();
    return this;
  }

  /**
   * Where heartbeats go. Without one the agent keeps records in memory (bounded) and its
   * heartbeats fail quietly until it is given one at the next start.
   */
  public HeartlogAgentBuilder transport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** Time between heartbeats; default {@link HeartlogAgent#DEFAULT_HEARTBEAT_INTERVAL}. */
  public HeartlogAgentBuilder heartbeatInterval(Duration interval) {
    requireLength(interval, "heartbeat interval");
    this.heartbeatInterval = interval;
    return this;
  }

  /**
   * Longest wait between attempts while the store is unreachable; attempts start at 0.5 s and
   * double, with jitter. Default {@link HeartlogAgent#DEFAULT_MAX_RETRY_DELAY}.
   */
  public HeartlogAgentBuilder maxRetryDelay(Duration delay) {
    requireLength(delay, "maximum retry delay");
    this.maxRetryDelay = delay;
    return this;
  }

  /**
   * The spool's folder; the worker's batches go to a subfolder named after its id. Default
   * {@link HeartlogAgent#DEFAULT_SPOOL_DIRECTORY}, relative to the working folder.
   */
  public HeartlogAgentBuilder spoolDirectory(Path directory) {
    this.spoolDirectory = Objects.requireNonNull(directory, "spool directory must not be null");
    return this;
  }

  /** No spool: one batch in flight, in memory; a dead process loses what it held. */
  public HeartlogAgentBuilder noSpool() {
    this.spoolDirectory = null;
    return this;
  }

  /** Most bytes the spool keeps; default {@link HeartlogAgent#DEFAULT_SPOOL_MAX_BYTES}. */
  public HeartlogAgentBuilder spoolMaxBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("spool size must be positive");
    }
    this.spoolMaxBytes = bytes;
    return this;
  }

  /**
   * When the spool forces its writes to disk: {@code ALWAYS} (default), {@code INTERVAL}
   * (at most once per {@code interval}) or {@code NEVER}.
   */
  public HeartlogAgentBuilder spoolSync(SpoolSync sync, Duration interval) {
    this.spoolSync = Objects.requireNonNull(sync, "spool sync must not be null");
    requireLength(interval, "spool sync interval");
    this.spoolSyncInterval = interval;
    return this;
  }

  /**
   * Records waiting that make a heartbeat due at once; default {@link
   * HeartlogAgent#DEFAULT_BUFFER_SIZE}.
   */
  public HeartlogAgentBuilder bufferSize(int records) {
    if (records <= 0) {
      throw new IllegalArgumentException("buffer size must be positive");
    }
    this.bufferSize = records;
    return this;
  }

  /**
   * Memory bounds while the store is away; defaults {@link
   * HeartlogAgent#DEFAULT_MAX_BUFFERED_RECORDS} and {@link HeartlogAgent#DEFAULT_MAX_BUFFERED_BYTES}.
   * Past them records are dropped, counted and reported.
   */
  public HeartlogAgentBuilder maxBuffered(int records, long bytes) {
    if (records <= 0 || bytes <= 0) {
      throw new IllegalArgumentException("buffer capacity must be positive");
    }
    this.maxBufferedRecords = records;
    this.maxBufferedBytes = bytes;
    return this;
  }

  /**
   * Bounds of one heartbeat's batch; defaults {@link HeartlogAgent#DEFAULT_MAX_BATCH_RECORDS} and
   * {@link HeartlogAgent#DEFAULT_MAX_BATCH_BYTES}.
   */
  public HeartlogAgentBuilder maxBatch(int records, long bytes) {
    if (records <= 0 || bytes <= 0) {
      throw new IllegalArgumentException("batch limits must be positive");
    }
    this.maxBatchRecords = records;
    this.maxBatchBytes = bytes;
    return this;
  }

  /** Keep DEBUG records and print buffer statistics every 5 minutes; default off. */
  public HeartlogAgentBuilder debug(boolean debug) {
    this.debug = debug;
    return this;
  }

  /**
   * Keep every record of a flood of one record; default off: past the tenth in a row, each record
   * that repeats the one its thread logged before it within a second (the same level, message,
   * task and metadata) is counted, and the count is recorded as one record, {@code repeated 49990
   * more times: ...}, when that thread logs another record or at the next heartbeat.
   */
  public HeartlogAgentBuilder keepRepeats(boolean keepRepeats) {
    this.keepRepeats = keepRepeats;
    return this;
  }

  /**
   * Values masked as {@code ***} wherever a record holds them, as the transport's credentials
   * are: the worker's own secrets (an API token, a cloud key) that it may print. A value shorter
   * than {@link Credentials#SHORTEST_MASKED} characters is not masked. {@link MaskedVariables}
   * finds them in the environment; default none.
   */
  public HeartlogAgentBuilder maskValues(Collection<String> values) {
    this.maskedValues = Credentials.of(List.copyOf(values));
    this.maskedVariables = List.of();
    return this;
  }

  /**
   * Masks the values of these variables ({@link MaskedVariables#in}), as {@link
   * #maskValues(Collection)} does; the agent's start names the variables (never their values).
   */
  public HeartlogAgentBuilder maskVariables(Map<String, String> variables) {
    maskValues(variables.values());
    this.maskedVariables = List.copyOf(variables.keySet());
    return this;
  }

  /**
   * The least severe level kept for each component, as {@link ComponentLevels#parse} reads
   * it, for example {@code "WARNING,GENERATOR=DEBUG"}; default none (INFO, DEBUG in debug mode).
   *
   * @throws IllegalArgumentException when the list is malformed, saying where
   */
  public HeartlogAgentBuilder levels(String levels) {
    this.levels = ComponentLevels.parse(levels);
    return this;
  }

  /** The least severe level kept for each component; see {@link #levels(String)}. */
  public HeartlogAgentBuilder levels(ComponentLevels levels) {
    this.levels = Objects.requireNonNull(levels, "levels");
    return this;
  }

  /**
   * How long shutdown waits for the final heartbeat; default {@link
   * HeartlogAgent#DEFAULT_SHUTDOWN_TIMEOUT}. At the JVM's exit, up to half of it goes first to
   * what the worker's own shutdown hooks still log (see {@link HeartlogAgent#shutdown}).
   */
  public HeartlogAgentBuilder shutdownTimeout(Duration timeout) {
    requireLength(timeout, "shutdown timeout");
    this.shutdownTimeout = timeout;
    return this;
  }

  /** How often debug mode prints statistics; default {@link HeartlogAgent#DEFAULT_STATS_INTERVAL}. */
  public HeartlogAgentBuilder statsInterval(Duration interval) {
    requireLength(interval, "statistics interval");
    this.statsInterval = interval;
    return this;
  }

  /** Reads GPU memory; default runs {@code nvidia-smi} with a 5 s timeout. */
  public HeartlogAgentBuilder gpuProbe(GpuProbe probe) {
    this.gpuProbe = Objects.requireNonNull(probe, "gpu probe must not be null");
    return this;
  }

  /** Uses {@code nvidia-smi} at this path or command name. */
  public HeartlogAgentBuilder nvidiaSmi(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("nvidia-smi command must not be blank");
    }
    this.nvidiaSmi = command;
    this.gpuProbe = null;
    return this;
  }

  /**
   * The GPUs whose memory this worker reports, written as {@code CUDA_VISIBLE_DEVICES} is
   * ({@code "3"}, {@code "0,1"}, {@code "GPU-8932f937"}, {@code ""} for none); default
   * {@code null}, every GPU nvidia-smi lists. {@link AgentEnvironment#agentBuilder()} sets the
   * process's {@code CUDA_VISIBLE_DEVICES}; several workers in one process give each its GPU.
   */
  public HeartlogAgentBuilder cudaVisibleDevices(String devices) {
    this.cudaVisibleDevices = devices;
    this.gpuProbe = null;
    return this;
  }

  /**
   * How CUDA numbers the GPUs that {@link #cudaVisibleDevices} names by index, written as
   * {@code CUDA_DEVICE_ORDER} is: {@code "PCI_BUS_ID"} as nvidia-smi numbers them; default
   * {@code null}, CUDA's own default, fastest first. The indexes are read as nvidia-smi's
   * either way; on a machine of mixed GPU models without {@code PCI_BUS_ID} the heartbeat's
   * {@code gpu_problem} says so. {@link AgentEnvironment#agentBuilder()} sets the process's.
   */
  public HeartlogAgentBuilder cudaDeviceOrder(String order) {
    this.cudaDeviceOrder = order;
    this.gpuProbe = null;
    return this;
  }

  /** Whether a JVM shutdown hook sends the final heartbeat; default on. */
  public HeartlogAgentBuilder shutdownHook(boolean enabled) {
    this.shutdownHook = enabled;
    return this;
  }

  /** The clock records are stamped with; default the system clock in UTC. */
  public HeartlogAgentBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  /** Where heartlog's own messages go; default stderr. */
  public HeartlogAgentBuilder diagnostics(PrintStream out) {
    this.diagnostics = Objects.requireNonNull(out, "diagnostics stream must not be null");
    return this;
  }

  /**
   * Runs this agent's heartbeats on a scheduler shared with other agents instead of a thread of
   * its own; default none (its own thread).
   */
  public HeartlogAgentBuilder scheduler(HeartbeatScheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    return this;
  }

  /**
   * Builds the agent and starts its heartbeat thread.
   *
   * @throws IllegalStateException when no worker id was set
   */
  public HeartlogAgent build() {
    return HeartlogAgent.start(config());
  }

  /**
   * The configuration {@link #build()} starts an agent with.
   *
   * @throws IllegalStateException when no worker id was set
   */
  // Visible for testing
  AgentConfig config() {
    if (workerId == null) {
      throw new IllegalStateException("worker id is required (set HEARTLOG_WORKER_ID or workerId)");
    }
    return new AgentConfig(
        workerId,
        transport,
        heartbeatInterval,
        maxRetryDelay,
        bufferSize,
        Math.max(maxBufferedRecords, bufferSize),
        maxBufferedBytes,
        maxBatchRecords,
        maxBatchBytes,
        debug,
        keepRepeats,
        levels,
        maskedValues,
        maskedVariables,
        spoolDirectory == null ? null : spoolDirectory.toAbsolutePath(),
        spoolMaxBytes,
        spoolSync,
        spoolSyncInterval,
        shutdownTimeout,
        statsInterval,
        gpuProbe != null
            ? gpuProbe
            : new NvidiaSmiProbe(nvidiaSmi, cudaVisibleDevices, cudaDeviceOrder, NvidiaSmiProbe.DEFAULT_TIMEOUT),
        shutdownHook,
        clock,
        diagnostics,
        scheduler,
        startWarnings);
  }

  /** Said on the diagnostics as the agent starts: the environment's variables it does not read. */
  HeartlogAgentBuilder startWarnings(List<String> warnings) {
    this.startWarnings = List.copyOf(warnings);
    return this;
  }

  /** A length of time more than zero and at most {@link HeartlogAgent#LONGEST_DURATION}. */
  private static void requireLength(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    if (value.compareTo(HeartlogAgent.LONGEST_DURATION) > 0) {
      // Past about 292 years the agent's counts of nanoseconds overflowed, in its own threads.
      throw new IllegalArgumentException(
          name + " must be at most " + HeartlogAgent.LONGEST_DURATION.toHours() + "h (got " + value + ")");
    }
  }
}
