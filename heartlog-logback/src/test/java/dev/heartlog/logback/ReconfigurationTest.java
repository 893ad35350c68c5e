package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logback configured again, as a changed logback.xml under {@code scan="true"} or Spring Boot's
 * start does it: the appender's agent carries on, in the same session, with no heartbeat that
 * says "stopped" in between. Only when no appender takes it up is it closed.
 */
@Timeout(60)
class ReconfigurationTest {

  @TempDir Path spool;
  private String url;
  private Store store;
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void freshStore() {
    context.setMDCAdapter(new LogbackMDCAdapter());   // what SLF4J's binding gives the context it makes
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
    System.setProperty("heartlog.spool.dir", spool.toString());
  }

  @AfterEach
  void stopLogback() {
    context.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    System.clearProperty("heartlog.spool.dir");
  }

  private void configure(String worker, String levels) throws JoranException {
    context.reset();   // what Logback does first when it configures again: stops every appender
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    String xml = """
        <configuration>
          <appender name="HEARTLOG" class="dev.heartlog.logback.HeartlogAppender">
            <workerId>%s</workerId>
            <url>%s</url>
            <levels>%s</levels>
          </appender>
          <root level="DEBUG"><appender-ref ref="HEARTLOG"/></root>
        </configuration>
        """.formatted(worker, url.replace("&", "&amp;"), levels);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void configuredAgainTheAppenderCarriesOnWithItsAgentAndTakesTheNewLevels() throws Exception {
    configure("reconfigured", "INFO");
    HeartlogAgent first = Heartlog.agent().orElseThrow();
    context.getLogger("worker.render").info("before");
    context.getLogger("worker.render").debug("not kept at INFO");

    configure("reconfigured", "INFO,worker.render=DEBUG");
    HeartlogAgent second = Heartlog.agent().orElseThrow();
    context.getLogger("worker.render").debug("after, at DEBUG");
    assertThat(second.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(second).isSameAs(first);
    assertThat(second.levels()).hasToString("INFO,worker.render=DEBUG");
    assertThat(rows("SELECT message || ' ' || session_id FROM system_logs WHERE source_id = 'reconfigured' "
        + "AND metadata ->> 'logger' = 'worker.render' ORDER BY seq"))
        .containsExactly("before " + first.sessionId(), "after, at DEBUG " + first.sessionId());
    assertThat(rows("SELECT DISTINCT status FROM worker_heartbeats WHERE worker_id = 'reconfigured'"))
        .as("no heartbeat said stopped between the two configurations").containsExactly("active");

    context.stop();   // and nothing configures Logback again: the agent is closed
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    assertThat(rows("SELECT status || ' ' || session_id FROM worker_heartbeats WHERE worker_id = 'reconfigured' "
        + "ORDER BY received_at DESC LIMIT 1")).containsExactly("stopped " + first.sessionId());
  }

  @Test
  void configuredAgainForAnotherWorkerTheAppenderStartsItsOwnAgentAndTheOldOneStops() throws Exception {
    configure("first-worker", "INFO");
    HeartlogAgent first = Heartlog.agent().orElseThrow();

    configure("second-worker", "INFO");
    HeartlogAgent second = Heartlog.agent().orElseThrow();

    assertThat(second).isNotSameAs(first);
    assertThat(second.workerId()).isEqualTo("second-worker");
    await().atMost(Duration.ofSeconds(20)).until(
        () -> rows("SELECT status FROM workers WHERE id = 'first-worker'").equals(List.of("stopped")));
  }

  private List<String> rows(String sql) throws SQLException {
    return TestDatabase.rows(url, sql);
  }
}
