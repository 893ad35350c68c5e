package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.jul.HeartlogHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A worker whose java.util.logging goes to SLF4J through jul-to-slf4j's bridge (Spring Boot
 * installs it) and that also has heartlog's JUL handler, as the README's two sections say to add:
 * each JUL record reaches heartlog twice, through the bridge and the Logback appender, and by
 * the handler. It is stored once.
 */
@Timeout(30)
class JulBridgeTest {

  private final List<LogRecord> stored = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private HeartlogAgent agent;
  private HeartlogHandler handler;

  @BeforeEach
  void installAgentAndJulHandler() {
    // Logback configured, with heartlog's appender, before any record: as in a Spring Boot worker,
    // which installs the bridge once it has configured Logback.
    org.slf4j.LoggerFactory.getILoggerFactory();
    agent = StoringAgent.builder("bridged-worker", stored).build();
    Heartlog.install(agent);
    handler = new HeartlogHandler();
    root.addHandler(handler);
  }

  @AfterEach
  void removeThem() {
    root.removeHandler(handler);
    SLF4JBridgeHandler.uninstall();
    agent.close();
  }

  @Test
  void withTheBridgeAJulRecordIsStoredOnceThroughLogback() {
    SLF4JBridgeHandler.install();   // beside heartlog's handler, as Spring Boot leaves it

    Logger.getLogger("com.example.library").warning("from a library that logs through JUL");
    assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(stored).extracting(LogRecord::message).containsExactly("from a library that logs through JUL");
    assertThat(stored.get(0).metadata()).as("as the Logback appender captured it, with its caller data")
        .containsEntry("class", JulBridgeTest.class.getName()).containsKey("line");
  }

  @Test
  void withoutTheBridgeTheJulHandlerStoresIt() {
    Logger.getLogger("com.example.library").warning("only through heartlog's handler");
    assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(stored).extracting(LogRecord::message).containsExactly("only through heartlog's handler");
  }
}
