package dev.heartlog.jdbc;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.jul.HeartlogHandler;
import dev.heartlog.store.GracefulWorker;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * {@link GracefulWorker} logging through {@code java.util.logging}, with an agent of its own:
 * its task finishes in 0.6 s. Arguments: JDBC URL, worker id.
 */
public final class JulGracefulWorkerMain {

  private JulGracefulWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    HeartlogAgent agent = HeartlogAgent.builder().workerId(args[1]).transport(JdbcTransport.builder().url(args[0]).build())
        .gpuProbe(GpuProbe.none()).noSpool().build();
    Heartlog.install(agent);
    Logger.getLogger("").addHandler(new HeartlogHandler());
    Logger log = Logger.getLogger("worker");
    GracefulWorker.run(Duration.ofMillis(600), log::info);
  }
}
