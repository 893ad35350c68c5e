package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
            "[{\"timestamp\":\"2026-11-27T22:00:00.123456Z\",\"level\":\"WARNING\",\"message\":\"low VRAM\","
                + "\"task_id\":\"t-1\",\"seq\":7,\"metadata\":{\"logger\":\"gen\"}}]");
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
  void deepMetadataIsCutAtTheDepthLimit() {
    Map<String, Object> root = new HashMap<>();
    Map<String, Object> current = root;
    for (int i = 0; i < 2_000; i++) {
      Map<String, Object> next = new HashMap<>();
      current.put("n", next);
      current = next;
    }

    String json = RecordJson.object(root);

    assertThat(json).contains("[heartlog: nested deeper than 8 levels]");
    assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(RecordJson.MAX_METADATA_DEPTH);
  }
}
