package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a round cuts batches into the spool, and what a drop at full memory is said to be. */
@Timeout(30)
class OutboxTest {

  private static final int CAPACITY = 10_000;

  @TempDir Path folder;

  private final Drops drops = new Drops();
  private final Diagnostics diagnostics =
      new Diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC());
  // Batches of 1,000 records at most, the default.
  private final AgentConfig config = AgentTestSupport.agent(new RecordingTransport()).config();
  private final LogBuffer buffer = new LogBuffer(100, CAPACITY, Long.MAX_VALUE, () -> {}, drops);
  private BatchQueue queue;

  @AfterEach
  void closeQueue() {
    if (queue != null) {
      queue.close();
    }
  }

  private Outbox outbox(BatchQueue queue, Duration maxCutTime) {
    this.queue = queue;
    return new Outbox(config, buffer, queue, drops, "session-1", maxCutTime);
  }

  private Spool spool(long maxBytes) throws IOException {
    return Spool.open(folder, maxBytes, SpoolSync.NEVER, Duration.ofSeconds(1), diagnostics, drops);
  }

  private void log(int records) {
    for (int i = 0; i < records; i++) {
      buffer.offer(Instant.EPOCH, Level.INFO, "record " + i, null, Map.of());
    }
  }

  @Test
  void aRoundCutsEveryWholeBatchWaitingIntoTheSpoolSoMemoryIsFreeForABurst() throws IOException {
    Outbox outbox = outbox(spool(256L << 20), Duration.ofMinutes(1));
    log(9_500);

    outbox.cutDue(false);

    assertThat(queue.pendingBatches()).isEqualTo(9);
    assertThat(buffer.held()).as("what is left is less than a batch, sent at the next round").isEqualTo(500);
  }

  @Test
  void aRoundOutOfCuttingTimeStillCutsOneBatchAndThenSends() throws IOException {
    Outbox outbox = outbox(spool(256L << 20), Duration.ZERO);
    log(9_500);

    outbox.cutDue(false);

    assertThat(queue.pendingBatches()).isEqualTo(1);
    assertThat(buffer.held()).isEqualTo(8_500);
  }

  @Test
  void withoutASpoolARoundCutsOneBatchForMemory() {
    Outbox outbox = outbox(new MemoryBatchQueue(), Duration.ofMinutes(1));
    log(9_500);

    outbox.cutDue(false);

    assertThat(outbox.oldest().records()).hasSize(1_000);
    assertThat(buffer.size()).isEqualTo(8_500);
  }

  @Test
  void recordsThatFindMemoryFullWhileTheSpoolTakesBatchesAreReportedAsABurst() throws IOException {
    outbox(spool(256L << 20), Duration.ofMinutes(1));
    log(CAPACITY + 3);

    assertThat(drops.takeUnreported()).containsExactly(Map.entry(Drops.Reason.BURST, 3L));
  }

  @Test
  void recordsThatFindMemoryFullOnceTheSpoolRefusesAreReportedAsMemoryAndSpoolFull() throws IOException {
    Outbox outbox = outbox(spool(100), Duration.ofMinutes(1));
    log(CAPACITY);
    outbox.cutDue(false);  // the spool has no room for the batch: it waits in memory
    log(3);

    assertThat(drops.takeUnreported()).containsExactly(Map.entry(Drops.Reason.BUFFER_FULL, 3L));
  }

  @Test
  void recordsThatFindMemoryFullWithoutASpoolAreReportedAsMemoryAndSpoolFull() {
    outbox(new MemoryBatchQueue(), Duration.ofMinutes(1));
    log(CAPACITY + 3);

    assertThat(drops.takeUnreported()).containsExactly(Map.entry(Drops.Reason.BUFFER_FULL, 3L));
  }
}
