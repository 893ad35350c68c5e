package dev.heartlog.jdbc.faults;

import dev.heartlog.agent.AgentStats;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.SpoolSync;
import dev.heartlog.jdbc.JdbcTransport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process for the kill -9 scenario: logs "record N" once a millisecond with the spool
 * on (sync always) and prints its progress. Arguments: JDBC URL, worker id, spool folder, number
 * of records (0 = until killed).
 */
public final class SpoolingWorkerMain {

  private SpoolingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String workerId = args[1];
    Path spool = Path.of(args[2]);
    long records = Long.parseLong(args[3]);
    HeartlogAgent agent =
        HeartlogAgent.builder()
            .workerId(workerId)
            .transport(JdbcTransport.builder().url(url).connectTimeout(Duration.ofSeconds(1)).build())
            .gpuProbe(GpuProbe.none())
            .heartbeatInterval(Duration.ofMillis(200))
            .maxRetryDelay(Duration.ofMillis(300))
            .spoolDirectory(spool)
            .spoolSync(SpoolSync.ALWAYS, Duration.ofSeconds(1))
            .build();
    System.out.println("session " + agent.sessionId());
    for (long i = 1; records == 0 || i <= records; i++) {
      agent.log(Level.INFO, "record " + i);
      if (i % 20 == 0) {
        AgentStats stats = agent.stats();
        // Records no longer only in memory: spooled to disk, or stored.
        System.out.println("logged " + i + " safe " + (stats.totalLogsBuffered() - stats.currentBufferSize()));
        System.out.flush();
      }
      Thread.sleep(1);
    }
    agent.close();
    System.out.println("done");
  }
}
