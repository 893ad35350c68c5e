package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path folder;

  private final Drops drops = new Drops();
  private final ByteArrayOutputStream said = new ByteArrayOutputStream();
  private final Diagnostics diagnostics = new Diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8), Clock.systemUTC());

  private Spool open(long maxBytes) throws IOException {
    return Spool.open(folder, maxBytes, SpoolSync.ALWAYS, Duration.ofSeconds(1), diagnostics, drops);
  }

  private static Batch batch(String session, long sequence, String... messages) {
    List<LogRecord> records = new ArrayList<>();
    long seq = sequence * 100;
    for (String message : messages) {
      records.add(new LogRecord(Instant.parse("2026-11-27T22:00:00.000001Z"), ++seq, Level.WARNING, message, "t-1",
          Map.of("logger", "x", "nested", Map.of("depth", 2L))));
    }
    return Batch.of(session, sequence, records, List.of());
  }

  @Test
  void batchesComeBackInOrderWithTheirSessionNumberAndRecords() throws IOException {
    try (Spool spool = open(1 << 20)) {
      assertThat(spool.append(batch("s1", 1, "a", "b"))).isTrue();
      assertThat(spool.append(batch("s1", 2, "c"))).isTrue();

      Batch first = spool.peek();
      assertThat(first.sessionId()).isEqualTo("s1");
      assertThat(first.sequence()).isEqualTo(1);
      assertThat(first.records()).extracting(LogRecord::message).containsExactly("a", "b");
      assertThat(first.records().get(0).metadata()).isEqualTo(Map.of("logger", "x", "nested", Map.of("depth", 2L)));
      assertThat(first.logsJson()).isEqualTo(batch("s1", 1, "a", "b").logsJson());
      assertThat(spool.peek()).isSameAs(first);

      spool.ack(first);
      assertThat(spool.peek().sequence()).isEqualTo(2);
      assertThat(spool.pendingBatches()).isEqualTo(2 - 1);
    }
  }

  @Test
  void theNextProcessReplaysWhatWasNotAcknowledged() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("old", 1, "a"));
      spool.append(batch("old", 2, "b"));
      spool.append(batch("old", 3, "c"));
      spool.ack(spool.peek());
    }

    try (Spool reopened = open(1 << 20)) {
      assertThat(reopened.pendingBatches()).isEqualTo(2);
      reopened.append(batch("new", 1, "d"));
      List<String> order = new ArrayList<>();
      for (Batch b = reopened.peek(); b != null; b = reopened.peek()) {
        order.add(b.sessionId() + "/" + b.sequence());
        reopened.ack(b);
      }
      assertThat(order).containsExactly("old/2", "old/3", "new/1");
    }
  }

  @Test
  void aLineTornByACrashIsSkippedAndTheRestReplayed() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "kept"));
    }
    Path segment = segments().get(0);
    Files.write(segment, "0badc0de {\"session_id\":\"s1\",\"batch_seq\":2,\"lo".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);

    try (Spool reopened = open(1 << 20)) {
      assertThat(reopened.peek().records()).extracting(LogRecord::message).containsExactly("kept");
      reopened.ack(reopened.peek());
      assertThat(reopened.peek()).isNull();
    }
  }

  /** The spool line of {@code batch}, its newline too. */
  private static String lineOf(Batch batch) {
    return new String(SpoolLine.encode(batch), StandardCharsets.UTF_8);
  }

  /** A spool whose earlier process wrote a batch "kept", then died writing its next batch: {@code cutShort} on disk. */
  private void keptThenCutShort(byte[] cutShort) throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "kept"));
    }
    Files.write(segments().get(0), cutShort, StandardOpenOption.APPEND);
  }

  /** Opens that spool again and acknowledges "kept", then what it sends of the batch cut short: returned. */
  private Batch salvagedAfterKept() throws IOException {
    try (Spool reopened = open(1 << 20)) {
      reopened.ack(reopened.peek());
      Batch salvaged = reopened.peek();
      if (salvaged != null) {
        reopened.ack(salvaged);
      }
      return salvaged;
    }
  }

  @Test
  void theRecordsOfABatchCutShortThatGotOnDiskWholeAreSentAsThatBatch() throws IOException {
    // The batch the process before was writing when it died: two of its three records on disk.
    String line = lineOf(batch("s1", 2, "a", "b", "c"));
    String cut = line.substring(0, line.lastIndexOf(",{\"seq\""));
    keptThenCutShort(cut.getBytes(StandardCharsets.UTF_8));

    try (Spool reopened = open(1 << 20)) {
      reopened.ack(reopened.peek());
      Batch salvaged = reopened.peek();
      assertThat(salvaged.sessionId()).isEqualTo("s1");
      assertThat(salvaged.sequence()).as("its own number: the store stores it once").isEqualTo(2);
      assertThat(salvaged.records()).extracting(LogRecord::message).containsExactly("a", "b");
      assertThat(salvaged.logsJson()).as("as written").isEqualTo(batch("s1", 2, "a", "b").logsJson());
      assertThat(reopened.pendingBatches()).isEqualTo(1);

      reopened.ack(salvaged);
      assertThat(reopened.peek()).isNull();
      assertThat(reopened.pendingBatches()).isZero();
      assertThat(segments()).as("the old segment went with its last batch's ack; this process's is left").hasSize(1);
    }
    assertThat(drops.takeUnreported()).isEmpty();
    assertThat(said()).contains("ends in " + cut.length() + " bytes of a batch cut short",
        "2 records in it got on disk whole and are sent");
  }

  @Test
  void aRecordCutInItsMiddleIsCountedAsDroppedAndTheWholeOnesBeforeItAreSent() throws IOException {
    String line = lineOf(batch("s1", 2, "a", "b", "c\u00e9 du dernier"));
    byte[] upToTheAccent = line.substring(0, line.indexOf("\u00e9") + 1).getBytes(StandardCharsets.UTF_8);
    keptThenCutShort(Arrays.copyOf(upToTheAccent, upToTheAccent.length - 1));   // the cut inside its two bytes

    assertThat(salvagedAfterKept().records()).extracting(LogRecord::message).containsExactly("a", "b");
    assertThat(drops.takeUnreported()).containsEntry(Drops.Reason.SPOOL_UNREADABLE, 1L);
    assertThat(said()).contains("2 records in it got on disk whole and are sent, 1 record is lost");
  }

  @Test
  void zerosAPowerLossLeftInTheMiddleOfABatchEndWhatIsRead() throws IOException {
    String line = lineOf(batch("s1", 2, "a", "b", "c", "d"));
    byte[] written = line.substring(0, line.length() - 1).getBytes(StandardCharsets.UTF_8);   // all but its newline
    Arrays.fill(written, line.indexOf("\"message\":\"c\""), written.length, (byte) 0);
    keptThenCutShort(written);

    assertThat(salvagedAfterKept().records()).extracting(LogRecord::message).containsExactly("a", "b");
    assertThat(drops.takeUnreported()).as("c was cut; d never got on disk")
        .containsEntry(Drops.Reason.SPOOL_UNREADABLE, 1L);
  }

  @Test
  void aBatchCutShortBeforeItsFirstWholeRecordIsCountedAsDroppedAndSaid() throws IOException {
    String line = lineOf(batch("s1", 2, "a", "b"));
    String cut = line.substring(0, line.indexOf("\"message\":\"a\""));
    keptThenCutShort(cut.getBytes(StandardCharsets.UTF_8));

    assertThat(salvagedAfterKept()).isNull();
    assertThat(drops.takeUnreported()).containsEntry(Drops.Reason.SPOOL_UNREADABLE, 1L);
    assertThat(said()).contains("ends in " + cut.length() + " bytes of a batch cut short", "1 record in it is lost");
  }

  @Test
  void aSalvagedBatchNotAcknowledgedIsSentAgainByTheNextProcess() throws IOException {
    String line = lineOf(batch("s1", 2, "a", "b"));
    keptThenCutShort(line.substring(0, line.length() - 3).getBytes(StandardCharsets.UTF_8));   // all but "]}\n"

    try (Spool reopened = open(1 << 20)) {
      reopened.ack(reopened.peek());
      assertThat(reopened.peek().records()).extracting(LogRecord::message).containsExactly("a", "b");
    }
    try (Spool again = open(1 << 20)) {
      Batch salvaged = again.peek();
      assertThat(salvaged.sequence()).isEqualTo(2);
      assertThat(salvaged.records()).extracting(LogRecord::message).containsExactly("a", "b");
    }
  }

  @Test
  void zerosWherePowerLossLostTheLastWritesAreSaidAndNoRecordCounted() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "lost"));
    }
    Files.write(segments().get(0), new byte[4096]);

    try (Spool reopened = open(1 << 20)) {
      assertThat(reopened.peek()).isNull();
    }
    assertThat(drops.takeUnreported()).isEmpty();
    assertThat(said()).contains("ends in 4096 bytes of a batch cut short", "no record in it could be read");
  }

  @Test
  void filesOfASegmentsNameThatHeartlogDidNotWriteAreLeftAndTheSpoolStillReplays() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "kept"));
    }
    // Each of these made the whole spool unusable: records waited in memory only, and "kept"
    // stayed on disk, not replayed.
    Path folderNamedSo = Files.createDirectory(folder.resolve("segment-0000000000000005.log"));
    Path hexName = Files.writeString(folder.resolve("segment-00000000000000aa.log"), "x\n");
    Path pastALong = Files.writeString(folder.resolve("segment-99999999999999999999.log"), "x\n");

    try (Spool reopened = open(1 << 20)) {
      assertThat(reopened.peek().records()).extracting(LogRecord::message).containsExactly("kept");
    }
    assertThat(List.of(folderNamedSo, hexName, pastALong)).allSatisfy(path -> assertThat(path).exists());
    assertThat(said()).contains("segment-0000000000000005.log, which is no segment heartlog wrote; left as it is",
        "segment-00000000000000aa.log, which", "segment-99999999999999999999.log, which");
  }

  @Test
  void aDamagedLineIsSkippedAndCountedAsADrop() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "damaged"));
      spool.append(batch("s1", 2, "fine"));
    }
    Path segment = segments().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[20] ^= 1;
    Files.write(segment, bytes);

    try (Spool reopened = open(1 << 20)) {
      assertThat(reopened.peek().records()).extracting(LogRecord::message).containsExactly("fine");
    }
    assertThat(drops.takeUnreported()).containsEntry(Drops.Reason.SPOOL_UNREADABLE, 1L);
  }

  @Test
  void theSizeBoundRefusesBatchesAndAnAckMakesRoomAgain() throws IOException {
    long oneBatch = SpoolLine.encode(batch("s1", 1, "x".repeat(1000))).length;
    try (Spool spool = open(oneBatch * 2)) {
      assertThat(spool.append(batch("s1", 1, "x".repeat(1000)))).isTrue();
      assertThat(spool.append(batch("s1", 2, "x".repeat(1000)))).isTrue();
      assertThat(spool.append(batch("s1", 3, "x".repeat(1000)))).isFalse();
      assertThat(spool.canAccept()).isFalse();
    }
  }

  @Test
  void segmentNamesAreInAsciiDigitsOnAMachineWhoseLocaleWritesOthers() throws IOException {
    Locale machines = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("ar-EG"));   // String.format("%d") writes Arabic-Indic digits there
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "a"));
    } finally {
      Locale.setDefault(machines);
    }

    assertThat(segments()).extracting(path -> path.getFileName().toString())
        .containsExactly("segment-0000000000000000.log");
  }

  @Test
  void fullyAcknowledgedSegmentsAreDeleted() throws IOException {
    try (Spool spool = open(1 << 20)) {
      spool.append(batch("s1", 1, "a"));
    }
    try (Spool reopened = open(1 << 20)) {
      reopened.ack(reopened.peek());
      assertThat(reopened.peek()).isNull();
      assertThat(segments()).hasSize(1);
    }
  }

  @Test
  void aFullyAcknowledgedActiveSegmentGivesItsSpaceBack() throws IOException {
    long oneBatch = SpoolLine.encode(batch("s1", 1, "x".repeat(1000))).length;
    try (Spool spool = open(oneBatch * 2)) {
      for (long i = 1; i <= 10; i++) {
        assertThat(spool.append(batch("s1", i, "x".repeat(1000)))).as("batch " + i).isTrue();
        spool.ack(spool.peek());
      }
      assertThat(Files.size(segments().get(0))).isZero();
    }
  }

  @Test
  void aSecondProcessCannotUseTheSameSpool() throws IOException {
    try (Spool spool = open(1 << 20)) {
      assertThatThrownBy(() -> open(1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
  }

  private String said() {
    return said.toString(StandardCharsets.UTF_8);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }
}
