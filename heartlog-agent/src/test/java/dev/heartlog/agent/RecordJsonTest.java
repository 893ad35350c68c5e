package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  @Test
  void writesTheWireFormatWithMicrosecondUtcTimestamps() {
    LogRecord record =
        new LogRecord(
            Instant.parse("2026-11-27T22:00:00.123456789Z"), 7, Level.WARNING, "low VRAM", "t-1",
            Map.of("logger", "gen"));

    String json = RecordJson.logsArray(List.of(record));

    assertThat(json)
        .isEqualTo(
            "[{\"seq\":7,\"level\":\"WARNING\",\"message\":\"low VRAM\",\"task_id\":\"t-1\","
                + "\"metadata\":{\"logger\":\"gen\"},\"timestamp\":\"2026-11-27T22:00:00.123456Z\"}]");
  }

  @Test
  void writesARecordsKeysInTheOrderJsonbStoresThem() throws Exception {
    LogRecord record = new LogRecord(Instant.parse("2026-11-27T22:00:00Z"), 1, Level.INFO, "m", "t", Map.of());
    List<String> keys = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(RecordJson.logsArray(List.of(record)))) {
      parser.nextToken();  // [
      parser.nextToken();  // {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        keys.add(parser.getCurrentName());
        parser.nextToken();
        parser.skipChildren();
      }
    }

    // jsonb's order: shorter keys first, then by bytes (PostgreSQL's lengthCompareJsonbString).
    List<String> jsonbOrder = new ArrayList<>(keys);
    jsonbOrder.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    assertThat(keys).containsExactly("seq", "level", "message", "task_id", "metadata", "timestamp")
        .isEqualTo(jsonbOrder);
  }

  @Test
  void writesAnAppendersMetadataInJsonbKeyOrderWithEveryEntry() {
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("thread", "render-1");
    metadata.put("logger", "wgp.generator");
    metadata.put("component", "GENERATOR");
    metadata.put("lineno", 4058);
    metadata.put("zz", true);
    LogRecord record = new LogRecord(Instant.parse("2026-11-27T22:00:00Z"), 1, Level.INFO, "m", null, metadata);

    String json = RecordJson.logsArray(List.of(record));

    assertThat(json).contains(
        "\"metadata\":{\"zz\":true,\"lineno\":4058,\"logger\":\"wgp.generator\",\"thread\":\"render-1\","
            + "\"component\":\"GENERATOR\"}");
    assertThat(metadata.keySet()).as("the map itself keeps its order")
        .containsExactly("thread", "logger", "component", "lineno", "zz");
  }

  @Test
  void largeMetadataKeepsItsOwnOrderAndEveryEntry() {
    RecordMetadata metadata = new RecordMetadata(20);
    for (int i = 20; i > 0; i--) {
      metadata.put("k" + i, i);
    }
    LogRecord record = new LogRecord(Instant.parse("2026-11-27T22:00:00Z"), 1, Level.INFO, "m", null, metadata);

    Map<String, Object> written = SpoolLine.parseRecords(RecordJson.logsArray(List.of(record))).get(0).metadata();

    assertThat(written).hasSize(20);
    assertThat(written.keySet()).startsWith("k20", "k19");
  }

  @Test
  void batchesWrittenOneAfterAnotherOnOneThreadShareNothing() {
    Instant at = Instant.parse("2026-11-27T22:00:00Z");
    LogRecord small = new LogRecord(at, 1, Level.INFO, "small", null, Map.of());
    String alone = RecordJson.logsArray(List.of(small));
    List<LogRecord> big = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {  // grows the thread's buffer past what it keeps
      big.add(new LogRecord(at, i, Level.INFO, "record " + i + " " + "x".repeat(100), "t", Map.of("i", i)));
    }

    String bigJson = RecordJson.logsArray(big);
    String afterBig = RecordJson.logsArray(List.of(small));
    String afterBigAgain = RecordJson.logsArray(List.of(small));

    assertThat(SpoolLine.parseRecords(bigJson)).hasSize(20_000);
    assertThat(afterBig).isEqualTo(alone).isEqualTo(afterBigAgain);
    assertThat(bigJson).startsWith("[{").endsWith("}]").doesNotContain("\"small\"");
  }

  @Test
  void aMessagePatternIsWrittenAsItsTextWouldBeAndCleanedTheSameWay() {
    Instant at = Instant.parse("2026-11-27T22:00:00Z");
    MessagePattern plain = MessagePattern.of("frame {} of {} in {} ms, {}", new Object[] {42, "t-1", 17L, null});
    MessagePattern unstorable = MessagePattern.of("bad {} text", new Object[] {"a\u0000b\uD800c"});
    MessagePattern long1 = MessagePattern.of("{}", new Object[] {"y".repeat(20_000)});
    List<LogRecord> deferred = new ArrayList<>();
    List<LogRecord> formatted = new ArrayList<>();
    for (MessagePattern pattern : List.of(plain, unstorable, long1, plain)) {
      deferred.add(new LogRecord(at, deferred.size(), Level.INFO, (Object) pattern, null, Map.of(), 0));
      formatted.add(new LogRecord(at, formatted.size(), Level.INFO, pattern.toString(), null, Map.of(), 0));
    }

    String json = RecordJson.logsArray(deferred);

    assertThat(json).isEqualTo(RecordJson.logsArray(formatted));
    assertThat(SpoolLine.parseRecords(json)).extracting(LogRecord::message).containsExactly(
        "frame 42 of t-1 in 17 ms, null", "bad a\uFFFDb\uFFFDc text", "y".repeat(20_000), "frame 42 of t-1 in 17 ms, null");
  }

  @Test
  void nulAndBrokenSurrogatesBecomeReplacementCharactersAndPairsSurvive() {
    String text = "a\u0000b\uD800c\uDC00d\uD83D\uDE00e";

    assertThat(RecordJson.clean(text, 1000)).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uD83D\uDE00e");
  }

  @Test
  void cleanTextIsReturnedAsIs() {
    String text = "nothing to clean";

    assertThat(RecordJson.clean(text, 1000)).isSameAs(text);
  }

  @Test
  void oversizeMessagesAreCutWithAMarkerSayingHowMuchAndStayWithinTheLimit() {
    String huge = "x".repeat(RecordJson.MAX_MESSAGE_CHARS + 500);

    String kept = RecordJson.clean(huge, RecordJson.MAX_MESSAGE_CHARS);

    String marker = " … [heartlog truncated " + (huge.length() - (kept.length() - marker(kept).length())) + " characters]";
    assertThat(kept.length()).isLessThanOrEqualTo(RecordJson.MAX_MESSAGE_CHARS);
    assertThat(kept).startsWith("xxx").endsWith(marker);
    assertThat(RecordJson.clean(kept, RecordJson.MAX_MESSAGE_CHARS)).as("cleaning twice changes nothing").isSameAs(kept);
  }

  private static String marker(String kept) {
    return kept.substring(kept.indexOf(" … [heartlog truncated"));
  }

  @Test
  void arraysInMetadataAreWrittenAsTheirElementsNotAsJavasArrayName() {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("shape", new int[] {1080, 1920});
    metadata.put("losses", new double[] {0.5, 0.25});
    metadata.put("flags", new boolean[] {true, false});
    metadata.put("devices", new String[] {"cuda:0", null});
    metadata.put("nested", new Object[] {new long[] {1L}, List.of("a")});

    assertThat(MetadataJson.object(metadata)).isEqualTo("{\"shape\":[1080,1920],\"losses\":[0.5,0.25],"
        + "\"flags\":[true,false],\"devices\":[\"cuda:0\",null],\"nested\":[[1],[\"a\"]]}");
  }

  @Test
  void bytesAreWrittenAsBase64AndALongRunKeepsItsFirstBytesSayingHowManyMoreWereDropped() {
    byte[] digest = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1};
    byte[] payload = new byte[MetadataJson.MAX_BASE64_BYTES + 1_000];
    java.util.Arrays.fill(payload, (byte) 7);

    assertThat(MetadataJson.object(Map.of("digest", digest))).isEqualTo("{\"digest\":\"3q2+7wAB\"}");
    String kept = MetadataJson.object(Map.of("payload", payload));
    String base64 = kept.substring("{\"payload\":\"".length(), kept.indexOf(' '));
    assertThat(java.util.Base64.getDecoder().decode(base64)).hasSize(MetadataJson.MAX_BASE64_BYTES).containsOnly(7);
    assertThat(kept).endsWith(" [heartlog: 1000 more bytes dropped]\"}")
        .hasSizeLessThan(MetadataJson.MAX_VALUE_CHARS + 20);
    LogRecord holding = new LogRecord(Instant.EPOCH, 1, Level.INFO, "m", null, Map.of("payload", new byte[1_000_000]));
    assertThat(holding.estimatedBytes()).as("the bytes it holds").isGreaterThan(1_000_000);
  }

  @Test
  void aListOrArrayKeepsItsFirstThousandElementsAndSaysHowManyMoreWereDropped() {
    List<Integer> frames = java.util.stream.IntStream.range(0, 1_500).boxed().toList();
    Map<String, Object> metadata = Map.of("frames", frames, "pixels", new short[5_000]);

    String json = MetadataJson.object(metadata);

    assertThat(json).contains(",999,\"[heartlog: 500 more elements dropped]\"]")
        .contains(",0,\"[heartlog: 4000 more elements dropped]\"]").doesNotContain(",1000,");
    LogRecord withList = new LogRecord(Instant.EPOCH, 1, Level.INFO, "m", null, Map.of("frames", frames));
    LogRecord withFew = new LogRecord(Instant.EPOCH, 1, Level.INFO, "m", null, Map.of("frames", List.of(1, 2)));
    assertThat(withList.estimatedBytes()).as("a long list counts for the elements sent")
        .isGreaterThan(withFew.estimatedBytes() + 30_000);
  }

  @Test
  void deepMetadataIsCutAtTheDepthLimit() {
    Map<String, Object> root = new HashMap<>();
    Map<String, Object> current = root;
    for (int i = 0; i < 2_000; i++) {
      Map<String, Object> next = new HashMap<>();
      current.put("n", next);
      current = next;
    }

    String json = MetadataJson.object(root);

    assertThat(json).contains("[heartlog: nested deeper than 8 levels]");
    assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(MetadataJson.MAX_METADATA_DEPTH);
  }
}
