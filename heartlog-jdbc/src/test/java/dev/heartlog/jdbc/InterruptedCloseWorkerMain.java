package dev.heartlog.jdbc;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import java.time.Duration;

/**
 * A worker whose main thread was interrupted (cancelled by its framework, or by a shutdown hook
 * of its own) and that closes its agent on the way out. Arguments: JDBC URL, worker id. Prints
 * whether the thread is still interrupted after {@code close()}.
 */
public final class InterruptedCloseWorkerMain {

  private InterruptedCloseWorkerMain() {}

  public static void main(String[] args) {
    HeartlogAgent agent = HeartlogAgent.builder().workerId(args[1]).transport(JdbcTransport.builder().url(args[0]).build())
        .gpuProbe(GpuProbe.none()).noSpool().heartbeatInterval(Duration.ofMinutes(10)).build();
    agent.log(Level.INFO, "task claimed", null, null);
    agent.log(Level.WARNING, "cancelled: the orchestrator took the task back", null, null);
    Thread.currentThread().interrupt();
    try {
      agent.close();
    } finally {
      System.out.println("interrupted after close: " + Thread.currentThread().isInterrupted());
    }
  }
}
