package dev.heartlog.agent.jul;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.MessagePattern;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.agent.ThreadNames;
import dev.heartlog.agent.WorkerLog;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A {@code java.util.logging} handler that hands records to the installed {@link Heartlog}
 * agent. Register it in {@code logging.properties}
 * ({@code handlers = dev.heartlog.agent.jul.HeartlogHandler}) or in code.
 *
 * <p>Levels map SEVERE to ERROR, WARNING to WARNING, INFO and CONFIG to INFO, FINE and below to
 * DEBUG. Metadata carries the logger, the thread and the exception's stack trace, and with
 * {@code includeCallerData} the source class and method. JUL finds those by walking the caller's
 * stack, which cost more than the rest of the call together (JulCallerCostBenchmark,
 * BENCHMARKS.md §1), so it is off unless asked for, as in heartlog's Logback appender: {@code
 * dev.heartlog.agent.jul.HeartlogHandler.includeCallerData = true} in {@code logging.properties},
 * or {@link #setIncludeCallerData}.
 *
 * <p>A message with {@code {0}} parameters of plain immutable types is formatted on the heartbeat
 * thread, as its record is written into a batch (see {@link MessagePattern#ofMessageFormat}); any
 * other is formatted here, as JUL's formatters do. The text is the same either way.
 */
public final class HeartlogHandler extends Handler {

  private static final Formatter MESSAGES = new SimpleFormatter();

  /** The name of jul-to-slf4j's handler, which passes JUL's records on to SLF4J. */
  static final String SLF4J_BRIDGE = "org.slf4j.bridge.SLF4JBridgeHandler";
  /** The name of log4j-jul's handler, which passes JUL's records on to Log4j 2. */
  static final String LOG4J_BRIDGE = "org.apache.logging.log4j.jul.Log4jBridgeHandler";
  private static final long BRIDGE_CHECK_NANOS = 1_000_000_000L;

  private volatile boolean includeCallerData;
  private volatile boolean bridged;
  private volatile long bridgeCheckedAt = System.nanoTime() - BRIDGE_CHECK_NANOS;

  /** A handler configured from {@code logging.properties} ({@code includeCallerData}). */
  public HeartlogHandler() {
    String property = HeartlogHandler.class.getName() + ".includeCallerData";
    includeCallerData = Boolean.parseBoolean(LogManager.getLogManager().getProperty(property));
  }

  /** Capture the source class and method of each record; JUL walks the caller's stack for them. */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  public boolean isIncludeCallerData() {
    return includeCallerData;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || HeartlogAgent.isPipelineLogger(record.getLoggerName()) || !isLoggable(record)
        || reachesHeartlogThroughABridge()) {
      return;
    }
    try {
      Level level = level(record.getLevel());
      if (!Heartlog.isEnabled(level, record.getLoggerName())) {
        return;
      }
      RecordMetadata metadata = new RecordMetadata(4);
      metadata.put("logger", record.getLoggerName());
      metadata.put("thread", ThreadNames.of(Thread.currentThread()));
      if (includeCallerData) {
        if (record.getSourceClassName() != null) {
          metadata.put("class", record.getSourceClassName());
        }
        if (record.getSourceMethodName() != null) {
          metadata.put("method", record.getSourceMethodName());
        }
      }
      if (record.getThrown() != null) {
        metadata.put("exception", WorkerLog.stackTrace(record.getThrown()));
      }
      MessagePattern deferred = record.getResourceBundle() == null
          ? MessagePattern.ofMessageFormat(record.getMessage(), record.getParameters())
          : null;
      if (deferred != null) {
        Heartlog.log(record.getInstant(), level, deferred, null, metadata);
      } else {
        Heartlog.log(record.getInstant(), level, MESSAGES.formatMessage(record), null, metadata);
      }
    } catch (RuntimeException e) {
      reportError("heartlog could not capture a record", e, java.util.logging.ErrorManager.WRITE_FAILURE);
    }
  }

  /**
   * Whether JUL's records also go to heartlog through a bridge on the root logger: jul-to-slf4j's
   * to SLF4J, where heartlog's Logback appender takes them, or log4j-jul's to Log4j 2, where its
   * Log4j 2 appender does. Stored from here too, each was stored twice (Spring Boot installs the
   * bridge beside any handler already there). The root's handlers are looked at once a second at
   * most.
   */
  private boolean reachesHeartlogThroughABridge() {
    boolean slf4j = Heartlog.hasSlf4jAppender();
    boolean log4j = Heartlog.hasLog4jAppender();
    if (!slf4j && !log4j) {
      return false;
    }
    long now = System.nanoTime();
    if (now - bridgeCheckedAt >= BRIDGE_CHECK_NANOS) {
      bridged = java.util.Arrays.stream(java.util.logging.Logger.getLogger("").getHandlers())
          .map(handler -> handler.getClass().getName())
          .anyMatch(name -> slf4j && name.equals(SLF4J_BRIDGE) || log4j && name.equals(LOG4J_BRIDGE));
      bridgeCheckedAt = now;
    }
    return bridged;
  }

  /** Maps a JUL level onto the store's five. */
  public static Level level(java.util.logging.Level level) {
    int value = level == null ? java.util.logging.Level.INFO.intValue() : level.intValue();
    if (value >= java.util.logging.Level.SEVERE.intValue()) {
      return Level.ERROR;
    }
    if (value >= java.util.logging.Level.WARNING.intValue()) {
      return Level.WARNING;
    }
    if (value >= java.util.logging.Level.CONFIG.intValue()) {
      return Level.INFO;
    }
    return Level.DEBUG;
  }

  @Override
  public void flush() {
    // Records leave with the next heartbeat; HeartlogAgent.flush waits for them if needed.
  }

  @Override
  public void close() {
    // The agent belongs to whoever installed it.
  }
}
