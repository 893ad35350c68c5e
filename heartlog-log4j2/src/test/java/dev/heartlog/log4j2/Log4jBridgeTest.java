package dev.heartlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.jul.HeartlogHandler;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose java.util.logging goes to Log4j 2 through log4j-jul's bridge (Spring Boot's Log4j
 * 2 starter installs it) and that also has heartlog's JUL handler: each JUL record reached
 * heartlog twice, through the bridge and the Log4j 2 appender, and by the handler. It is stored
 * once.
 */
@Timeout(60)
class Log4jBridgeTest {

  @TempDir Path spool;
  private final Logger root = Logger.getLogger("");
  private final HeartlogHandler handler = new HeartlogHandler();
  private final Log4jBridgeHandler bridge = new Log4jBridgeHandler(false, null, false);
  private String url;
  private LoggerContext context;

  @BeforeEach
  void configureLog4jWithHeartlogsAppender() throws Exception {
    assertThat(Heartlog.agent()).as("no agent installed by another test").isEmpty();
    url = TestDatabase.migratedUrl();
    System.setProperty("heartlog.spool.dir", spool.toString());
    String xml = """
        <Configuration status="warn">
          <Appenders><Heartlog name="HEARTLOG" workerId="jul-bridged" url="%s"/></Appenders>
          <Loggers><Root level="info"><AppenderRef ref="HEARTLOG"/></Root></Loggers>
        </Configuration>
        """.formatted(url.replace("&", "&amp;"));
    // The bridge logs into the context Log4j's LogManager hands out: the default one.
    context = (LoggerContext) LogManager.getContext(false);
    context.setConfiguration(new XmlConfiguration(context,
        new ConfigurationSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))));
    root.addHandler(handler);
  }

  @AfterEach
  void removeThem() {
    root.removeHandler(handler);
    root.removeHandler(bridge);
    context.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> Heartlog.agent().isEmpty());
    System.clearProperty("heartlog.spool.dir");
  }

  @Test
  void withTheBridgeAJulRecordIsStoredOnceThroughLog4j() throws Exception {
    root.addHandler(bridge);   // beside heartlog's handler, as Spring Boot leaves it

    Logger.getLogger("com.example.library").warning("from a library that logs through JUL");
    context.stop();   // the agent's last heartbeat carries what it holds

    assertThat(TestDatabase.rows(url, "SELECT level || ' ' || (metadata ->> 'logger') || ' ' || message FROM system_logs"))
        .containsExactly("WARNING com.example.library from a library that logs through JUL");
  }

  @Test
  void withoutTheBridgeTheJulHandlerStoresIt() throws Exception {
    Logger.getLogger("com.example.library").warning("only through heartlog's handler");
    context.stop();

    assertThat(TestDatabase.rows(url, "SELECT message FROM system_logs")).containsExactly("only through heartlog's handler");
  }
}
