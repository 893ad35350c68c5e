package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4: the spool's folder runs out of space (a real 512 KiB tmpfs) while the store is
 * unreachable and two threads log 10,000 records, half DEBUG, half INFO. Memory (6,000 records)
 * fills too, so records are dropped: every drop is counted and reported, and since fewer records
 * are dropped than DEBUG records were logged, every INFO record survives: DEBUG goes first. The
 * logging threads carry on unaffected. Needs root to mount the tmpfs, as CI has.
 */
class SpoolDiskFullScenarioTest {

  private static final int THREADS = 2;
  private static final int PER_THREAD = 5_000;

  @TempDir Path folder;
  private Path mountPoint;
  private boolean mounted;

  @BeforeEach
  void mountSmallFilesystem() throws Exception {
    mountPoint = folder.resolve("small-disk");
    Files.createDirectories(mountPoint);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint.toString())
        .redirectErrorStream(true).start();
    mounted = mount.waitFor() == 0;
    Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root: "
        + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor();
    }
  }

  @Test
  @Timeout(180)
  void dropsAreCountedReportedAndDebugGoesFirstWhileLoggingThreadsCarryOn() throws Exception {
    String direct = TestDatabase.migratedUrl();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    try (FaultProxy proxy = new FaultProxy(direct)) {
      proxy.refuse(true);
      HeartlogAgent agent =
          HeartlogAgent.builder()
              .workerId("disk-full-worker")
              .transport(JdbcTransport.builder().url(proxy.jdbcUrl()).connectTimeout(Duration.ofSeconds(1)).build())
              .gpuProbe(GpuProbe.none())
              .debug(true)
              .heartbeatInterval(Duration.ofMillis(100))
              .maxRetryDelay(Duration.ofMillis(300))
              .maxBuffered(6_000, 64L * 1024 * 1024)
              .spoolDirectory(mountPoint)
              .shutdownHook(false)
              .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
              .build();
      AtomicLong slowestCallNanos = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          for (int i = 0; i < PER_THREAD; i++) {
            long start = System.nanoTime();
            agent.log(i % 2 == 0 ? Level.DEBUG : Level.INFO, "thread " + thread + " record " + i + " " + "x".repeat(100));
            slowestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (i % 100 == 99) {
              StoreOutageScenarioTest.sleepQuietly(10);
            }
          }
        });
        threads.add(worker);
        worker.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> diagnostics.toString(StandardCharsets.UTF_8).contains("No space left on device"));
      long dropped = agent.stats().totalDropped();

      proxy.refuse(false);
      assertThat(agent.flush(Duration.ofSeconds(60))).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.stats().spooledBatches() == 0);
      agent.close();

      Ledger ledger = Ledger.count("4-spool-disk-full", direct, "disk-full-worker", THREADS * PER_THREAD).assertBalanced();
      long storedInfo = count(direct, "SELECT count(*) FROM system_logs WHERE source_id = 'disk-full-worker' AND level = 'INFO' "
          + "AND metadata->>'heartlog_dropped' IS NULL");
      long storedDebug = count(direct, "SELECT count(*) FROM system_logs WHERE source_id = 'disk-full-worker' AND level = 'DEBUG'");
      Files.writeString(Path.of("target", "reliability", ledger.scenario() + ".txt"), String.format(
          "produced_info=%d stored_info=%d produced_debug=%d stored_debug=%d slowest_log_call_us=%d%n",
          THREADS * PER_THREAD / 2, storedInfo, THREADS * PER_THREAD / 2, storedDebug, slowestCallNanos.get() / 1000),
          StandardOpenOption.APPEND);

      assertThat(dropped).as("the disk and memory were full").isPositive();
      assertThat(ledger.reportedDrops()).isEqualTo(dropped);
      assertThat(storedInfo).as("INFO kept while DEBUG could be dropped instead").isEqualTo(THREADS * PER_THREAD / 2);
      assertThat(storedDebug).isLessThan(THREADS * PER_THREAD / 2);
    }
  }

  private static long count(String url, String sql) throws IOException {
    return Store.open(url, null, null).withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
