package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that logs through the Log4j API ({@code LogManager.getLogger}), with log4j-to-slf4j in
 * place of log4j-core: its records reach heartlog's Logback appender, its {@code ThreadContext}
 * as the MDC, so that the task it names files them.
 */
@Timeout(30)
class Log4jApiTest {

  private final List<LogRecord> stored = new CopyOnWriteArrayList<>();
  private HeartlogAgent agent;

  @BeforeEach
  void installAgent() {
    agent = StoringAgent.builder("log4j-worker", stored).build();
    Heartlog.install(agent);
  }

  @AfterEach
  void closeAgent() {
    ThreadContext.clearAll();
    agent.close();
  }

  @Test
  void recordsOfTheLog4jApiCarryTheirTaskMarkerAndException() {
    Logger log = LogManager.getLogger("worker.render");
    ThreadContext.put("task_id", "log4j-task");
    ThreadContext.put("model", "wan2.1");
    log.info("frame {} of {}", 3, 24);
    log.warn(MarkerManager.getMarker("GPU"), "VRAM above 90%");
    log.error("render failed", new IllegalStateException("CUDA out of memory"));
    ThreadContext.clearAll();
    log.info("idle");
    agent.flush(Duration.ofSeconds(10));

    assertThat(stored).extracting(LogRecord::level, LogRecord::taskId, LogRecord::message).containsExactly(
        tuple(Level.INFO, "log4j-task", "frame 3 of 24"),
        tuple(Level.WARNING, "log4j-task", "VRAM above 90%"),
        tuple(Level.ERROR, "log4j-task", "render failed"),
        tuple(Level.INFO, null, "idle"));
    assertThat(stored.get(0).metadata()).containsEntry("model", "wan2.1").containsEntry("logger", "worker.render");
    assertThat(stored.get(1).metadata()).containsEntry("markers", List.of("GPU"));
    assertThat(stored.get(2).metadata().get("exception").toString())
        .startsWith("java.lang.IllegalStateException: CUDA out of memory");
  }
}
