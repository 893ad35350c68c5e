package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog's appender behind Logback's AsyncAppender, which hands it each event later, on a
 * thread of its own: a worker's task may have ended (and the next begun) by then.
 */
@Timeout(60)
class AsyncAppenderTest {

  @TempDir Path spool;
  private String url;
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void configure() throws JoranException {
    context.setMDCAdapter(new LogbackMDCAdapter());
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    url = TestDatabase.migratedUrl();
    System.setProperty("heartlog.spool.dir", spool.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    String xml = """
        <configuration>
          <appender name="HEARTLOG" class="dev.heartlog.logback.HeartlogAppender">
            <workerId>async-worker</workerId>
            <url>%s</url>
            <includeCallerData>true</includeCallerData>
          </appender>
          <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
            <neverBlock>true</neverBlock>
            <discardingThreshold>0</discardingThreshold>
            <queueSize>100000</queueSize>
            <includeCallerData>true</includeCallerData>
            <appender-ref ref="HEARTLOG"/>
          </appender>
          <root level="INFO"><appender-ref ref="ASYNC"/></root>
        </configuration>
        """.formatted(url.replace("&", "&amp;"));
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void stopLogback() {
    context.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    System.clearProperty("heartlog.spool.dir");
  }

  @Test
  void eachRecordIsFiledUnderTheTaskThatRanWhenItWasLogged() throws SQLException {
    HeartlogAgent agent = Heartlog.agent().orElseThrow();
    for (int i = 0; i < 2_000; i++) {
      agent.startTask("task-" + i);
      context.getLogger("worker.render").info("rendered task-{}", i);
      agent.endTask();
    }
    context.getLogger("worker.render").info("between tasks");
    ((ch.qos.logback.classic.AsyncAppender) context.getLogger("ROOT").getAppender("ASYNC")).stop();   // drains its queue
    assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();

    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = 'async-worker' "
        + "AND message LIKE 'rendered %'")).isEqualTo("2000");
    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = 'async-worker' "
        + "AND message LIKE 'rendered %' AND task_id IS DISTINCT FROM substr(message, 10)"))
        .as("records filed under another task than theirs").isEqualTo("0");
    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = 'async-worker' "
        + "AND message LIKE 'rendered %' AND metadata ->> 'class' = '" + AsyncAppenderTest.class.getName() + "'"))
        .as("caller data, which the AsyncAppender took on the logging thread").isEqualTo("2000");
    assertThat(TestDatabase.single(url, "SELECT coalesce(task_id, 'none') FROM system_logs "
        + "WHERE source_id = 'async-worker' AND message = 'between tasks'")).isEqualTo("none");
  }
  @Test
  void aFloodOfOneThreadIsCountedOnTheAsyncAppendersThread() throws SQLException {
    HeartlogAgent agent = Heartlog.agent().orElseThrow();
    for (int i = 0; i < 1_000; i++) {
      context.getLogger("worker.uploads").warn("connection to redis:6379 refused, retrying");
    }
    context.getLogger("worker.uploads").info("connected");
    ((ch.qos.logback.classic.AsyncAppender) context.getLogger("ROOT").getAppender("ASYNC")).stop();   // drains its queue
    assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();

    String worker = "SELECT %s FROM system_logs WHERE source_id = 'async-worker' ";
    String retrying = "'connection to redis:6379 refused, retrying'";
    String counts = "message = 'repeated ' || (metadata ->> 'repeated') || ' more times: ' || " + retrying;
    assertThat(TestDatabase.single(url, worker.formatted("count(*)") + "AND message = " + retrying)).isEqualTo("10");
    // A heartbeat during the flood sends the count so far: one count or a few, adding up to all.
    assertThat(TestDatabase.single(url, worker.formatted("sum((metadata ->> 'repeated')::bigint)") + "AND " + counts))
        .isEqualTo("990");
    assertThat(TestDatabase.single(url, worker.formatted("string_agg(message, ' | ' ORDER BY id)")
        + "AND (" + counts + ") IS NOT TRUE AND id > (" + worker.formatted("min(id)") + "AND " + counts + ")"))
        .as("what follows the first count").isEqualTo("connected");
  }
}
