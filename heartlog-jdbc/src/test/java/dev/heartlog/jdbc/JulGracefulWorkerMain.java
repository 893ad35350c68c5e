package dev.heartlog.jdbc;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.jul.HeartlogHandler;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A worker that logs through {@code java.util.logging} and stops gracefully: on SIGTERM its
 * shutdown hook logs, finishes its task (0.6 s) and logs again. Arguments: JDBC URL, worker id.
 * Says "ready" once its hook is registered.
 */
public final class JulGracefulWorkerMain {

  private JulGracefulWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    HeartlogAgent agent = HeartlogAgent.builder().workerId(args[1]).transport(JdbcTransport.builder().url(args[0]).build())
        .gpuProbe(GpuProbe.none()).noSpool().build();
    Heartlog.install(agent);
    Logger.getLogger("").addHandler(new HeartlogHandler());
    Logger log = Logger.getLogger("worker");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("asked to stop, finishing the task");
      try {
        Thread.sleep(Duration.ofMillis(600).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log.info("task finished, exiting");
    }, "graceful-stop"));
    log.info("worker started");
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
