package dev.heartlog.logback;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.LogRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An agent for the appender's tests whose store is a list: every record it delivers is added to
 * {@code stored}. No GPU, no spool, no shutdown hook, its own messages kept quiet.
 */
final class StoringAgent {

  private StoringAgent() {}

  static HeartlogAgentBuilder builder(String workerId, List<LogRecord> stored) {
    return HeartlogAgent.builder().workerId(workerId)
        .transport(heartbeat -> {
          stored.addAll(heartbeat.records());
          return DeliveryResult.stored(heartbeat.records().size());
        })
        .gpuProbe(GpuProbe.none()).shutdownHook(false).noSpool()
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
