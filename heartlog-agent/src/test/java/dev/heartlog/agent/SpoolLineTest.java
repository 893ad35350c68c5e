package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class SpoolLineTest {

  private static final Instant AT = Instant.parse("2026-11-27T22:00:00.000001Z");

  private static Batch batchOf(String... messages) {
    List<LogRecord> records = new ArrayList<>();
    long seq = 0;
    for (String message : messages) {
      records.add(new LogRecord(AT, ++seq, Level.ERROR, message, "render-7",
          Map.of("logger", "gpu", "attempt", 2L, "ratio", 0.5, "ok", false, "frames", List.of(1L, 2L))));
    }
    return Batch.of("session-1", 42, records, records);
  }

  /** The line without its newline, as the spool hands it to {@link SpoolLine#decode}. */
  private static byte[] withoutNewline(byte[] line) {
    return Arrays.copyOf(line, line.length - 1);
  }

  @Test
  void aBatchComesBackAsItWasSent() {
    Batch sent = batchOf("CUDA out of memory: 1.2 GiB needed – ünïcödé ✓", "second");

    byte[] line = SpoolLine.encode(sent);
    Batch read = SpoolLine.decode(withoutNewline(line));

    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    assertThat(read.sessionId()).isEqualTo("session-1");
    assertThat(read.sequence()).isEqualTo(42);
    assertThat(read.bufferedCount()).isEqualTo(2);
    assertThat(read.logsJson()).isEqualTo(sent.logsJson());
    assertThat(read.records()).extracting(LogRecord::message)
        .containsExactly("CUDA out of memory: 1.2 GiB needed – ünïcödé ✓", "second");
    LogRecord first = read.records().get(0);
    assertThat(first.timestamp()).isEqualTo(AT);
    assertThat(first.level()).isEqualTo(Level.ERROR);
    assertThat(first.taskId()).isEqualTo("render-7");
    assertThat(first.metadata()).containsEntry("attempt", 2L).containsEntry("ratio", 0.5)
        .containsEntry("ok", false).containsEntry("frames", List.of(1L, 2L));
  }

  @Test
  void numbersComeBackAsTheSameNumbersThoughNoLongOrDoubleHoldsThem() {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("loss", 0.1f);
    metadata.put("seed", java.math.BigInteger.TWO.pow(100));
    metadata.put("price", new java.math.BigDecimal("0.1000000000000000055511151231257827"));
    metadata.put("huge", new java.math.BigDecimal("1E+400"));
    List<LogRecord> records = List.of(new LogRecord(AT, 1, Level.INFO, "epoch done", null, metadata));
    Batch sent = Batch.of("session-1", 1, records, records);

    Batch read = SpoolLine.decode(withoutNewline(SpoolLine.encode(sent)));

    assertThat(read).as("the line was read back").isNotNull();
    // A batch read back is written again when it is split to fit a heartbeat.
    assertThat(RecordJson.logsArray(read.records())).isEqualTo(sent.logsJson());
    assertThat(read.records().get(0).metadata()).containsEntry("loss", 0.1).containsEntry("seed", java.math.BigInteger.TWO.pow(100))
        .containsEntry("price", new java.math.BigDecimal("0.1000000000000000055511151231257827"))
        .containsEntry("huge", new java.math.BigDecimal("1E+400"));
  }

  @Test
  void aLineWithAWrongChecksumOrNoBatchInItIsRefused() {
    byte[] line = withoutNewline(SpoolLine.encode(batchOf("kept")));
    line[line.length - 3] ^= 1;
    assertThat(SpoolLine.decode(line)).isNull();

    // The checksum matches, but the JSON is not a batch: refused, not thrown.
    byte[] json = "{\"session_id\":\"s\"}".getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(json);
    byte[] prefix = String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
    byte[] notABatch = new byte[prefix.length + json.length];
    System.arraycopy(prefix, 0, notABatch, 0, prefix.length);
    System.arraycopy(json, 0, notABatch, prefix.length, json.length);
    assertThat(SpoolLine.decode(notABatch)).isNull();
    assertThat(SpoolLine.decode("short".getBytes(StandardCharsets.US_ASCII))).isNull();
  }

  @Test
  void aDamagedLineCountsAsTheRecordsItHeld() {
    byte[] line = withoutNewline(SpoolLine.encode(batchOf("a", "b", "c")));
    line[12] ^= 1;

    assertThat(SpoolLine.decode(line)).isNull();
    assertThat(SpoolLine.recordsIn(line)).isEqualTo(3);
    assertThat(SpoolLine.recordsIn("garbage".getBytes(StandardCharsets.US_ASCII))).as("at least one").isEqualTo(1);
  }
}
