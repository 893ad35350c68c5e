package dev.heartlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appender in a real Log4j 2 (its XML configuration, its thread context), shipping through the
 * agent's JDBC transport to a real PostgreSQL.
 */
@Timeout(60)
class HeartlogAppenderTest {

  @TempDir Path spool;
  private String url;
  private Store store;
  private LoggerContext context;

  @BeforeEach
  void freshStore() {
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
    System.setProperty("heartlog.spool.dir", spool.toString());
    context = new LoggerContext("heartlog-appender-test");
  }

  @AfterEach
  void stopLog4j() {
    context.stop();
    ThreadContext.clearMap();
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    System.clearProperty("heartlog.spool.dir");
  }

  /** Configures the context as a log4j2.xml with this {@code <Heartlog>} element would, again if it ran. */
  private void configure(String heartlogElement) throws IOException {
    String xml = """
        <Configuration status="warn">
          <CustomLevels><CustomLevel name="NOTICE" intLevel="350"/></CustomLevels>
          <Appenders>%s</Appenders>
          <Loggers>
            <Root level="debug"><AppenderRef ref="HEARTLOG"/></Root>
            <Logger name="worker.located" level="debug" includeLocation="true"/>
          </Loggers>
        </Configuration>
        """.formatted(heartlogElement.replace("&", "&amp;"));
    ConfigurationSource source = new ConfigurationSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    XmlConfiguration configuration = new XmlConfiguration(context, source);
    if (context.isStarted()) {
      context.setConfiguration(configuration);   // what a changed log4j2.xml under monitorInterval leads to
    } else {
      context.start(configuration);
    }
  }

  @Test
  void everyEventIsStoredWithItsLevelTaskAndMetadataAndTheLastHeartbeatSaysStopped() throws Exception {
    configure("<Heartlog name=\"HEARTLOG\" workerId=\"log4j-worker\" url=\"" + url + "\" heartbeatIntervalSeconds=\"1\" "
        + "includeLocation=\"true\"/>");
    Logger render = context.getLogger("worker.render");
    ThreadContext.put("task_id", "task-7");
    ThreadContext.put("model", "wan2.1");
    render.info("Loading {} ({} frames)", "wan2.1", 49);
    render.warn(MarkerManager.getMarker("VRAM"), "VRAM nearly full");
    render.error("Generation failed", new IllegalStateException("CUDA out of memory"));
    render.fatal("GPU lost");
    render.log(org.apache.logging.log4j.Level.getLevel("NOTICE"), "between INFO and WARN");
    render.debug("not kept: the agent keeps DEBUG only when asked");
    render.info("Frames so far: {}, \\{} escaped", new StringBuilder("12"));   // formatted at the call: may change
    ThreadContext.clearMap();
    context.getLogger("worker.located").info("with its place");
    Thread nameless = new Thread(() -> render.info("from a thread with no name"), "");   // as a virtual thread has
    nameless.start();
    nameless.join();
    context.getLogger("org.postgresql.Driver").warn("the pipeline's own: left out");

    context.stop();   // as Log4j's shutdown does outside the JVM's exit: the agent sends its last heartbeat
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());

    assertThat(rows("SELECT level || ' ' || message || ' ' || coalesce(task_id, '-') FROM system_logs "
        + "WHERE source_id = 'log4j-worker' ORDER BY seq")).containsExactly(
            "INFO Loading wan2.1 (49 frames) task-7",
            "WARNING VRAM nearly full task-7",
            "ERROR Generation failed task-7",
            "CRITICAL GPU lost task-7",
            "INFO between INFO and WARN task-7",
            "INFO Frames so far: 12, {} escaped task-7",
            "INFO with its place -",
            "INFO from a thread with no name -");
    assertThat(rows("SELECT metadata ->> 'logger' || ' ' || (metadata ->> 'thread') || ' ' || (metadata ->> 'model') "
        + "|| ' ' || (metadata ? 'task_id') FROM system_logs WHERE message LIKE 'Loading%'"))
        .containsExactly("worker.render " + Thread.currentThread().getName() + " wan2.1 false");
    assertThat(rows("SELECT metadata ->> 'thread' FROM system_logs WHERE message = 'from a thread with no name'"))
        .containsExactly("unnamed-" + threadId(nameless));
    assertThat(rows("SELECT metadata ->> 'markers' FROM system_logs WHERE message = 'VRAM nearly full'"))
        .containsExactly("[\"VRAM\"]");
    assertThat(rows("SELECT metadata ->> 'exception' FROM system_logs WHERE message = 'Generation failed'"))
        .singleElement().asString().startsWith("java.lang.IllegalStateException: CUDA out of memory")
        .contains("\tat dev.heartlog.log4j2.HeartlogAppenderTest.");
    assertThat(rows("SELECT (metadata ->> 'class') || '.' || (metadata ->> 'method') FROM system_logs "
        + "WHERE message = 'with its place'"))
        .containsExactly(HeartlogAppenderTest.class.getName() + ".everyEventIsStoredWithItsLevelTaskAndMetadataAndTheLastHeartbeatSaysStopped");
    assertThat(rows("SELECT status FROM workers WHERE id = 'log4j-worker'")).containsExactly("stopped");
  }

  @Test
  void configuredAgainTheAppenderOfTheNewConfigurationCarriesOnWithTheAgent() throws Exception {
    String element = "<Heartlog name=\"HEARTLOG\" workerId=\"log4j-reconfigured\" url=\"" + url + "\" levels=\"%s\"/>";
    configure(element.formatted("INFO"));
    HeartlogAgent first = Heartlog.agent().orElseThrow();
    context.getLogger("worker.render").info("before");

    configure(element.formatted("INFO,worker.render=DEBUG"));   // Log4j starts the new appender, then stops the old
    HeartlogAgent second = Heartlog.agent().orElseThrow();
    context.getLogger("worker.render").debug("after, at DEBUG");
    assertThat(second.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(second).isSameAs(first);
    assertThat(rows("SELECT message || ' ' || session_id FROM system_logs WHERE source_id = 'log4j-reconfigured' ORDER BY seq"))
        .containsExactly("before " + first.sessionId(), "after, at DEBUG " + first.sessionId());
    assertThat(rows("SELECT DISTINCT metadata ? 'class' FROM system_logs WHERE source_id = 'log4j-reconfigured'"))
        .as("no source location unless the appender asks for it").containsExactly("f");
    assertThat(rows("SELECT DISTINCT status FROM worker_heartbeats WHERE worker_id = 'log4j-reconfigured'"))
        .as("no heartbeat said stopped between the two configurations").containsExactly("active");
  }

  private List<String> rows(String sql) throws SQLException {
    return TestDatabase.rows(url, sql);
  }

  @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19's
  private static long threadId(Thread thread) {
    return thread.getId();
  }
}
