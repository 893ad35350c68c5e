package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.IngestCall;
import java.nio.charset.StandardCharsets;
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
    assertThat(call.metadataJson()).isEqualTo(metadata);
    assertThat(call.sessionId()).isEqualTo("s");
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
