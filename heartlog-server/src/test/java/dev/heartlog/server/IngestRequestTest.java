package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.heartlog.store.Fixtures;
import dev.heartlog.store.IngestCall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server passes on as {@code logs_param}: as sent when storable, cleaned otherwise. */
class IngestRequestTest {

  private static IngestCall parse(String body) {
    return IngestRequest.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aStorableBatchIsPassedOnAsItsOwnBytesMultiByteTextIncluded() {
    String logs = "[ {\"message\": \"VRAM 61 GiB ✓, Größe\", \"metadata\": {\"emoji\": \"\uD83D\uDE00\", \"n\": 1.5e3}},\n"
        + "  {\"message\": \"second\", \"level\": \"INFO\", \"task_id\": null, \"ok\": true} ]";
    String metadata = "{\"agent\": \"heartlog-java\", \"buffered\": 12}";

    IngestCall call = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + logs + ", \"metadata_param\": " + metadata
        + ", \"session_id_param\": \"s\"}");

    assertThat(call.logsJson()).isEqualTo(logs);
    // The sender's metadata, with the server's count of the batch's problems (none) in front.
    assertThat(call.metadataJson()).isEqualTo("{\"problem_counts\":[]," + metadata.substring(1));
    assertThat(call.sessionId()).isEqualTo("s");
  }

  @Test
  void thePythonWorkersBatchIsSentOnWithItsProblemsCounted() {
    IngestCall call = parse(Fixtures.read(Fixtures.PYTHON_WORKER_HEARTBEAT));

    // Its WARNING at 21:59:59.654321Z and ERROR at 22:00:01.000001Z, 2026-11-27: the periods
    // (300-second spans since 1970) 5986055 and 5986056, as Python's
    // int(datetime.fromisoformat(t).timestamp()) // 300 numbers them.
    assertThat(call.metadataJson()).isEqualTo("{\"problem_counts\":[[5986055,0,1],[5986056,1,0]]}");
  }

