package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.HeartbeatScheduler;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.Transport;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heartbeat that fails with an {@link Error} rather than an exception: an OutOfMemoryError
 * when a worker's heap runs short (the heartbeat thread allocates a batch's megabytes at once, so
 * it is often the one that gets it), a NoSuchMethodError from a library of another version on the
 * worker's class path. The agent's thread ended with it, and the worker, still running, sent no
 * heartbeat again: it went stale and its records were never sent. The heartbeat fails instead, and
 * the next one carries its records, on a thread of the agent's own and on a shared scheduler.
 */
@Timeout(60)
class ErrorInAHeartbeatTest {

  private final String url = TestDatabase.migratedUrl();
  @TempDir Path spool;

  @Test
  void anOutOfMemoryErrorFailsOneHeartbeatAndTheNextCarriesItsRecords() throws Exception {
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (JdbcTransport store = JdbcTransport.builder().url(url).build();
        HeartlogAgent agent = agent("short-of-heap", failingOnce(store, "model loaded",
            () -> new OutOfMemoryError("Java heap space")), said).build()) {
      agent.log(Level.INFO, "loading the model", null, null);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored("short-of-heap") == 1);

      agent.log(Level.INFO, "model loaded", null, null);   // the heartbeat that carries it fails with the error
      agent.log(Level.INFO, "frame 1 rendered", null, null);

      await().atMost(Duration.ofSeconds(20)).until(() -> stored("short-of-heap") == 3);
      agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(10));
    }
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("java.lang.OutOfMemoryError: Java heap space");
    assertThat(TestDatabase.single(url, "SELECT status FROM workers WHERE id = 'short-of-heap'")).isEqualTo("stopped");
  }

  @Test
  void onASharedSchedulerALinkageErrorFailsOneHeartbeatAndItsThreadGoesOn() throws Exception {
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(2);
        JdbcTransport store = JdbcTransport.builder().url(url).build();
        HeartlogAgent agent = agent("old-library", failingOnce(store, "task 7 done",
                () -> new NoSuchMethodError("'void com.fasterxml.jackson.core.JsonGenerator.writeStartObject(java.lang.Object, int)'")),
            new ByteArrayOutputStream()).scheduler(scheduler).build()) {
      agent.log(Level.INFO, "claimed task 7", null, null);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored("old-library") == 1);

      agent.log(Level.INFO, "task 7 done", null, null);

      await().atMost(Duration.ofSeconds(20)).until(() -> stored("old-library") == 2);
    }
  }

  private HeartlogAgentBuilder agent(String workerId, Transport transport, ByteArrayOutputStream diagnostics) {
    return HeartlogAgent.builder().workerId(workerId).transport(transport).heartbeatInterval(Duration.ofMillis(300))
        .spoolDirectory(spool).shutdownHook(false).diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
  }

  /** The store, but the first call carrying the record {@code message} fails with {@code error} before it is sent. */
  private static Transport failingOnce(Transport store, String message, Supplier<Error> error) {
    AtomicBoolean failed = new AtomicBoolean();
    return new Transport() {
      @Override
      public DeliveryResult deliver(Heartbeat heartbeat) {
        if (heartbeat.records().stream().anyMatch(r -> r.message().equals(message)) && failed.compareAndSet(false, true)) {
          throw error.get();
        }
        return store.deliver(heartbeat);
      }
    };
  }

  private long stored(String workerId) throws SQLException {
    return Long.parseLong(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE source_id = '" + workerId + "'"));
  }
}
