package dev.heartlog.agent;

import java.nio.file.Path;
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
 * heartbeat, or at once when {@link HeartlogAgentBuilder#bufferSize(int) bufferSize} records are
 * waiting.
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
  /**
   * The longest any of the agent's lengths of time may be (its interval, timeouts and delays): a
   * longer one is a slip, and past about 292 years its counts of nanoseconds overflowed.
   */
  public static final Duration LONGEST_DURATION = Duration.ofHours(24);
  /** How long shutdown waits for the final heartbeat. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /**
   * At the JVM's exit, how long the worker's own shutdown hooks may go without logging before the
   * final heartbeat is sent (see {@link #shutdown}).
   */
  public static final Duration SHUTDOWN_QUIET = Duration.ofSeconds(1);
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
  private final TaskHistory tasks = new TaskHistory();
  private volatile ComponentLevels levels;

  private HeartlogAgent(AgentConfig config) {
    this.config = config;
    this.levels = config.levels();
    Diagnostics diagnostics = new Diagnostics(config.diagnostics(), config.clock());
    this.buffer =
        new LogBuffer(
            config.bufferSize(), config.maxBufferedRecords(), config.maxBufferedBytes(), this::onBufferDue, drops,
            config.keepRepeats());
    this.queue = WorkerSpool.open(config, diagnostics, drops);
    this.loop = new HeartbeatLoop(config, buffer, queue, drops, tasks::current, () -> levels, diagnostics, sessionId);
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
    config.startWarnings().forEach(warning -> diagnostics.info("warning: " + warning));
    diagnostics.info(
        "log buffer initialized (max_size=" + config.bufferSize() + ", will flush with heartbeats every "
            + Diagnostics.length(config.heartbeatInterval())
            + (queue instanceof Spool spool ? "; spool " + spool.directory() : "; no spool")
            + (config.transport() == null ? "; no destination configured, records wait" : "")
            + ")");
    if (!levels.isEmpty()) {
      diagnostics.info("levels per component: " + levels);
    }
    if (!config.maskedVariables().isEmpty()) {
      diagnostics.info("masked in records: the values of " + String.join(", ", config.maskedVariables()));
    }
  }

  /** A builder with every default in place; only the worker id is required. */
  public static HeartlogAgentBuilder builder() {
    return new HeartlogAgentBuilder();
  }

  /** Makes the agent of a built configuration and starts its heartbeats. */
  static HeartlogAgent start(AgentConfig config) {
    HeartlogAgent agent = new HeartlogAgent(config);
    agent.runner.start();
    if (agent.shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(agent.shutdownHook);
    }
    return agent;
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
    String task = taskId != null ? taskId : tasks.current();
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
    String task = taskId != null ? taskId : tasks.current();
    buffer.offer(timestamp, level, RecordJson.capMessage(message), task, metadata);
  }

  /** Whether a record of this level and metadata, logged on this thread, is taken in. */
  private boolean isCaptured(Level level, Map<String, Object> metadata) {
    return levels.keepsRecord(level, metadata, config.debug())
        && !(Thread.currentThread() instanceof HeartbeatScheduler.HeartbeatThread);
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
    this.levels = Objects.requireNonNull(levels, "levels");
  }

  /**
   * Sets the task the worker runs now: records without an explicit task id carry it, and
   * heartbeats report it as the current task.
   */
  public void startTask(String taskId) {
    tasks.set(taskId);
  }

  /** Clears the current task; call it when the task ends, whether it succeeded or failed. */
  public void endTask() {
    tasks.set(null);
  }

  /** The task set by {@link #startTask(String)}, or {@code null}. */
  public String currentTask() {
    return tasks.current();
  }

  /**
   * The task the worker ran at {@code time} (by the system clock, as logging frameworks stamp
   * their events): the current one, unless it began later; then the one that ran at that time,
   * if it ended less than a minute ago; else {@code null}. An appender that is handed its events
   * late (behind Logback's {@code AsyncAppender}) files them by it.
   */
  public String taskAt(Instant time) {
    return tasks.at(time);
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
        loop.counters().flushes(),
        loop.counters().sentRecords(),
        loop.counters().sentEarlierRunRecords(),
        drops.total(),
        drops.totalsByReason(),
        queue.pendingBatches(),
        queue.pendingBytes(),
        loop.counters().retries(),
        loop.counters().lastError(),
        loop.counters().lastErrorAt(),
        buffer.totalRepeatsCounted());
  }

  /** Heartbeat calls made so far, successful or not. */
  public long heartbeatsSent() {
    return loop.counters().heartbeats();
  }

  /**
   * Sends a heartbeat now and waits until every record captured before this call is stored (or
   * dropped and counted, should memory and spool have overflowed); the repeats of a flood counted
   * so far are sent as their count.
   *
   * @return {@code false} when the timeout passed first (the records stay buffered)
   */
  public boolean flush(Duration timeout) {
    try {
      buffer.recordCounts();
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
   * <p>Called by the agent's JVM shutdown hook, it first delivers what the worker's own shutdown
   * hooks log as they stop it (they run beside this one), until they have logged nothing for
   * {@link #SHUTDOWN_QUIET}, for at most half the timeout. The JVM ends only once every hook
   * has; before, what a worker logged a moment after the signal was lost.
   *
   * @return {@code false} when the final heartbeat did not finish within the timeout
   */
  public boolean shutdown(WorkerStatus finalStatus, Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      // Another thread (a shutdown hook, say) is shutting down: wait for it as long as asked.
      return awaitEnd(timeout);
    }
    Duration left = timeout;
    if (shutdownHook != null && Thread.currentThread() == shutdownHook) {
      long start = System.nanoTime();
      deliverWhileShutdownHooksLog(start + timeout.toNanos() / 2);
      left = timeout.minusNanos(System.nanoTime() - start);
    }
    removeShutdownHook();
    Heartlog.uninstall(this);
    loop.close(finalStatus);
    boolean ended = awaitEnd(left.isNegative() ? Duration.ZERO : left);
    Transport transport = config.transport();
    if (ended && transport != null) {
      transport.close();
    }
    return ended;
  }

  /**
   * At the JVM's exit, waits until this agent's own shutdown hook has delivered what the other
   * hooks log and sent the final heartbeat, at most the shutdown timeout; returns at once for an
   * agent without that hook, or one already shut down. For what would take logging away from
   * the other hooks meanwhile ({@link dev.heartlog.agent.jul.HeartlogLogManager}).
   */
  public void awaitShutdownHook() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      awaitEnd(config.shutdownTimeout());
    }
  }

  /** {@link #shutdown(WorkerStatus, Duration) Shuts down} with status "stopped". */
  @Override
  public void close() {
    shutdown(WorkerStatus.STOPPED, config.shutdownTimeout());
  }

  /** Delivers records as they come until none came for {@link #SHUTDOWN_QUIET}, or the deadline. */
  private void deliverWhileShutdownHooksLog(long deadlineNanos) {
    long delivered = -1;
    while (buffer.totalBuffered() != delivered && System.nanoTime() < deadlineNanos) {
      delivered = buffer.totalBuffered();
      flush(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
      long pause = Math.min(SHUTDOWN_QUIET.toNanos(), deadlineNanos - System.nanoTime());
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.max(0, pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the final heartbeat, even on an interrupted thread, whose
   * interrupt is kept for the caller. A worker's main thread cancelled by its framework, or
   * interrupted by a shutdown hook of its own, closes the agent on its way out: the wait ended at
   * once there, the JVM exited with the heartbeat thread, and the last records were lost.
   */
  private boolean awaitEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return runner.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          interrupted = true;   // waited for again, until the deadline
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
}
