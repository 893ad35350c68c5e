package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MicrometerMetersTest {

  @Test
  void anAgentRegistersItsMetersOnTheGlobalRegistryWhenMicrometerIsPresent() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = AgentTestSupport.agent(store).workerId("metered").bufferSize(3).maxBuffered(3, Long.MAX_VALUE).build()) {
      store.down.set(true);
      for (int i = 0; i < 5; i++) {
        agent.log(Level.INFO, "record " + i);
      }
      double buffered = registry.get("heartlog.records.buffered").tag("worker", "metered").functionCounter().count();
      double dropped = registry.get("heartlog.records.dropped").tags("worker", "metered", "reason", "buffer_full")
          .functionCounter().count();
      store.down.set(false);
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(buffered).isEqualTo(agent.stats().totalLogsBuffered());
      assertThat(dropped).isEqualTo(2);
      assertThat(registry.get("heartlog.records.sent").tag("worker", "metered").functionCounter().count())
          .isEqualTo(agent.stats().totalSent());
      assertThat(registry.get("heartlog.buffer.records").tag("worker", "metered").gauge().value()).isZero();
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  @Test
  void theRepeatsOfAFloodCountedAreAMeterAndInTheHeartbeat() {
    // A buffer that holds the flood's ten records: with one that held three (above), the count
    // itself could be dropped, and the flush end before a heartbeat carried it.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = AgentTestSupport.agent(store).workerId("metered-repeats").build()) {
      for (int i = 0; i < 25; i++) {
        agent.log(Level.WARNING, "connection refused, retrying");
      }
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(agent.stats().totalRepeatsCounted()).isEqualTo(15);
      assertThat(registry.get("heartlog.records.repeated").tag("worker", "metered-repeats").functionCounter().count())
          .isEqualTo(15);
      assertThat(store.acknowledged.get(store.acknowledged.size() - 1).metadata())
          .containsEntry("total_repeats_counted", 15L);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }
}
