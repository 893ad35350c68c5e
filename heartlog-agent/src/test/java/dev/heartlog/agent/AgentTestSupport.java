package dev.heartlog.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Agents for tests: no GPU, no shutdown hook, diagnostics captured. */
final class AgentTestSupport {

  private AgentTestSupport() {}

  static HeartlogAgentBuilder agent(Transport transport) {
    return HeartlogAgent.builder()
        .workerId("test-worker")
        .transport(transport)
        .gpuProbe(GpuProbe.none())
        .shutdownHook(false)
        .noSpool()
        .heartbeatInterval(Duration.ofHours(1))
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
