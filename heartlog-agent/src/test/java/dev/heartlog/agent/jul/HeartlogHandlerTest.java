package dev.heartlog.agent.jul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class HeartlogHandlerTest {

  @ParameterizedTest
  @CsvSource({"SEVERE, ERROR", "WARNING, WARNING", "INFO, INFO", "CONFIG, INFO", "FINE, DEBUG", "FINEST, DEBUG"})
  void julLevelsMapOntoTheStoresFive(String jul, Level expected) {
    assertThat(HeartlogHandler.level(java.util.logging.Level.parse(jul))).isEqualTo(expected);
  }

  @Test
  void levelsPerComponentFollowLoggerNames() {
    List<LogRecord> stored = new CopyOnWriteArrayList<>();
    Logger render = Logger.getLogger("test.jul.render.Frames");
    Logger queue = Logger.getLogger("test.jul.queue");
    render.setUseParentHandlers(false);
    queue.setUseParentHandlers(false);
    render.setLevel(java.util.logging.Level.ALL);
    HeartlogHandler handler = new HeartlogHandler();
    render.addHandler(handler);
    queue.addHandler(handler);
    try {
      HeartlogAgent agent = agentStoringInto(stored);
      agent.setLevels(dev.heartlog.agent.ComponentLevels.parse("test.jul=WARNING,test.jul.render=DEBUG"));
      Heartlog.install(agent);
      render.fine("frame 7 denoised");
      queue.info("not kept: below WARNING");
      queue.warning("queue slow");
      agent.flush(Duration.ofSeconds(10));
      agent.close();
    } finally {
      render.removeHandler(handler);
      queue.removeHandler(handler);
    }

    assertThat(stored).extracting(LogRecord::message).containsExactly("frame 7 denoised", "queue slow");
  }

  @Test
  void recordsLoggedBeforeAndAfterInstallReachTheStoreWithParametersFormatted() {
    List<LogRecord> stored = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("test.jul.worker");
    logger.setUseParentHandlers(false);
    HeartlogHandler handler = new HeartlogHandler();
    logger.addHandler(handler);
    Logger driver = Logger.getLogger("org.postgresql.core");
    driver.setUseParentHandlers(false);
    driver.addHandler(handler);
    try {
      logger.info("early record");
      HeartlogAgent agent = agentStoringInto(stored);
      Heartlog.install(agent);
      logger.log(java.util.logging.Level.WARNING, "disk {0} almost full", "/data");
      logger.log(java.util.logging.Level.SEVERE, "render failed", new RuntimeException("kaput"));
      driver.warning("connection lost");
      agent.flush(Duration.ofSeconds(10));
      agent.close();
    } finally {
      logger.removeHandler(handler);
      driver.removeHandler(handler);
    }

    assertThat(stored).extracting(LogRecord::message)
        .containsExactly("early record", "disk /data almost full", "render failed");
    assertThat(stored.get(2).level()).isEqualTo(Level.ERROR);
    assertThat(stored.get(2).metadata().get("exception").toString()).contains("RuntimeException: kaput");
    assertThat(stored.get(1).metadata()).containsEntry("logger", "test.jul.worker");
    // Finding the caller walks the stack: only on request.
    assertThat(stored.get(1).metadata()).doesNotContainKeys("class", "method");
  }

  @Test
  void callerDataIsCapturedWhenAskedForInCodeOrInLoggingProperties() throws Exception {
    HeartlogHandler inCode = new HeartlogHandler();
    assertThat(inCode.isIncludeCallerData()).isFalse();
    inCode.setIncludeCallerData(true);
    LogManager manager = LogManager.getLogManager();
    manager.readConfiguration(new ByteArrayInputStream(
        "dev.heartlog.agent.jul.HeartlogHandler.includeCallerData = true\n".getBytes(StandardCharsets.ISO_8859_1)));
    HeartlogHandler configured;
    try {
      configured = new HeartlogHandler();
    } finally {
      manager.readConfiguration();
    }
    assertThat(configured.isIncludeCallerData()).isTrue();

    List<LogRecord> stored = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("test.jul.caller");
    logger.setUseParentHandlers(false);
    logger.addHandler(inCode);
    HeartlogAgent agent = agentStoringInto(stored);
    try {
      Heartlog.install(agent);
      logger.log(java.util.logging.Level.INFO, "frame {0} rendered", 7);
      agent.flush(Duration.ofSeconds(10));
    } finally {
      logger.removeHandler(inCode);
      agent.close();
    }

    assertThat(stored).extracting(LogRecord::message).containsExactly("frame 7 rendered");
    assertThat(stored.get(0).metadata())
        .containsEntry("class", HeartlogHandlerTest.class.getName())
        .containsEntry("method", "callerDataIsCapturedWhenAskedForInCodeOrInLoggingProperties");
  }

  @Test
  void aRecordFromANamelessThreadNamesItByItsId() throws Exception {
    // A virtual thread (Java 21) has no name unless given one; on Java 17 a thread named "" stands in.
    List<LogRecord> stored = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("test.jul.nameless");
    logger.setUseParentHandlers(false);
    HeartlogHandler handler = new HeartlogHandler();
    logger.addHandler(handler);
    HeartlogAgent agent = agentStoringInto(stored);
    Thread nameless = new Thread(() -> logger.info("frame rendered"), "");
    try {
      Heartlog.install(agent);
      nameless.start();
      nameless.join();
      agent.flush(Duration.ofSeconds(10));
    } finally {
      logger.removeHandler(handler);
      agent.close();
    }

    assertThat(stored).extracting(LogRecord::message).containsExactly("frame rendered");
    assertThat(stored.get(0).metadata()).containsEntry("thread", "unnamed-" + threadId(nameless));
  }

  @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19's
  private static long threadId(Thread thread) {
    return thread.getId();
  }

  /** An agent whose store is the list: every record it sends ends up there. */
  private static HeartlogAgent agentStoringInto(List<LogRecord> stored) {
    return HeartlogAgent.builder()
        .workerId("jul-worker")
        .transport((Heartbeat h) -> {
          stored.addAll(h.records());
          return DeliveryResult.stored(h.records().size());
        })
        .gpuProbe(GpuProbe.none())
        .shutdownHook(false)
        .noSpool()
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build();
  }
}
