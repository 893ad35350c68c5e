package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that died while its agent was writing a batch into the spool, the store down: the
 * next start stores the records of that batch that got on disk whole, once, and a drop report for
 * the record that was cut, also where it stops at once. Before, the whole batch was dropped.
 */
@Timeout(60)
class CutShortSpoolTest {

  @TempDir Path spool;

  @Test
  void theWholeRecordsOfABatchCutShortReachTheStoreOnceAndTheCutOneIsReported() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    Map<String, String> environment = spoolFiveRecordsTheFifthCut("cut-short", said);

    // The store is back: the next start sends what got on disk whole, and the report of the
    // record cut (counted as the spool read the batch, before sending it).
    environment.put("HEARTLOG_DB_URL", url);
    LogFilter ofTheWorker = new LogFilter("cut-short", null, null, null, null, null, 100);
    try (HeartlogAgent agent = agentOf(environment, said)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> store.logs(ofTheWorker).size() >= 4);
    }
    try (HeartlogAgent agent = agentOf(environment, said)) {   // and a third start finds nothing left
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(store.logs(ofTheWorker)).extracting(StoredRecord::message).containsExactlyInAnyOrder(
        "frame 1 rendered", "frame 2 rendered", "frame 3 rendered", "frame 4 rendered",
        "heartlog dropped 1 records: their spooled batch could not be read back");
    // The last batch holds all five unless a heartbeat came while they were logged (it did once,
    // under load): then it holds fewer, frame 5 alone at the least.
    assertThat(said.toString(StandardCharsets.UTF_8)).containsPattern("bytes of a batch cut short .*; "
        + "(4 records in it got on disk whole and are sent, |[1-3] records? in it got on disk whole and (is|are) sent, )?"
        + "1 record (in it )?is lost");
  }

  @Test
  void aStartThatStopsAtOnceSendsThemAndTheReportWithItsLastHeartbeats() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    Map<String, String> environment = spoolFiveRecordsTheFifthCut("cut-short-stop", said);

    // A worker that stops as it starts (a crash loop): the spool is read as its stop sends.
    environment.put("HEARTLOG_DB_URL", url);
    agentOf(environment, said).close();

    assertThat(store.logs(new LogFilter("cut-short-stop", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message).containsExactlyInAnyOrder(
            "frame 1 rendered", "frame 2 rendered", "frame 3 rendered", "frame 4 rendered",
            "heartlog dropped 1 records: their spooled batch could not be read back");
  }

  /**
   * Logs five records while the store is down, so that they wait in the spool, and cuts the
   * spool's segment in the fifth, as if the process had died while writing it.
   *
   * @return the worker's environment, the store still down
   */
  private Map<String, String> spoolFiveRecordsTheFifthCut(String worker, ByteArrayOutputStream said) throws IOException {
    Map<String, String> environment = new HashMap<>(Map.of(
        "HEARTLOG_WORKER_ID", worker,
        "HEARTLOG_DB_URL", "jdbc:postgresql://127.0.0.1:1/down?connectTimeout=1",   // nothing listens there
        "HEARTLOG_SPOOL_DIR", spool.toString(),
        "HEARTLOG_SHUTDOWN_TIMEOUT", "1s"));
    try (HeartlogAgent agent = agentOf(environment, said)) {
      for (int frame = 1; frame <= 5; frame++) {
        agent.log(Level.INFO, "frame " + frame + " rendered");
      }
    }
    Path segment = onlySegment();
    String written = Files.readString(segment, StandardCharsets.UTF_8);
    int fifth = written.indexOf("frame 5 rendered");
    assertThat(fifth).as(written).isPositive();
    try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      file.truncate(written.substring(0, fifth).getBytes(StandardCharsets.UTF_8).length);
    }
    environment.put("HEARTLOG_SHUTDOWN_TIMEOUT", "20s");   // the store will be up: time to send
    return environment;
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> files = Files.walk(spool)) {
      List<Path> segments = files.filter(file -> file.getFileName().toString().matches("segment-\\d+\\.log"))
          .filter(file -> file.toFile().length() > 0).toList();
      assertThat(segments).hasSize(1);
      return segments.get(0);
    }
  }

  private static HeartlogAgent agentOf(Map<String, String> environment, ByteArrayOutputStream said) {
    return AgentEnvironment.of(environment, new Properties()).agentBuilder()
        .gpuProbe(GpuProbe.none())
        .shutdownHook(false)
        .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8))
        .build();
  }
}
