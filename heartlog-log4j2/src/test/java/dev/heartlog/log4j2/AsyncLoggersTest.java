package dev.heartlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLogger;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog's appender behind Log4j's asynchronous loggers ({@code <AsyncRoot>}), which hand it
 * each event later, on the Disruptor's thread: a worker's task may have ended, and the next
 * begun, by then. A gate before it holds every event until the last task has ended.
 */
@Timeout(60)
class AsyncLoggersTest {

  @TempDir Path spool;
  private LoggerContext context;

  @AfterEach
  void stopLog4j() {
    GateAppender.open();
    if (context != null) {
      context.stop();
    }
    ThreadContext.clearMap();
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    System.clearProperty("heartlog.spool.dir");
  }

  @Test
  void eachRecordIsFiledUnderTheTaskThatRanWhenItWasLoggedAndCarriesItsThreadContext() throws Exception {
    String url = freshStore();
    String xml = """
        <Configuration status="warn">
          <Appenders><Gate name="GATE"/><Heartlog name="HEARTLOG" workerId="log4j-async" url="%s"/></Appenders>
          <Loggers><AsyncRoot level="info"><AppenderRef ref="GATE"/><AppenderRef ref="HEARTLOG"/></AsyncRoot></Loggers>
        </Configuration>
        """.formatted(url.replace("&", "&amp;"));
    start(new LoggerContext("heartlog-async-loggers-test"), xml);
    HeartlogAgent agent = Heartlog.agent().orElseThrow();
    Logger render = context.getLogger("worker.render");

    GateAppender.close();   // every event waits in the queue until the tasks are over
    for (int i = 0; i < 2_000; i++) {
      agent.startTask("task-" + i);
      ThreadContext.put("frame", Integer.toString(i));
      render.info("rendered task-{}", i);
      agent.endTask();
    }
    ThreadContext.clearMap();
    render.info("between tasks");
    GateAppender.open();
    context.stop();   // drains the asynchronous loggers' queue, then the appender closes the agent
    context = null;
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());

    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = 'log4j-async' "
        + "AND message LIKE 'rendered %'")).isEqualTo("2000");
    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = 'log4j-async' "
        + "AND message LIKE 'rendered %' AND (task_id IS DISTINCT FROM substr(message, 10) "
        + "OR metadata ->> 'frame' IS DISTINCT FROM substr(message, 15))"))
        .as("records filed under another task than theirs, or with another's thread context").isEqualTo("0");
    assertThat(TestDatabase.single(url, "SELECT coalesce(task_id, 'none') FROM system_logs "
        + "WHERE source_id = 'log4j-async' AND message = 'between tasks'")).isEqualTo("none");
  }

  /**
   * All loggers asynchronous (the context Log4j's {@code AsyncLoggerContextSelector} makes), with
   * the call's source asked for: Log4j finds it at the call only for an appender that says it
   * needs it, and before the appender said so no record had a class, method or line.
   */
  @Test
  void behindAllAsyncLoggersARecordCarriesTheSourceOfItsCall() throws Exception {
    String url = freshStore();
    String xml = """
        <Configuration status="warn">
          <Appenders><Heartlog name="HEARTLOG" workerId="log4j-all-async" url="%s" includeLocation="true"/></Appenders>
          <Loggers><Root level="info" includeLocation="true"><AppenderRef ref="HEARTLOG"/></Root></Loggers>
        </Configuration>
        """.formatted(url.replace("&", "&amp;"));
    start(new AsyncLoggerContext("heartlog-all-async-test"), xml);
    Logger render = context.getLogger("worker.render");
    assertThat(render).isInstanceOf(AsyncLogger.class);

    render.info("frame rendered");
    context.stop();
    context = null;
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());

    assertThat(TestDatabase.rows(url, "SELECT message || ' ' || (metadata ->> 'class') || '.' || (metadata ->> 'method') "
        + "FROM system_logs WHERE source_id = 'log4j-all-async'"))
        .containsExactly("frame rendered " + AsyncLoggersTest.class.getName()
            + ".behindAllAsyncLoggersARecordCarriesTheSourceOfItsCall");
  }

  /** A new, migrated database for the test's agent, whose spool goes into the test's folder. */
  private String freshStore() {
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    String url = TestDatabase.migratedUrl();
    System.setProperty("heartlog.spool.dir", spool.toString());
    return url;
  }

  /** Starts {@code loggers} on the configuration {@code xml}, as a log4j2.xml would. */
  private void start(LoggerContext loggers, String xml) throws IOException {
    context = loggers;
    context.start(new XmlConfiguration(context,
        new ConfigurationSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))));
  }
}