  /** The JSON string holding this text, as {@code json.dumps} of a batch makes it. */
  private static String encodedAgain(String json) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(json)) + "\"";
  }

  @Test
  void aBatchEncodedTwiceIsPassedOnAsTheArrayItHoldsCountedOrCleaned() {
    String batch = "[{\"timestamp\": \"2026-11-27T22:00:01.000001+00:00\", \"level\": \"ERROR\", \"message\": \"ab\"}]";

    IngestCall call = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + encodedAgain(batch) + "}");
    IngestCall withNul = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + encodedAgain(batch.replace("ab", "a\\u0000b")) + "}");

    assertThat(call.logsJson()).isEqualTo(batch);
    assertThat(call.metadataJson()).isEqualTo("{\"problem_counts\":[[5986056,1,0]]}");
    assertThat(withNul.logsJson()).isEqualTo(
        "[{\"timestamp\":\"2026-11-27T22:00:01.000001+00:00\",\"level\":\"ERROR\",\"message\":\"a\uFFFDb\"}]");
    assertThat(withNul.metadataJson()).as("cleaned: the store counts it").isNull();
  }

  @Test
  void aBatchEncodedTwiceIsNotCutAtTheLengthLimitOfAString() {
    String message = "x".repeat(IngestRequest.MAX_STRING_CHARS - 100);
    String batch = "[{\"level\": \"INFO\", \"message\": \"" + message + "\"}, {\"level\": \"INFO\", \"message\": \"" + message + "\"}]";

    IngestCall call = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + encodedAgain(batch) + "}");

    assertThat(call.logsJson()).isEqualTo(batch);
  }

  @Test
  void aStringThatHoldsNoBatchGoesOnAsAStringForTheStoreToReject() {
    for (String text : List.of("model loaded", "[1] and more", "[{\"level\": \"ERROR\"", "42")) {
      IngestCall call = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + encodedAgain(text) + "}");

      assertThat(call.logsJson()).as(text).isEqualTo(encodedAgain(text));
      assertThat(call.metadataJson()).as("nothing counted from " + text).isNull();
    }
  }

  @Test
  void theCountsJoinTheSendersMetadataUnlessItCountedItself() {
    String batch = "[{\"timestamp\": \"2026-11-27T22:00:01.5+01:00\", \"level\": \" warn \"}, "
        + "{\"timestamp\": \"2026-11-27T21:00:01Z\", \"level\": \"FATAL\"}, {\"level\": \"INFO\"}]";
    String counts = "\"problem_counts\":[[5986044,1,1]]";

    assertThat(metadataSent(batch, "{\"agent\": \"python\"}")).isEqualTo("{" + counts + ",\"agent\": \"python\"}");
    assertThat(metadataSent(batch, " { } ")).isEqualTo("{" + counts + "}");
    assertThat(metadataSent(batch, null)).isEqualTo("{" + counts + "}");
    String own = "{\"problem_counts\": [[1, 2, 3]]}";
    assertThat(metadataSent(batch, own)).as("counted by the sender").isEqualTo(own);
    assertThat(metadataSent(batch, "[1]")).as("not an object: the store ignores it").isEqualTo("[1]");
    assertThat(metadataSent("[]", null)).as("no records: nothing to count").isNull();

    // Metadata sent before the batch, as a heartlog agent sends it: the same outcome, and counts
    // of the sender's own spare the server its count.
    for (String metadata : List.of("{\"agent\": \"python\"}", " { } ", own, "[1]")) {
      assertThat(metadataSentFirst(batch, metadata)).as(metadata).isEqualTo(metadataSent(batch, metadata));
    }
  }

  @Test
  void theServerCountsOnlyWhenTheSendersMetadataCanTakeTheCounts() throws Exception {
    assertThat(ProblemTally.metadataTakesCounts(null)).isTrue();
    assertThat(ProblemTally.metadataTakesCounts("{}")).isTrue();
    assertThat(ProblemTally.metadataTakesCounts("{\"agent\": \"python\", \"nested\": {\"problem_counts\": 1}}")).isTrue();
    assertThat(ProblemTally.metadataTakesCounts("{\"agent\": \"heartlog-java\", \"problem_counts\": []}")).isFalse();
    assertThat(ProblemTally.metadataTakesCounts("[1]")).isFalse();
  }

  @Test
  void whereTheStoreMightCountOtherwiseTheServerLeavesTheCountingToIt() {
    String sure = "{\"timestamp\": \"2026-11-27T22:00:01Z\", \"level\": \"ERROR\"}";
    List<String> unsure = List.of(
        "{\"level\": \"WARNING\"}",                                                   // stamped by the store's clock
        "{\"timestamp\": null, \"level\": \"ERROR\"}",
        "{\"timestamp\": \"2026-11-27 22:00:01+00\", \"level\": \"ERROR\"}",        // PostgreSQL's own format
        "{\"timestamp\": \"2026-11-27T22:00:01.0000001Z\", \"level\": \"ERROR\"}",  // finer than microseconds
        "{\"timestamp\": \"2026-11-27T22:00:01Z\", \"level\": \"critical\"}",       // upper() of i may differ
        "{\"timestamp\": \"2026-11-27T22:00:01Z\", \"level\": \"ERROR\u00a0\"}",
        "{\"timestamp\": \"2026-11-27T22:00:01Z\", \"level\": \"ERROR\", \"message\": \"nul \\u0000\"}",  // cleaned
        "\"a string, not a record\"");
    assertThat(metadataSent("[" + sure + "]", null)).isEqualTo("{\"problem_counts\":[[5986056,1,0]]}");
    // Without an offset: UTC, as the ingest function reads it whatever the session's time zone.
    assertThat(metadataSent("[" + sure + ", {\"timestamp\": \"2026-11-27T22:00:01.25\", \"level\": \"ERROR\"}]", null))
        .isEqualTo("{\"problem_counts\":[[5986056,2,0]]}");
    for (String record : unsure) {
      assertThat(metadataSent("[" + sure + ", " + record + "]", null)).as(record).isNull();
    }
    // A record that is no problem needs no certain time.
    assertThat(metadataSent("[" + sure + ", {\"level\": \"INFO\"}, {\"level\": 3}]", null))
        .isEqualTo("{\"problem_counts\":[[5986056,1,0]]}");
  }

  private static String metadataSentFirst(String logs, String metadata) {
    return parse("{\"worker_id_param\": \"w\", \"metadata_param\": " + metadata + ", \"logs_param\": " + logs + "}")
        .metadataJson();
  }

  private static String metadataSent(String logs, String metadata) {
    return parse("{\"worker_id_param\": \"w\", \"logs_param\": " + logs
        + (metadata == null ? "" : ", \"metadata_param\": " + metadata) + "}").metadataJson();
  }

  @Test
  void aBatchWithSomethingToCleanIsCopiedCleaned() {
    IngestCall call = parse("{\"worker_id_param\": \"w\", \"logs_param\": ["
        + "{\"message\": \"ok\"}, {\"message\": \"nul \\u0000 lone \\ud800\", \"metadata\": {\"k\\u0000\": 1}}]}");

    assertThat(call.logsJson())
        .isEqualTo("[{\"message\":\"ok\"},{\"message\":\"nul \uFFFD lone \uFFFD\",\"metadata\":{\"k\uFFFD\":1}}]");
  }

  @Test
  void tooLongTextAndTooDeepNestingAreCutAsBefore() {
    String deep = "[".repeat(20) + "]".repeat(20);
    String longText = "x".repeat(IngestRequest.MAX_STRING_CHARS + 10);

    IngestCall nested = parse("{\"worker_id_param\": \"w\", \"logs_param\": " + deep + "}");
    IngestCall tooLong = parse("{\"worker_id_param\": \"w\", \"logs_param\": [{\"message\": \"" + longText + "\"}]}");

    assertThat(nested.logsJson()).contains("nested deeper than 16 levels").doesNotContain("[[[[[[[[[[[[[[[[[");
    assertThat(tooLong.logsJson()).contains("heartlog truncated").hasSizeLessThan(IngestRequest.MAX_STRING_CHARS + 40);
  }

  @Test
  void aBodyCutInsideItsBatchIsABadRequest() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse("{\"worker_id_param\": \"w\", \"logs_param\": [{\"message\": \"cut"))
        .isInstanceOf(PostgrestError.class)
        .hasMessageContaining("Invalid JSON");
  }

  @Test
  void aBatchAtTheDepthLimitIsPassedOnAsSent() {
    String atLimit = "[".repeat(16) + "]".repeat(16);

    assertThat(parse("{\"worker_id_param\": \"w\", \"logs_param\": " + atLimit + "}").logsJson()).isEqualTo(atLimit);
  }
}
