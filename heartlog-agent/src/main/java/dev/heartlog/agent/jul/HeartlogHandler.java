package dev.heartlog.agent.jul;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.agent.WorkerLog;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A {@code java.util.logging} handler that hands records to the installed {@link Heartlog}
 * agent. Register it in {@code logging.properties}
 * ({@code handlers = dev.heartlog.agent.jul.HeartlogHandler}) or in code.
 *
 * <p>Levels map SEVERE to ERROR, WARNING to WARNING, INFO and CONFIG to INFO, FINE and below to
 * DEBUG. Metadata carries the logger, the thread, the source class and method when JUL knows
 * them, and the exception's stack trace.
 */
public final class HeartlogHandler extends Handler {

  private static final Formatter MESSAGES = new SimpleFormatter();

  @Override
  public void publish(LogRecord record) {
    if (record == null || HeartlogAgent.isPipelineLogger(record.getLoggerName()) || !isLoggable(record)) {
      return;
    }
    try {
      Level level = level(record.getLevel());
      if (!Heartlog.isEnabled(level)) {
        return;
      }
      RecordMetadata metadata = new RecordMetadata(4);
      metadata.put("logger", record.getLoggerName());
      metadata.put("thread", Thread.currentThread().getName());
      if (record.getSourceClassName() != null) {
        metadata.put("class", record.getSourceClassName());
      }
      if (record.getSourceMethodName() != null) {
        metadata.put("method", record.getSourceMethodName());
      }
      if (record.getThrown() != null) {
        metadata.put("exception", WorkerLog.stackTrace(record.getThrown()));
      }
      Heartlog.log(record.getInstant(), level, MESSAGES.formatMessage(record), null, metadata);
    } catch (RuntimeException e) {
      reportError("heartlog could not capture a record", e, java.util.logging.ErrorManager.WRITE_FAILURE);
    }
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
