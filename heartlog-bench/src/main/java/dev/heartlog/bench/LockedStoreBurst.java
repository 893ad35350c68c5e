package dev.heartlog.bench;

import static dev.heartlog.bench.BenchDatabase.freshDatabase;
import static dev.heartlog.bench.BenchDatabase.scalar;

import dev.heartlog.agent.HeartbeatScheduler;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.Level;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A burst while the store holds every heartbeat call (RELIABILITY.md, "A call that waits on the
 * store"). Agents with the spool on log a burst while another session holds {@code LOCK TABLE
 * workers}, so each agent's call waits on the lock; then the lock is released and everything is
 * flushed. Memory holds 10,000 records per agent: a burst larger than that is stored whole only if
 * the agents go on cutting records into their spools while their calls wait.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.LockedStoreBurst
 * own|shared [agents=4] [records each=20000] [lock seconds=20]}: {@code own}, each agent on a
 * thread of its own; {@code shared}, all on one {@link HeartbeatScheduler} of 2 threads.
 */
public final class LockedStoreBurst {

  private static final int SCHEDULER_THREADS = 2;
  private static final String PADDING = "x".repeat(100);

  private LockedStoreBurst() {}

  public static void main(String[] args) throws Exception {
    boolean shared = args.length > 0 && args[0].equals("shared");
    int agentCount = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int recordsEach = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int lockSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Path spools = Files.createTempDirectory("heartlog-locked-burst");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        HeartbeatScheduler scheduler = HeartbeatScheduler.create(SCHEDULER_THREADS)) {
      String admin = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      String url = freshDatabase(admin, "locked_burst");
      Store.open(url, null, null).migrate();
      System.out.printf(Locale.ROOT, "PostgreSQL %s; %d agents %s, %,d records each, calls held %d s%n",
          scalar(admin, "SHOW server_version"), agentCount,
          shared ? "on one scheduler of " + SCHEDULER_THREADS + " threads" : "on threads of their own",
          recordsEach, lockSeconds);

      List<HeartlogAgent> agents = new ArrayList<>();
      for (int i = 0; i < agentCount; i++) {
        HeartlogAgentBuilder agent = HeartlogAgent.builder()
            .workerId("locked-" + i)
            .transport(JdbcTransport.builder().url(url).build())
            .spoolDirectory(spools.resolve("worker-" + i))
            .shutdownHook(false)
            .diagnostics(quiet);
        agents.add((shared ? agent.scheduler(scheduler) : agent).build());
      }
      agents.forEach(agent -> agent.log(Level.INFO, "before the lock"));
      agents.forEach(agent -> agent.flush(Duration.ofSeconds(10)));

      try (Connection locker = DriverManager.getConnection(url)) {
        locker.setAutoCommit(false);
        locker.createStatement().execute("LOCK TABLE workers IN ACCESS EXCLUSIVE MODE");
        agents.forEach(agent -> agent.log(Level.INFO, "the first record under the lock"));
        agents.forEach(agent -> agent.flush(Duration.ofMillis(1)));
        Thread.sleep(500); // every agent's call now waits on the lock
        long start = System.nanoTime();
        for (int n = 0; n < recordsEach; n++) {
          for (HeartlogAgent agent : agents) {
            agent.log(Level.INFO, "burst record " + n + " " + PADDING);
          }
          if (n % 10 == 9) {
            Thread.sleep(1); // about 10,000 records a second per agent
          }
        }
        double burstSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "burst of %,d records in %.1f s%n", (long) recordsEach * agentCount, burstSeconds);
        Thread.sleep(Math.max(0, lockSeconds * 1000L - (long) (burstSeconds * 1000)));
        locker.rollback();
      }

      long dropped = 0;
      for (HeartlogAgent agent : agents) {
        agent.flush(Duration.ofSeconds(120));
        dropped += agent.stats().totalDropped();
        agent.close();
      }
      String stored = scalar(url, "SELECT count(*) FROM system_logs WHERE message LIKE 'burst record %'");
      System.out.printf(Locale.ROOT, "%s: burst %,d, dropped by the agents %,d, stored %,d%n",
          shared ? "shared" : "own", (long) recordsEach * agentCount, dropped, Long.parseLong(stored));
    }
  }
}
