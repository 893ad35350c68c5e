package dev.heartlog.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of heartlog a worker embeds: it takes log records from any thread without blocking,
 * tags them with the current task, and ships them on the worker's heartbeat.
 *
 * <pre>{@code
 * HeartlogAgent agent = HeartlogAgent.builder()
 *     .workerId("gpu-worker-1")
 *     .transport(JdbcTransport.builder().url("jdbc:postgresql://db/orchestrator").build())
 *     .build();                      // starts the heartbeat thread
 * agent.startTask(taskId);           // records now carry taskId
 * agent.log(Level.INFO, "rendering frame 1");
 * agent.endTask();
 * agent.close();                     // final heartbeat, status "stopped", within 5 s
 * }</pre>
 *
 * <p>Logging calls never block on I/O and never throw. Records reach the store on the next
 * heartbeat, or at once when {@link Builder#bufferSize(int) bufferSize} records are waiting.
 */
public final class HeartlogAgent implements AutoCloseable {

  /** Heartbeat interval when none is set: the seed's 20 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(20);
  /** Records waiting that make a heartbeat due at once: the seed's {@code LOG_BUFFER_SIZE}. */
  public static final int DEFAULT_BUFFER_SIZE = 100;
  /** Most records kept in memory while the store is unreachable. */
  public static final int DEFAULT_MAX_BUFFERED_RECORDS = 10_000;
  /** Most bytes (estimated) kept in memory while the store is unreachable. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L * 1024 * 1024;
  /** Most records one heartbeat carries; a larger backlog goes in several calls. */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 1_000;
  /** Most bytes (estimated) one heartbeat carries. */
  public static final long DEFAULT_MAX_BATCH_BYTES = 4L * 1024 * 1024;
  /** How long shutdown waits for the final heartbeat. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** How often debug mode prints the buffer statistics: the seed's 5 minutes. */
  public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofMinutes(5);
  /** Longest wait between attempts while the store is unreachable. */
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(20);
  /** The spool's folder (one subfolder per worker id), under the working folder. */
  public static final Path DEFAULT_SPOOL_DIRECTORY = Path.of("heartlog-spool");
  /** Most bytes the spool keeps on disk. */
  public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
  /** How the spool flushes to disk: after every batch. */
  public static final SpoolSync DEFAULT_SPOOL_SYNC = SpoolSync.ALWAYS;
  /** The sync interval of {@link SpoolSync#INTERVAL}. */
  public static final Duration DEFAULT_SPOOL_SYNC_INTERVAL = Duration.ofSeconds(1);

  private static final String THREAD_NAME = "heartlog-heartbeat";

  private final AgentConfig config;
  private final Drops drops = new Drops();
  private final LogBuffer buffer;
  private final BatchQueue queue;
  private final HeartbeatLoop loop;
  private final LoopRunner runner;
  private final Thread shutdownHook;
  private final String sessionId = UUID.randomUUID().toString();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String currentTask;
  private volatile ComponentLevels levels;

  private HeartlogAgent(AgentConfig config) {
    this.config = config;
    this.levels = config.levels();
    Diagnostics diagnostics = new Diagnostics(config.diagnostics(), config.clock());
    this.buffer =
        new LogBuffer(
            config.bufferSize(), config.maxBufferedRecords(), config.maxBufferedBytes(), this::onBufferDue, drops);
    this.queue = openQueue(config, diagnostics, drops);
    this.loop = new HeartbeatLoop(config, buffer, queue, drops, () -> currentTask, () -> levels, diagnostics, sessionId);
    this.runner =
        config.scheduler() == null
            ? LoopRunner.ownThread(loop, THREAD_NAME + "-" + config.workerId())
            : LoopRunner.shared(loop, config.scheduler());
    this.shutdownHook =
        config.shutdownHook()
            ? new Thread(() -> shutdown(WorkerStatus.STOPPED, config.shutdownTimeout()), "heartlog-shutdown")
            : null;
    Metering.bindIfPresent(this, diagnostics);
    diagnostics.info("centralized logging enabled for worker: " + config.workerId());
    diagnostics.info(
        "log buffer initialized (max_size=" + config.bufferSize() + ", will flush with heartbeats every "
            + config.heartbeatInterval().toSeconds() + "s"
            + (queue instanceof Spool spool ? "; spool " + spool.directory() : "; no spool")
            + (config.transport() == null ? "; no destination configured, records wait" : "")
            + ")");
    if (!levels.isEmpty()) {
      diagnostics.info("levels per component: " + levels);
    }
  }

  /** The spool for this worker, or one batch in memory when there is none or it cannot be used. */
  private static BatchQueue openQueue(AgentConfig config, Diagnostics diagnostics, Drops drops) {
    if (config.spoolDirectory() == null) {
      return new MemoryBatchQueue();
    }
    Path directory = config.spoolDirectory().resolve(folderName(config.workerId()));
    try {
      return Spool.open(directory, config.spoolMaxBytes(), config.spoolSync(), config.spoolSyncInterval(),
          diagnostics, drops);
    } catch (IOException | RuntimeException e) {
      diagnostics.info("spool unusable (" + e.getMessage() + "); records wait in memory only");
      return new MemoryBatchQueue();
    }
  }

  /**
   * A worker id as a folder name: letters, digits, '.', '_' and '-' kept, the rest '_'. A name
   * longer than {@value #MAX_FOLDER_NAME} characters keeps its start and ends in a hash of the
   * whole id, since file systems refuse names over 255 bytes.
   */
  static String folderName(String workerId) {
    String name = workerId.replaceAll("[^A-Za-z0-9._-]", "_");
    name = name.startsWith(".") ? "_" + name : name;
    if (name.length() <= MAX_FOLDER_NAME) {
      return name;
    }
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(workerId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return name.substring(0, MAX_FOLDER_NAME - 33) + "-" + java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static final int MAX_FOLDER_NAME = 255;   // names that fit are kept as they were

  /** A builder with every default in place; only the worker id is required. */
  public static Builder builder() {
    return new Builder();
  }

  private HeartlogAgent start() {
    runner.start();
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return this;
  }

  /**
   * Captures a record with the current task, if any.
   *
   * @see #log(Level, String, String, Map)
   */
  public void log(Level level, String message) {
    log(level, message, null, Map.of());
  }

  /**
   * Captures a record. Returns at once; never blocks on I/O, never throws for a full buffer or a
   * store that is down. DEBUG records are kept only in debug mode.
   *
   * @param level the record's level
   * @param message the formatted message
   * @param taskId the task to file the record under; {@code null} means the current task
   * @param metadata logger, thread, exception text and the like; not copied, so pass a map no one
   *     changes afterwards
   */
  public void log(Level level, String message, String taskId, Map<String, Object> metadata) {
    capture(config.clock().instant(), level, message, taskId, metadata);
  }

  /**
   * Captures a record made at {@code timestamp}: a logging framework's own event time, so the
   * record carries the moment of the call. {@code null} means now.
   *
   * @see #log(Level, String, String, Map)
   */
  public void log(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {
    capture(timestamp != null ? timestamp : config.clock().instant(), level, message, taskId, metadata);
  }

  /**
   * Captures a record whose message is formatted only if it is sent (see {@link MessagePattern}):
   * what a logging framework's appender calls for a message with arguments.
   *
   * @see #log(Instant, Level, String, String, Map)
   */
  public void log(Instant timestamp, Level level, MessagePattern message, String taskId, Map<String, Object> metadata) {
    if (message == null) {
      log(timestamp, level, (String) null, taskId, metadata);  // an empty message, as for text
      return;
    }
    if (!isCaptured(level, metadata)) {
      return;
    }
    Instant at = timestamp != null ? timestamp : config.clock().instant();
    String task = taskId != null ? taskId : currentTask;
    if (message.estimatedLength() > RecordJson.MAX_MESSAGE_CHARS) {
      // Cut now, as a text message is, so a huge argument does not crowd the buffer out.
      buffer.offer(at, level, RecordJson.capMessage(message.toString()), task, metadata);
    } else {
      buffer.offer(at, level, message, task, metadata);
    }
  }

  /** Captures a record made earlier (held by {@link Heartlog} before this agent was installed). */
  void capture(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {
    if (!isCaptured(level, metadata)) {
      return;
    }
    String task = taskId != null ? taskId : currentTask;
    buffer.offer(timestamp, level, RecordJson.capMessage(message), task, metadata);
  }

  /** Whether a record of this level and metadata, logged on this thread, is taken in. */
  private boolean isCaptured(Level level, Map<String, Object> metadata) {
    ComponentLevels rules = levels;
    // The metadata is searched for a component only where there are rules to apply.
    String component = rules.isEmpty() ? null : component(metadata);
    return rules.keeps(level, component, config.debug())
        && !(Thread.currentThread() instanceof HeartbeatScheduler.HeartbeatThread);
  }

  /** What a record's metadata names as its component: {@code component}, else {@code logger}. */
  private static String component(Map<String, Object> metadata) {
    if (metadata == null) {
      return null;
    }
    Object component = metadata.get("component");
    if (component == null) {
      component = metadata.get("logger");
    }
    return component == null ? null : component.toString();
  }

  /**
   * Whether a logger's records must be left out: heartlog's own and those of the libraries that
   * ship records (JDBC driver, connection pool, HTTP client). Taking them in would let a store
   * outage feed the buffer it cannot empty.
   */
  public static boolean isPipelineLogger(String loggerName) {
    return loggerName != null
        && (loggerName.startsWith("dev.heartlog.")
            || loggerName.startsWith("org.postgresql")
            || loggerName.startsWith("com.zaxxer.hikari")
            || loggerName.startsWith("jdk.internal.httpclient")
            || loggerName.startsWith("java.net.http"));
  }

  /**
   * Whether records of this level that name no component are kept: all but DEBUG, DEBUG too in
   * debug mode, unless the {@link #levels() levels} set another default.
   */
  public boolean isEnabled(Level level) {
    return isEnabled(level, null);
  }

  /**
   * Whether records of this level from this component (a {@link WorkerLog} component, a logger's
   * name; {@code null} for none) are kept, by the {@link #levels() levels per component}.
   */
  public boolean isEnabled(Level level, String component) {
    return levels.keeps(level, component, config.debug());
  }

  /** The least severe level kept per component; {@link ComponentLevels#NONE} unless set. */
  public ComponentLevels levels() {
    return levels;
  }

  /**
   * Changes the levels kept per component while the worker runs, for example to keep one
   * component's DEBUG records while a problem is looked into. Records already buffered stay.
   */
  public void setLevels(ComponentLevels levels) {
    this.levels = java.util.Objects.requireNonNull(levels, "levels");
  }

  /**
   * Sets the task the worker runs now: records without an explicit task id carry it, and
   * heartbeats report it as the current task.
   */
  public void startTask(String taskId) {
    currentTask = taskId;
  }

  /** Clears the current task; call it when the task ends, whether it succeeded or failed. */
  public void endTask() {
    currentTask = null;
  }

  /** The task set by {@link #startTask(String)}, or {@code null}. */
  public String currentTask() {
    return currentTask;
  }

  public String workerId() {
    return config.workerId();
  }

  /** This agent session's id: new at every start, it scopes record and batch numbers. */
  public String sessionId() {
    return sessionId;
  }

  /** The agent's counters now. */
  public AgentStats stats() {
    return new AgentStats(
        buffer.held(),
        buffer.totalBuffered(),
        loop.flushes(),
        loop.sentRecords(),
        drops.total(),
        drops.totalsByReason(),
        queue.pendingBatches(),
        queue.pendingBytes(),
        loop.retries(),
        loop.lastError(),
        loop.lastErrorAt());
  }

  /** Heartbeat calls made so far, successful or not. */
  public long heartbeatsSent() {
    return loop.heartbeatsSent();
  }

  /**
   * Sends a heartbeat now and waits until every record captured before this call is stored (or
   * dropped and counted, should memory and spool have overflowed).
   *
   * @return {@code false} when the timeout passed first (the records stay buffered)
   */
  public boolean flush(Duration timeout) {
    try {
      return loop.awaitDelivered(buffer.totalBuffered(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops the agent: sends what is buffered with a final heartbeat of the given status, waiting
   * at most {@code timeout}. A later call (from another thread too) waits for that shutdown to
   * finish, at most its own {@code timeout}, and changes nothing else.
   *
   * @return {@code false} when the final heartbeat did not finish within the timeout
   */
  public boolean shutdown(WorkerStatus finalStatus, Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      // Another thread (a shutdown hook, say) is shutting down: wait for it as long as asked.
      return awaitEnd(timeout);
    }
    removeShutdownHook();
    Heartlog.uninstall(this);
    loop.close(finalStatus);
    boolean ended = awaitEnd(timeout);
    Transport transport = config.transport();
    if (ended && transport != null) {
      transport.close();
    }
    return ended;
  }

  /** {@link #shutdown(WorkerStatus, Duration) Shuts down} with status "stopped". */
  @Override
  public void close() {
    shutdown(WorkerStatus.STOPPED, config.shutdownTimeout());
  }

  private boolean awaitEnd(Duration timeout) {
    try {
      return runner.awaitEnd(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return runner.hasEnded();
    }
  }

  private void onBufferDue() {
    loop.requestBeat();
  }

  private void removeShutdownHook() {
    if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM runs its hooks now; ours will find the agent closed.
    }
  }

  /**
   * Builds an agent. Each setter validates its value and throws {@link IllegalArgumentException}
   * with a sentence naming what to fix.
   */
  public static final class Builder {
    private String workerId;
    private Transport transport;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
    private Path spoolDirectory = DEFAULT_SPOOL_DIRECTORY;
    private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
    private SpoolSync spoolSync = DEFAULT_SPOOL_SYNC;
    private Duration spoolSyncInterval = DEFAULT_SPOOL_SYNC_INTERVAL;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private int maxBufferedRecords = DEFAULT_MAX_BUFFERED_RECORDS;
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private int maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS;
    private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private boolean debug;
    private ComponentLevels levels = ComponentLevels.NONE;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration statsInterval = DEFAULT_STATS_INTERVAL;
    private GpuProbe gpuProbe;   // null: nvidia-smi, with the two settings below
    private String nvidiaSmi = "nvidia-smi";
    private String cudaVisibleDevices;
    private String cudaDeviceOrder;
    private boolean shutdownHook = true;
    private Clock clock = Clock.systemUTC();
    private PrintStream diagnostics = System.err;
    private HeartbeatScheduler scheduler;

    private Builder() {}

    /** The worker's id, as the orchestrator knows it. Required. */
    public Builder workerId(String workerId) {
      if (workerId == null || workerId.isBlank()) {
        throw new IllegalArgumentException("worker id must not be blank");
      }
      this.workerId = workerId.trim();
      return this;
    }

    /**
     * Where heartbeats go. Without one the agent keeps records in memory (bounded) and its
     * heartbeats fail quietly until it is given one at the next start.
     */
    public Builder transport(Transport transport) {
      this.transport = transport;
      return this;
    }

    /** Time between heartbeats; default {@link #DEFAULT_HEARTBEAT_INTERVAL}. */
    public Builder heartbeatInterval(Duration interval) {
      requirePositive(interval, "heartbeat interval must be positive");
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Longest wait between attempts while the store is unreachable; attempts start at 0.5 s and
     * double, with jitter. Default {@link #DEFAULT_MAX_RETRY_DELAY}.
     */
    public Builder maxRetryDelay(Duration delay) {
      requirePositive(delay, "maximum retry delay must be positive");
      this.maxRetryDelay = delay;
      return this;
    }

    /**
     * The spool's folder; the worker's batches go to a subfolder named after its id. Default
     * {@link #DEFAULT_SPOOL_DIRECTORY}, relative to the working folder.
     */
    public Builder spoolDirectory(Path directory) {
      this.spoolDirectory = Objects.requireNonNull(directory, "spool directory must not be null");
      return this;
    }

    /** No spool: one batch in flight, in memory; a dead process loses what it held. */
    public Builder noSpool() {
      this.spoolDirectory = null;
      return this;
    }

    /** Most bytes the spool keeps; default {@link #DEFAULT_SPOOL_MAX_BYTES}. */
    public Builder spoolMaxBytes(long bytes) {
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
    public Builder spoolSync(SpoolSync sync, Duration interval) {
      this.spoolSync = Objects.requireNonNull(sync, "spool sync must not be null");
      requirePositive(interval, "spool sync interval must be positive");
      this.spoolSyncInterval = interval;
      return this;
    }

    /** Records waiting that make a heartbeat due at once; default {@link #DEFAULT_BUFFER_SIZE}. */
    public Builder bufferSize(int records) {
      if (records <= 0) {
        throw new IllegalArgumentException("buffer size must be positive");
      }
      this.bufferSize = records;
      return this;
    }

    /**
     * Memory bounds while the store is away; defaults {@link #DEFAULT_MAX_BUFFERED_RECORDS} and
     * {@link #DEFAULT_MAX_BUFFERED_BYTES}. Past them records are dropped, counted and reported.
     */
    public Builder maxBuffered(int records, long bytes) {
      if (records <= 0 || bytes <= 0) {
        throw new IllegalArgumentException("buffer capacity must be positive");
      }
      this.maxBufferedRecords = records;
      this.maxBufferedBytes = bytes;
      return this;
    }

    /**
     * Bounds of one heartbeat's batch; defaults {@link #DEFAULT_MAX_BATCH_RECORDS} and {@link
     * #DEFAULT_MAX_BATCH_BYTES}.
     */
    public Builder maxBatch(int records, long bytes) {
      if (records <= 0 || bytes <= 0) {
        throw new IllegalArgumentException("batch limits must be positive");
      }
      this.maxBatchRecords = records;
      this.maxBatchBytes = bytes;
      return this;
    }

    /** Keep DEBUG records and print buffer statistics every 5 minutes; default off. */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /**
     * The least severe level kept for each component, as {@link ComponentLevels#parse} reads
     * it, for example {@code "WARNING,GENERATOR=DEBUG"}; default none (INFO, DEBUG in debug mode).
     *
     * @throws IllegalArgumentException when the list is malformed, saying where
     */
    public Builder levels(String levels) {
      this.levels = ComponentLevels.parse(levels);
      return this;
    }

    /** The least severe level kept for each component; see {@link #levels(String)}. */
    public Builder levels(ComponentLevels levels) {
      this.levels = java.util.Objects.requireNonNull(levels, "levels");
      return this;
    }

    /** How long shutdown waits for the final heartbeat; default {@link #DEFAULT_SHUTDOWN_TIMEOUT}. */
    public Builder shutdownTimeout(Duration timeout) {
      requirePositive(timeout, "shutdown timeout must be positive");
      this.shutdownTimeout = timeout;
      return this;
    }

    /** How often debug mode prints statistics; default {@link #DEFAULT_STATS_INTERVAL}. */
    public Builder statsInterval(Duration interval) {
      requirePositive(interval, "statistics interval must be positive");
      this.statsInterval = interval;
      return this;
    }

    /** Reads GPU memory; default runs {@code nvidia-smi} with a 5 s timeout. */
    public Builder gpuProbe(GpuProbe probe) {
      this.gpuProbe = Objects.requireNonNull(probe, "gpu probe must not be null");
      return this;
    }

    /** Uses {@code nvidia-smi} at this path or command name. */
    public Builder nvidiaSmi(String command) {
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
    public Builder cudaVisibleDevices(String devices) {
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
    public Builder cudaDeviceOrder(String order) {
      this.cudaDeviceOrder = order;
      this.gpuProbe = null;
      return this;
    }

    /** Whether a JVM shutdown hook sends the final heartbeat; default on. */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    /** The clock records are stamped with; default the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Where heartlog's own messages go; default stderr. */
    public Builder diagnostics(PrintStream out) {
      this.diagnostics = Objects.requireNonNull(out, "diagnostics stream must not be null");
      return this;
    }

    /**
     * Runs this agent's heartbeats on a scheduler shared with other agents instead of a thread of
     * its own; default none (its own thread).
     */
    public Builder scheduler(HeartbeatScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * Builds the agent and starts its heartbeat thread.
     *
     * @throws IllegalStateException when no worker id was set
     */
    public HeartlogAgent build() {
      if (workerId == null) {
        throw new IllegalStateException("worker id is required (set HEARTLOG_WORKER_ID or workerId)");
      }
      AgentConfig config =
          new AgentConfig(
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
              levels,
              spoolDirectory == null ? null : spoolDirectory.toAbsolutePath(),
              spoolMaxBytes,
              spoolSync,
              spoolSyncInterval,
              shutdownTimeout,
              statsInterval,
              gpuProbe != null ? gpuProbe : new NvidiaSmiProbe(nvidiaSmi, cudaVisibleDevices, cudaDeviceOrder, NvidiaSmiProbe.DEFAULT_TIMEOUT),
              shutdownHook,
              clock,
              diagnostics,
              scheduler);
      return new HeartlogAgent(config).start();
    }

    private static void requirePositive(Duration value, String message) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
