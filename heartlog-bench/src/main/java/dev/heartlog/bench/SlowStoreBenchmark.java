package dev.heartlog.bench;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;

import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reliability scenario 6: the caller's cost of {@code agent.log} while the store answers slowly.
 * {@code healthy}: a real embedded PostgreSQL. {@code locked}: the same, but another session
 * holds an exclusive lock on {@code workers} for 3 s at a time (released for 0.5 s), so each
 * heartbeat waits seconds for the database and batches back up. The ratio locked/healthy is the
 * result; the absolute times depend on the machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SlowStoreBenchmark {

  @Param({"healthy", "locked"})
  public String store;

  private EmbeddedPostgres server;
  private HeartlogAgent agent;
  private Thread locker;
  private volatile boolean running;
  private Path spool;

  @Setup(Level.Trial)
  public void start() throws IOException {
    server = EmbeddedPostgres.builder().start();
    String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
    Store.open(url, null, null).migrate();
    spool = Files.createTempDirectory("heartlog-bench-spool");
    agent = HeartlogAgent.builder()
        .workerId("bench-worker")
        .keepRepeats(true)   // one record logged over and over: counted, the shipper would have nothing to ship
        .transport(JdbcTransport.builder().url(url).build())
        .gpuProbe(GpuProbe.none())
        .heartbeatInterval(Duration.ofSeconds(1))
        .spoolDirectory(spool)
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build();
    running = true;
    if (store.equals("locked")) {
      locker = new Thread(() -> holdLockInCycles(url), "bench-locker");
      locker.setDaemon(true);
      locker.start();
    }
  }

  private void holdLockInCycles(String url) {
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.setAutoCommit(false);
      while (running) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LOCK TABLE workers IN ACCESS EXCLUSIVE MODE");
        }
        Thread.sleep(3_000);
        connection.commit();
        Thread.sleep(500);
      }
    } catch (SQLException | InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Benchmark
  public void logCall() {
    agent.log(dev.heartlog.agent.Level.INFO, "rendered frame of task, 4.2 GB VRAM in use");
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    running = false;
    if (locker != null) {
      locker.join(5_000);
    }
    agent.shutdown(dev.heartlog.agent.WorkerStatus.STOPPED, Duration.ofSeconds(5));
    System.out.println("\n[" + store + "] agent stats after the trial: " + agent.stats());
    server.close();
  }
}
